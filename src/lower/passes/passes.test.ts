import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { Graph, makeType, type Value } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { fuseDequantizeSoftmax } from "./fuse_dequantize_softmax.js";
import { fuseViewCopy } from "./fuse_view_copy.js";
import { removeNoopViewCopy } from "./remove_noop_view_copy.js";
import { foldInverseDimOrderClone } from "./fold_inverse_dim_order_clone.js";
import { propagateLayout } from "./propagate_layout.js";
import { lowerOptions } from "../options.js";

const NHWC = [0, 2, 3, 1];
const NCHW = [0, 1, 2, 3];
const opts = lowerOptions("cortex-m55");

function ops(g: Graph): string[] {
  return g.nodes.map((n) => n.op.split(".").pop()!);
}

function clone(g: Graph, x: Value, order: number[]): Value {
  return g.op("dim_order_ops._clone_dim_order", [x], { dim_order: order });
}

function view(g: Graph, x: Value, size: number[]): Value {
  return g.op("aten.view_copy", [x], { size });
}

test("FuseViewCopy + RemoveNoopViewCopy: view [N,C,L] → view [N,C,L,1] collapses into nothing", () => {
  const g = new Graph();
  const input = g.addInput("x", makeType("i8", [1, 4, 6, 1], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const x = g.op("cortex_m.quantized_activation", [input, lut], {}, { outputTypes: [makeType("i8", [1, 4, 6, 1], NHWC)] });
  const a = clone(g, x, NCHW);
  const v3 = view(g, a, [1, 4, 6]);
  const v4 = view(g, v3, [1, 4, 6, 1]);
  g.outputs = [clone(g, v4, NHWC)];
  fuseViewCopy.run(g, opts);
  removeNoopViewCopy.run(g, opts);
  g.dce();
  verifyGraph(g);
  assert.deepEqual(ops(g), ["quantized_activation", "_clone_dim_order", "_clone_dim_order"]);
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  assert.deepEqual(ops(g), ["quantized_activation"]);
  assert.equal(g.outputs[0], x);
});

test("RemoveNoopViewCopy keeps a view that changes the shape", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  g.outputs = [view(g, x, [2, 12])];
  removeNoopViewCopy.run(g, opts);
  assert.deepEqual(ops(g), ["view_copy"]);
});

test("FuseViewCopy leaves a single view that changes shape alone, and stops at fan-out", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  const v1 = view(g, x, [6, 4]);
  const v2 = view(g, v1, [24]);
  const v3 = view(g, v1, [4, 6]); // fan-out: v1 is read twice
  g.outputs = [v2, v3];
  fuseViewCopy.run(g, opts);
  assert.deepEqual(g.nodes.map((n) => n.attrs.size), [[6, 4], [24], [4, 6]]);
});

test("FoldInverseDimOrderClone leaves non-inverse pairs and fan-out alone", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 5, 6], NHWC));
  const a = clone(g, x, NCHW);
  const b = clone(g, a, [0, 3, 1, 2]); // not x's order: not an identity
  const c = clone(g, x, NCHW);
  const d1 = clone(g, c, NHWC); // inverse, but c is also read by d2
  const d2 = g.op("aten.view_copy", [c], { size: [1, 120] });
  g.outputs = [b, d1, d2];
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  assert.equal(g.nodes.length, 5);
});

test("PropagateLayout keeps NHWC through a LUT activation so the clone pair folds", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const a = clone(g, x, NCHW);
  const act = g.op("cortex_m.quantized_activation", [a, lut], { function: "silu" });
  const b = clone(g, act, NHWC);
  g.outputs = [b];
  propagateLayout.run(g, opts);
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  verifyGraph(g);
  assert.deepEqual(ops(g), ["quantized_activation"]);
  assert.deepEqual(g.outputs[0]!.type.dimOrder, NHWC);
});

test("PropagateLayout keeps NHWC through nearest upsampling and concat (YOLO's neck): no clone left", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3], NHWC));
  const skip = g.addInput("skip", makeType("i8", [1, 2, 6, 6], NHWC));
  const up = g.op("aten.upsample_nearest2d", [clone(g, x, NCHW)], { output_size: [6, 6] });
  const cat = g.op("aten.cat", [up, clone(g, skip, NCHW)], { dim: 1 });
  g.outputs = [clone(g, cat, NHWC)];
  propagateLayout.run(g, opts);
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  verifyGraph(g);
  assert.deepEqual(ops(g), ["upsample_nearest2d", "cat"]);
  assert.deepEqual(g.outputs[0]!.type.dimOrder, NHWC);
});

test("FuseDequantizeSoftmax: dequantize → float softmax becomes one dequantize_softmax; a shared dequantize stays for its other user; a softmax of float input is left", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 16, 4, 9]));
  const f = g.addInput("f", makeType("f32", [2, 5]));
  const dq = g.op("cortex_m.dequantize_per_tensor", [x], { scale: 0.0177498, zero_point: 14 });
  const sm = g.op("aten.softmax", [dq], { dim: 1 });
  const sig = g.op("aten.sigmoid", [dq]);
  const plain = g.op("aten.softmax", [f], { dim: 1 });
  g.outputs = [sm, sig, plain];
  assert.deepEqual(ops(g), ["dequantize_per_tensor", "softmax", "sigmoid", "softmax"]);
  assert.equal(fuseDequantizeSoftmax.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(ops(g), ["dequantize_per_tensor", "dequantize_softmax", "sigmoid", "softmax"]);
  const fused = g.outputs[0]!.producer!;
  assert.equal(fused.op, "cortex_m.dequantize_softmax");
  assert.equal(fused.input(0), x);
  assert.deepEqual(fused.attrs, { dim: 1, scale: 0.0177498, zero_point: 14 });
  assert.deepEqual(fused.output.shape, [1, 16, 4, 9]);
  assert.equal(fused.output.dtype, "f32");
  assert.equal(g.outputs[2]!.producer!.op, "aten.softmax");
  // Alone, the dequantize goes with the softmax.
  const h = new Graph();
  const hx = h.addInput("x", makeType("i8", [3, 16]));
  h.outputs = [h.op("aten.softmax", [h.op("cortex_m.dequantize_per_tensor", [hx], { scale: 0.5, zero_point: 0 })], { dim: 1 })];
  fuseDequantizeSoftmax.run(h, opts);
  assert.deepEqual(ops(h), ["dequantize_softmax"]);
  assert.equal(fuseDequantizeSoftmax.run(h, opts).changed, false);
});
