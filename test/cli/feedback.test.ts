// What `compile` tells its user: the summary on stdout (target, precision,
// calibration source, arena, weights, slowest layers), status lines of the
// long stages on stderr when it is not a terminal, and a clean stdout for
// `inspect --json` while they are printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import nodePath from "node:path";
import { cli } from "./process.js";
import { encodeModel, seededValues } from "../fixtures/onnx-model.js";

// Interval 0: every beat prints, so the lines appear however fast the machine is.
const ENV = { ...process.env, CMSIS_LOWER_TEST_STATUS_MS: "0" };

test("compile silero-vad: summary names target, precision, calibration, arena, weights, slowest layers", () => {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "cl-feedback-"));
  try {
    const r = cli(["compile", "silero-vad", "--target", "cortex-m4", "-o", nodePath.join(dir, "vad"), "--report", nodePath.join(dir, "vad.html")], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^ {2}target: cortex-m4$/m);
    assert.match(out, /^ {2}precision: int8 \(\d+ ops\), float islands \(\d+ ops: .*aten\.lstm/m);
    assert.match(out, /^ {2}calibration: synthesized audio: 8 s of synthesized voice-like audio$/m);
    assert.match(out, /^ {2}arena: 7216 B .*; weights: \d+ B/m);
    // The STFT conv does the most MACs in Silero v5 (258 filters × 256 taps × 4 frames).
    assert.match(out, /^ {2}slowest layers \(by MACs\):\n {4}\S*stft\/Conv\S* \(quantized_(depthwise_)?conv2d\) 264,192 MACs, \d+\.\d%$/m);
    assert.match(r.stderr, /^\[cmsis-lower\] calibrating: \d+\/\d+ runs, \d+\.\d s$/m);
    assert.match(r.stderr, /^\[cmsis-lower\] calibrating: done in \d+\.\d s$/m);
    assert.doesNotMatch(out, /\[cmsis-lower\]/);
    assert.match(out, /^ {2}report: .*vad\.html$/m);
    assert.match(fs.readFileSync(nodePath.join(dir, "vad.html"), "utf8"), /^<!DOCTYPE html>.*<table class="layers">.*<svg[^>]*class="memory"/s);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("compile with random calibration says so", () => {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "cl-feedback-"));
  try {
    const r = cli(["compile", "silero-vad", "--calib-random", "2", "-o", nodePath.join(dir, "vad")]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}calibration: random data: 2 random frames \(seed 1\)$/m);
    assert.equal(r.stderr, "");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a model file compiled without --calib / --calib-random names its default calibration in one stderr line", () => {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "cl-feedback-"));
  try {
    const model = nodePath.join(dir, "conv.onnx");
    fs.writeFileSync(model, encodeModel({
      inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "y" }],
      initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
      nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0" }],
    }));
    for (const cmd of [["compile", model, "-o", nodePath.join(dir, "out")], ["inspect", model, "--stage", "quantized"], ["verify", model, "--engine", "int8"]]) {
      const r = cli(cmd);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 1, `${cmd[0]}: ${r.stderr}`);
      // (verify's default seed is 0, compile's 1)
      assert.match(lines[0]!, /^calibration: no --calib given, so this model is calibrated on random data \(8 random samples \(seed [01]\)\); its int8 scales fit that, not your inputs: pass --calib <files\|dir> with representative data \(or --calib-random N to choose random data\)$/, cmd[0]);
    }
    // Choosing the data, random or not, silences it.
    const chosen = cli(["inspect", model, "--stage", "quantized", "--calib-random", "3"]);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal(chosen.stderr, "");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("inspect --json: status lines go to stderr, stdout stays one JSON document", () => {
  const r = cli(["inspect", "silero-vad", "--stage", "quantized", "--calib-random", "2", "--json"], { env: ENV });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { stages: Record<string, unknown> };
  assert.deepEqual(Object.keys(doc.stages), ["import", "quantized"]);
  assert.match(r.stderr, /^\[cmsis-lower\] calibrating: /m);
});

test("verify and run report the long stages too (status lines on stderr, the report on stdout)", () => {
  const v = cli(["verify", "silero-vad", "--calib-random", "2"], { env: ENV });
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stderr, /^\[cmsis-lower\] calibrating: done in \d+\.\d s$/m);
  assert.doesNotMatch(v.stdout, /\[cmsis-lower\]/);
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), "cl-feedback-"));
  try {
    const r = cli(["run", "silero-vad", "--engine", "int8", "--calib-random", "2", "--out", nodePath.join(dir, "out")], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^\[cmsis-lower\] calibrating: done in \d+\.\d s$/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
