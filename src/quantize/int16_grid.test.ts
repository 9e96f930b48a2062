// int16 graph inputs on a power-of-two grid (16-bit PCM audio lies on 2^-15):
// the grid observer, the scale it gives, and a quantized builder graph whose
// calibration data is on the grid (scale = the grid, the data held exactly)
// or off it (scale = max-abs / 32767). Expected values are written out here.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import type { Graph, Node } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { feedSetsSource } from "./calibrate.js";
import { PowerOfTwoGridObserver } from "./observers.js";
import { quantizeGraph, type QuantizeOptions } from "./quantize.js";
import { activationQParams16 } from "./scheme16.js";

test("grid observer: the coarsest power of two every value is a multiple of; null off any grid or with nothing non-zero", () => {
  const pcm = new PowerOfTwoGridObserver();
  pcm.observe(Float32Array.from([0, 3 / 32768, -25231 / 32768, 1 / 32768]));
  pcm.observe([0.5, -0.25]);
  assert.equal(pcm.grid(), 2 ** -15);
  const coarse = new PowerOfTwoGridObserver();
  coarse.observe([4, -12, 0, 8]);
  assert.equal(coarse.grid(), 4);
  const off = new PowerOfTwoGridObserver();
  off.observe([1 / 32768]);
  off.observe([0.1]);
  assert.equal(off.grid(), null);
  off.observe([1]);
  assert.equal(off.grid(), null, "once off every grid, it stays off");
  const zeros = new PowerOfTwoGridObserver();
  zeros.observe(new Float32Array(8));
  assert.equal(zeros.grid(), null);
});

test("activationQParams16: the grid is the scale when the range fits 32767 steps of it, else max-abs / 32767", () => {
  assert.equal(activationQParams16(-0.77, 0.5, 2 ** -15).scale[0], 2 ** -15);
  assert.equal(activationQParams16(-0.77, 0.5).scale[0], Math.fround(0.77 / 32767));
  // 2.0 is 65536 steps of 2^-15: the grid does not fit, max-abs decides.
  assert.equal(activationQParams16(-2, 1, 2 ** -15).scale[0], Math.fround(2 / 32767));
});

function conv(): Graph {
  const b = new ModelBuilder("t", 1);
  const x = b.input("x", [1, 1, 64]);
  b.output(b.conv1d(x, { out: 2, k: 3, pad: 1 }), "y");
  return b.build();
}

function inputQ(g: Graph): Node {
  const c = g.nodes.find((n) => n.op === "aten.convolution")!;
  return c.inputs[0]!.producer!.inputs[0]!.producer!;
}

function quantize(data: Float32Array, opts: QuantizeOptions) {
  const g = conv();
  const feeds: Record<string, Tensor> = { x: { dtype: "f32", shape: [1, 1, 64], data } };
  return quantizeGraph(g, feedSetsSource([feeds]), { observer: { kind: "minmax" }, progress: false, sqnr: false, ...opts });
}

test("an int16 graph input calibrated on 16-bit PCM gets scale 2^-15; off the grid, max-abs / 32767; int8 is unchanged", () => {
  // Samples k / 32768 with |k| up to 20000 (as a WAV reader gives them).
  const pcm = Float32Array.from({ length: 64 }, (_, i) => Math.round(20000 * Math.sin(i * 0.7)) / 32768);
  const maxAbs = Math.max(...Array.from(pcm, Math.abs));
  const q16 = inputQ(quantize(pcm, { precision: "int16" }).graph);
  assert.equal(q16.output.dtype, "i16");
  assert.equal(q16.attrs["scale"], 2 ** -15);
  // Off the grid (each sample scaled by 1.001): the max-abs scale.
  const off = pcm.map((x) => x * 1.001);
  const offMax = Math.max(...Array.from(off, Math.abs));
  assert.equal(inputQ(quantize(off, { precision: "int16" }).graph).attrs["scale"], Math.fround(offMax / 32767));
  // int8 groups ignore the grid.
  const q8 = inputQ(quantize(pcm, {}).graph);
  assert.equal(q8.output.dtype, "i8");
  assert.notEqual(q8.attrs["scale"], 2 ** -15);
  assert.ok(maxAbs / 32767 < 2 ** -15, "the grid is coarser than max-abs here, so the test tells them apart");
});
