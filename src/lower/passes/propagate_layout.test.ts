import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { foldInverseDimOrderClone } from "./fold_inverse_dim_order_clone.js";
import { propagateLayout } from "./propagate_layout.js";
import { clone, countOp, NCHW, NHWC, opsOf } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");
const CLONE = "dim_order_ops._clone_dim_order";

test("PropagateLayout keeps NHWC through a LUT activation so the clone pair folds", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const a = clone(g, x, NCHW);
  const act = g.op("cortex_m.quantized_activation", [a, lut], { function: "silu" });
  const b = clone(g, act, NHWC);
  g.outputs = [b];
  assert.deepEqual(opsOf(g), ["_clone_dim_order", "quantized_activation", "_clone_dim_order"]);
  assert.equal(propagateLayout.run(g, opts).changed, true);
  verifyGraph(g);
  // The to-NCHW clone now follows the activation, right before the clone back.
  assert.deepEqual(opsOf(g), ["quantized_activation", "_clone_dim_order", "_clone_dim_order"]);
  assert.equal(g.nodes[0]!.input(0), x);
  assert.equal(propagateLayout.run(g, opts).changed, false);
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation"]);
  assert.deepEqual(g.outputs[0]!.type.dimOrder, NHWC);
});

test("PropagateLayout keeps NHWC through nearest upsampling and concat (YOLO's neck): no clone left", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3], NHWC));
  const skip = g.addInput("skip", makeType("i8", [1, 2, 6, 6], NHWC));
  const up = g.op("aten.upsample_nearest2d", [clone(g, x, NCHW)], { output_size: [6, 6] });
  const cat = g.op("aten.cat", [up, clone(g, skip, NCHW)], { dim: 1 });
  g.outputs = [clone(g, cat, NHWC)];
  assert.equal(countOp(g, CLONE), 3);
  assert.equal(propagateLayout.run(g, opts).changed, true);
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["upsample_nearest2d", "cat"]);
  assert.deepEqual(g.outputs[0]!.type.dimOrder, NHWC);
});

test("PropagateLayout folds a to-NCHW clone whose readers all convert back (fan-out)", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const a = clone(g, x, NCHW);
  g.outputs = [
    g.op("cortex_m.quantized_activation", [clone(g, a, NHWC), lut]),
    g.op("cortex_m.quantized_activation", [clone(g, a, NHWC), lut]),
  ];
  assert.equal(countOp(g, CLONE), 3);
  assert.equal(propagateLayout.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation", "quantized_activation"]);
  assert.ok(g.nodes.every((n) => n.input(0) === x));
  assert.equal(propagateLayout.run(g, opts).changed, false);
});

test("PropagateLayout leaves a clone in front of an op that needs the logical order", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 3, 3], NHWC));
  // A view reads logical row-major order: the NCHW clone in front of it must stay.
  g.outputs = [g.op("aten.view_copy", [clone(g, x, NCHW)], { size: [1, 36] })];
  assert.equal(propagateLayout.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), ["_clone_dim_order", "view_copy"]);
});
