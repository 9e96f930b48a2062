import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { removeNoopDimOrderClone } from "./remove_noop_clone.js";
import { clone, NCHW, NHWC, opsOf } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("RemoveNoopDimOrderClone drops NCHW↔NHWC clones of [N,C,1,1] and [N,1,H,W] tensors (no byte moves)", () => {
  const g = new Graph();
  const pooled = g.addInput("pooled", makeType("i8", [1, 8, 1, 1], NHWC));
  const mono = g.addInput("mono", makeType("i8", [1, 1, 5, 6], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const a = clone(g, pooled, NCHW);
  const b = clone(g, mono, NCHW);
  g.outputs = [g.op("cortex_m.quantized_activation", [a, lut]), g.op("cortex_m.quantized_activation", [b, lut])];
  assert.deepEqual(opsOf(g), ["_clone_dim_order", "_clone_dim_order", "quantized_activation", "quantized_activation"]);
  assert.equal(removeNoopDimOrderClone.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation", "quantized_activation"]);
  assert.equal(g.nodes[0]!.input(0), pooled);
  assert.equal(g.nodes[1]!.input(0), mono);
  assert.equal(removeNoopDimOrderClone.run(g, opts).changed, false);
});

test("RemoveNoopDimOrderClone keeps a clone that moves bytes, and a no-op clone from a graph input straight to an output", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 5, 6], NHWC));
  const y = g.addInput("y", makeType("i8", [1, 8, 1, 1], NHWC));
  g.outputs = [clone(g, x, NCHW), clone(g, y, NCHW)];
  assert.equal(removeNoopDimOrderClone.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), ["_clone_dim_order", "_clone_dim_order"]);
});
