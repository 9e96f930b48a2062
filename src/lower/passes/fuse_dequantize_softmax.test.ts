import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { fuseDequantizeSoftmax } from "./fuse_dequantize_softmax.js";
import { opsOf } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("FuseDequantizeSoftmax: dequantize → float softmax becomes one dequantize_softmax; a shared dequantize stays for its other user; a softmax of float input is left", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 16, 4, 9]));
  const f = g.addInput("f", makeType("f32", [2, 5]));
  const dq = g.op("cortex_m.dequantize_per_tensor", [x], { scale: 0.0177498, zero_point: 14 });
  const sm = g.op("aten.softmax", [dq], { dim: 1 });
  const sig = g.op("aten.sigmoid", [dq]);
  const plain = g.op("aten.softmax", [f], { dim: 1 });
  g.outputs = [sm, sig, plain];
  assert.deepEqual(opsOf(g), ["dequantize_per_tensor", "softmax", "sigmoid", "softmax"]);
  assert.equal(fuseDequantizeSoftmax.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["dequantize_per_tensor", "dequantize_softmax", "sigmoid", "softmax"]);
  const fused = g.outputs[0]!.producer!;
  assert.equal(fused.op, "cortex_m.dequantize_softmax");
  assert.equal(fused.input(0), x);
  assert.deepEqual(fused.attrs, { dim: 1, scale: 0.0177498, zero_point: 14 });
  assert.deepEqual(fused.output.shape, [1, 16, 4, 9]);
  assert.equal(fused.output.dtype, "f32");
  assert.equal(g.outputs[2]!.producer!.op, "aten.softmax");
  assert.equal(fuseDequantizeSoftmax.run(g, opts).changed, false);
});

test("FuseDequantizeSoftmax: alone, the dequantize goes with the softmax", () => {
  const h = new Graph();
  const hx = h.addInput("x", makeType("i8", [3, 16]));
  h.outputs = [h.op("aten.softmax", [h.op("cortex_m.dequantize_per_tensor", [hx], { scale: 0.5, zero_point: 0 })], { dim: 1 })];
  assert.equal(fuseDequantizeSoftmax.run(h, opts).changed, true);
  assert.deepEqual(opsOf(h), ["dequantize_softmax"]);
  assert.equal(fuseDequantizeSoftmax.run(h, opts).changed, false);
});

test("FuseDequantizeSoftmax leaves a softmax of a float input alone", () => {
  const g = new Graph();
  const f = g.addInput("f", makeType("f32", [2, 5]));
  g.outputs = [g.op("aten.softmax", [f], { dim: 1 })];
  assert.equal(fuseDequantizeSoftmax.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), ["softmax"]);
});
