// WAVs as users have them — espeak-ng's 22.05 kHz, stereo — given to verify
// --wav, compile --calib and run --wav: converted to the model's 16 kHz mono
// with one note on stderr, and streamed frame by frame.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cli } from "./process.js";
import { parseNpy } from "../../src/io/npy.js";
import { speechToolsMissing } from "../fixtures/speech-audio.js";

const missing = speechToolsMissing();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wavin-"));

/** espeak-ng speech (22.05 kHz mono, its default) made stereo by sox; and sox's own 16 kHz mono of it. */
function clips(): { stereo: string; sox16k: string } {
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: "pipe" });
  run("espeak-ng", ["-v", "en-us", "-w", "speech.wav", "Turn on the kitchen lights. The quick brown fox jumps over the lazy dog."]);
  run("sox", ["speech.wav", "-c", "2", "stereo22k.wav"]);
  run("sox", ["speech.wav", "-r", "16000", "-c", "1", "-b", "16", "sox16k.wav"]);
  const info = execFileSync("soxi", [path.join(dir, "stereo22k.wav")], { encoding: "utf8" });
  assert.match(info, /Channels\s*: 2/);
  assert.match(info, /Sample Rate\s*: 22050/);
  return { stereo: path.join(dir, "stereo22k.wav"), sox16k: path.join(dir, "sox16k.wav") };
}

const note = (p: string): string => `cmsis-lower: ${p}: converted 22050 Hz stereo 16-bit → 16000 Hz mono`;

test("a 22.05 kHz stereo WAV works with verify --wav, compile --calib and run --wav, and each says it was converted", { skip: missing ?? false }, async (t) => {
  const { stereo, sox16k } = clips();

  let verifyCounts: { float: number; int8: number } | null = null;
  await t.test("verify --wav", () => {
    const r = cli(["verify", "silero-vad", "--wav", stereo]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.split("\n").filter(Boolean), [note(stereo)]);
    const m = /stream \(.*\): (\d+) frames, .* speech frames float (\d+) \/ int8 (\d+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.ok(Number(m[1]) > 50, `only ${m[1]} frames`);
    verifyCounts = { float: Number(m[2]), int8: Number(m[3]) };
    assert.ok(verifyCounts.float > 10, `float speech frames ${verifyCounts.float}: the speech was not heard`);
  });

  await t.test("compile --calib", () => {
    const out = path.join(dir, "vad");
    const r = cli(["compile", "silero-vad", "--calib", stereo, "--name", "vad", "-o", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.split("\n").filter(Boolean), [note(stereo)]);
    assert.ok(fs.existsSync(path.join(out, "vad.h")));
  });

  await t.test("run --wav streams frame by frame and writes frames.csv and [frames, ...] .npy files", () => {
    const out = path.join(dir, "frames");
    const r = cli(["run", "silero-vad", "--wav", stereo, "--engine", "int8", "--out", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stderr.split("\n").filter(Boolean), [note(stereo)]);
    const csv = fs.readFileSync(path.join(out, "frames.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "frame,start_s,output");
    const prob = parseNpy(new Uint8Array(fs.readFileSync(path.join(out, "output.npy"))));
    const state = parseNpy(new Uint8Array(fs.readFileSync(path.join(out, "stateN.npy"))));
    const frames = csv.length - 1;
    assert.deepEqual(prob.shape, [frames, 1, 1]);
    assert.deepEqual(state.shape, [frames, 2, 1, 128]);
    csv.slice(1).forEach((row, i) => {
      const [f, start, p] = row.split(",");
      assert.equal(Number(f), i);
      assert.equal(Number(start), (i * 512) / 16000);
      assert.equal(Number(p), prob.data[i], `frame ${i}`);
    });
    // The same int8 decisions as verify's stream over the same file.
    const speech = [...prob.data].filter((p) => p > 0.5).length;
    assert.ok(verifyCounts, "verify --wav ran first");
    assert.equal(speech, verifyCounts.int8);
    assert.match(r.stdout, new RegExp(`^streamed .*: ${frames} frames of 512 samples at 16000 Hz, state carried; speech frames \\(output > 0\\.5\\): ${speech}$`, "m"));
  });

  await t.test("our conversion and sox's give the same float decisions on nearly every frame", () => {
    const probs = (wav: string): number[] => {
      const out = path.join(dir, `p-${path.basename(wav)}`);
      const r = cli(["run", "silero-vad", "--wav", wav, "--out", out]);
      assert.equal(r.code, 0, r.stderr);
      return [...parseNpy(new Uint8Array(fs.readFileSync(path.join(out, "output.npy")))).data].map(Number);
    };
    const ours = probs(stereo);
    const soxs = probs(sox16k);
    assert.ok(Math.abs(ours.length - soxs.length) <= 1, `${ours.length} vs ${soxs.length} frames`);
    const n = Math.min(ours.length, soxs.length);
    let agree = 0;
    for (let i = 0; i < n; i++) if (ours[i]! > 0.5 === soxs[i]! > 0.5) agree++;
    assert.ok(agree / n >= 0.9, `decisions agree on ${agree} of ${n} frames`);
  });

  await t.test("run --wav on a model that does not stream is refused in one line", () => {
    const r = cli(["run", "wav2letter", "--wav", stereo]);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stderr.split("\n").filter(Boolean), [`cmsis-lower: --wav ${stereo}: wav2letter is not a stream model; give its inputs with --input`]);
  });
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
