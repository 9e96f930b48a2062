import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readWav, writeWav } from "./wav.js";
import { UserError } from "../ir/errors.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wav-"));

test("wav round-trip: int16/32768 samples and the sample rate", () => {
  const p = path.join(dir, "a.wav");
  writeWav(p, [0, 0.5, -1, 16384 / 32768, -0.25], 16000);
  const w = readWav(p, { expectRate: 16000 });
  assert.equal(w.sampleRate, 16000);
  assert.deepEqual([...w.samples], [0, 0.5, -1, 0.5, -0.25]);
});

test("wav with the wrong sample rate is rejected naming the file and both rates", () => {
  const p = path.join(dir, "b.wav");
  writeWav(p, [0, 0.1], 22050);
  assert.throws(() => readWav(p, { expectRate: 16000 }), (e: Error) => e instanceof UserError && e.message === `${p}: sample rate 22050 Hz, expected 16000 Hz`);
  assert.equal(readWav(p).sampleRate, 22050);
});

test("non-wav and missing files are UserErrors", () => {
  const p = path.join(dir, "c.wav");
  fs.writeFileSync(p, "not a wav");
  assert.throws(() => readWav(p), (e: Error) => e instanceof UserError && e.message.startsWith(`${p}: `));
  assert.throws(() => readWav(path.join(dir, "missing.wav")), /missing\.wav: cannot read/);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
