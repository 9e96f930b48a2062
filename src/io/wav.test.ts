import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import wavefile from "wavefile";
import { readWav, writeWav } from "./wav.js";
import { UserError } from "../ir/errors.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wav-"));

/** A WAV written by wavefile itself (channels interleaved by wavefile from per-channel arrays). */
function wavOf(name: string, channels: number[][], rate: number, depth: string): string {
  const w = new wavefile.WaveFile();
  w.fromScratch(channels.length, rate, depth, channels.length === 1 ? channels[0]! : channels);
  const p = path.join(dir, name);
  fs.writeFileSync(p, w.toBuffer());
  return p;
}

function notes(): { lines: string[]; note: (l: string) => void } {
  const lines: string[] = [];
  return { lines, note: (l) => lines.push(l) };
}

test("wav round-trip: int16/32768 samples and the sample rate, no conversion note", () => {
  const p = path.join(dir, "a.wav");
  writeWav(p, [0, 0.5, -1, 16384 / 32768, -0.25], 16000);
  const n = notes();
  const w = readWav(p, { expectRate: 16000, note: n.note });
  assert.equal(w.sampleRate, 16000);
  assert.equal(w.converted, null);
  assert.deepEqual([...w.samples], [0, 0.5, -1, 0.5, -0.25]);
  assert.deepEqual(n.lines, []);
});

test("sample formats are scaled to [-1, 1): unsigned 8-bit, 24-bit, 32-bit, float 32 and 64", () => {
  const cases: [string, number[], number[], string][] = [
    ["8", [128, 192, 0, 255], [0, 0.5, -1, 127 / 128], "8-bit"],
    ["24", [0, 4194304, -8388608, -2097152], [0, 0.5, -1, -0.25], "24-bit"],
    ["32", [0, 1073741824, -2147483648, 536870912], [0, 0.5, -1, 0.25], "32-bit"],
    ["32f", [0, 0.5, -1, 0.25], [0, 0.5, -1, 0.25], "32-bit float"],
    ["64", [0, 0.5, -1, 0.125], [0, 0.5, -1, 0.125], "64-bit float"],
  ];
  for (const [depth, raw, want, kind] of cases) {
    const p = wavOf(`fmt${depth}.wav`, [raw], 16000, depth);
    const n = notes();
    const w = readWav(p, { expectRate: 16000, note: n.note });
    assert.deepEqual([...w.samples], want, depth);
    assert.deepEqual(n.lines, [`cmsis-lower: ${p}: converted 16000 Hz mono ${kind} → 16000 Hz mono`]);
  }
});

test("stereo is mixed down to the channel average", () => {
  const p = wavOf("stereo.wav", [[16384, -16384, 8192], [0, -16384, -8192]], 16000, "16");
  const n = notes();
  const w = readWav(p, { expectRate: 16000, note: n.note });
  assert.deepEqual([...w.samples], [0.25, -0.5, 0]);
  assert.equal(w.converted, "16000 Hz stereo 16-bit → 16000 Hz mono");
});

function toneAt(freq: number, rate: number, seconds: number, amp: number): number[] {
  return Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(amp * 32767 * Math.sin((2 * Math.PI * freq * i) / rate)));
}

/** Amplitude of the `freq` component over the middle of x (edges skipped: filter start-up). */
function amplitudeAt(x: Float32Array, freq: number, rate: number): number {
  let re = 0;
  let im = 0;
  const a = Math.floor(x.length / 4);
  const b = x.length - a;
  for (let i = a; i < b; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * freq * i) / rate);
    im += x[i]! * Math.sin((2 * Math.PI * freq * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (b - a);
}

test("22.05 kHz stereo is resampled to 16 kHz: a 1 kHz tone keeps its level, a 10 kHz tone (above the new Nyquist) is removed", () => {
  const low = toneAt(1000, 22050, 1, 0.5);
  const p = wavOf("t22k.wav", [low, low], 22050, "16");
  const n = notes();
  const w = readWav(p, { expectRate: 16000, note: n.note });
  assert.equal(w.sampleRate, 16000);
  assert.equal(w.samples.length, 16000);
  assert.deepEqual(n.lines, [`cmsis-lower: ${p}: converted 22050 Hz stereo 16-bit → 16000 Hz mono`]);
  const a = amplitudeAt(w.samples, 1000, 16000);
  assert.ok(Math.abs(a - 0.5) < 0.01, `1 kHz amplitude ${a}`);

  const q = wavOf("t10k.wav", [toneAt(10000, 22050, 1, 0.5)], 22050, "16");
  const hi = readWav(q, { expectRate: 16000, note: () => {} }).samples;
  const mid = hi.subarray(4000, 12000);
  const rms = Math.sqrt(mid.reduce((s, v) => s + v * v, 0) / mid.length);
  assert.ok(rms < 1e-3, `10 kHz residue rms ${rms}`);
});

test("8 kHz is upsampled to 16 kHz; without an expected rate the file's own rate is kept", () => {
  const p = wavOf("t8k.wav", [toneAt(500, 8000, 1, 0.5)], 8000, "16");
  const w = readWav(p, { expectRate: 16000, note: () => {} });
  assert.equal(w.samples.length, 16000);
  assert.ok(Math.abs(amplitudeAt(w.samples, 500, 16000) - 0.5) < 0.01);
  const own = readWav(p, { note: () => {} });
  assert.equal(own.sampleRate, 8000);
  assert.equal(own.converted, null);
});

test("non-wav, compressed and missing files are UserErrors", () => {
  const p = path.join(dir, "c.wav");
  fs.writeFileSync(p, "not a wav");
  assert.throws(() => readWav(p), (e: Error) => e instanceof UserError && e.message.startsWith(`${p}: `));
  assert.throws(() => readWav(path.join(dir, "missing.wav")), /missing\.wav: cannot read/);
  const law = new wavefile.WaveFile();
  law.fromScratch(1, 8000, "16", [0, 1000, -1000, 0]);
  law.toMuLaw();
  const m = path.join(dir, "mulaw.wav");
  fs.writeFileSync(m, law.toBuffer());
  assert.throws(() => readWav(m), (e: Error) => e instanceof UserError && e.message.startsWith(`${m}: unsupported WAV sample format`));
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
