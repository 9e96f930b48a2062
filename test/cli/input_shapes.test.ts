// Inputs as users give them, through the built CLI: a model with a dynamic
// dim runs on a .npy or a WAV without --input-shape, compiles with --calib
// data setting the dim, a bare --input-shape applies to a built-in's first
// input, and data that does not fit is one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeWav } from "../../src/io/wav.js";
import { writeNpy } from "../../src/io/npy.js";
import { encodeModel, seededValues, type ModelSpec } from "../fixtures/onnx-model.js";
import { cli, oneErrorLine } from "./process.js";

const dyn: ModelSpec = {
  inputs: [{ name: "audio", shape: [1, 1, "samples"] }], outputs: [{ name: "y" }],
  initializers: [{ name: "W", dims: [4, 1, 3], data: seededValues(12, 1) }],
  nodes: [{ op: "Conv", inputs: ["audio", "W"], outputs: ["y"], name: "conv0" }],
};
const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-input-shapes-"));
const model = join(dir, "dyn.onnx");
writeFileSync(model, encodeModel(dyn));
const npy = join(dir, "x.npy");
writeNpy(npy, { dtype: "f32", shape: [1, 1, 50], data: Float32Array.from(seededValues(50, 2)) });
const wav = join(dir, "x.wav");
writeWav(wav, seededValues(40, 3, -0.5, 0.5), 16000);
const bad = join(dir, "bad.npy");
writeNpy(bad, { dtype: "f32", shape: [2, 1, 50], data: new Float32Array(100) });

test.after(() => rmSync(dir, { recursive: true, force: true }));

test("a dynamic dim is taken from the --input .npy or WAV", () => {
  const a = cli(["run", model, "--input", `audio=${npy}`]);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /y.*\[1,4,48\]/);
  const b = cli(["run", model, "--input", wav]);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /y.*\[1,4,38\]/);
});

test("--calib data sets the dynamic dim for compiling", () => {
  const r = cli(["inspect", model, "--stage", "quantized", "--calib", npy, "--graph"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /%audio: f32\[1,1,50\]/);
  // Without data or a shape the dim stays open, which is refused.
  assert.match(oneErrorLine(cli(["inspect", model, "--stage", "quantized"])), /dynamic shape \[1,1,samples\] is not resolved/);
});

test("a bare --input-shape applies to a built-in's first input", () => {
  const r = cli(["inspect", "wav2letter", "--input-shape", "1x1x700", "--graph"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /f32\[1,1,700\]/);
});

test("data that does not fit the declared shape is one line naming the input", () => {
  const line = oneErrorLine(cli(["run", model, "--input", `audio=${bad}`]));
  assert.match(line, /input 'audio': the data's shape \[2,1,50\] does not fit the declared \[1,1,samples\]/);
});
