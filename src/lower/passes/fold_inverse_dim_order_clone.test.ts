import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { foldInverseDimOrderClone } from "./fold_inverse_dim_order_clone.js";
import { clone, NCHW, NHWC, opsOf } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("FoldInverseDimOrderClone removes an NHWC→NCHW→NHWC clone pair; the reader takes the source", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 5, 6], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const act = g.op("cortex_m.quantized_activation", [x, lut]);
  const back = clone(g, clone(g, act, NCHW), NHWC);
  g.outputs = [g.op("cortex_m.quantized_activation", [back, lut])];
  assert.deepEqual(opsOf(g), ["quantized_activation", "_clone_dim_order", "_clone_dim_order", "quantized_activation"]);
  assert.equal(foldInverseDimOrderClone.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation", "quantized_activation"]);
  assert.equal(g.nodes[1]!.input(0), act);
  assert.equal(foldInverseDimOrderClone.run(g, opts).changed, false);
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
  assert.equal(foldInverseDimOrderClone.run(g, opts).changed, false);
  assert.equal(g.nodes.length, 5);
});
