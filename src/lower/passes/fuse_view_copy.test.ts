import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { fuseViewCopy } from "./fuse_view_copy.js";
import { removeNoopViewCopy } from "./remove_noop_view_copy.js";
import { foldInverseDimOrderClone } from "./fold_inverse_dim_order_clone.js";
import { clone, NCHW, NHWC, opsOf, view } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("FuseViewCopy gives every view of a chain the last shape; a second run changes nothing", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  const v1 = view(g, x, [6, 4]);
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const act = g.op("cortex_m.quantized_activation", [v1, lut]); // unary elementwise: the chain runs through it
  g.outputs = [view(g, act, [24])];
  assert.equal(fuseViewCopy.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["view_copy", "quantized_activation", "view_copy"]);
  assert.deepEqual(g.nodes.map((n) => n.output.shape), [[24], [24], [24]]);
  assert.equal(fuseViewCopy.run(g, opts).changed, false);
});

test("FuseViewCopy + RemoveNoopViewCopy: view [N,C,L] → view [N,C,L,1] collapses into nothing", () => {
  const g = new Graph();
  const input = g.addInput("x", makeType("i8", [1, 4, 6, 1], NHWC));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const x = g.op("cortex_m.quantized_activation", [input, lut], {}, { outputTypes: [makeType("i8", [1, 4, 6, 1], NHWC)] });
  const a = clone(g, x, NCHW);
  const v3 = view(g, a, [1, 4, 6]);
  const v4 = view(g, v3, [1, 4, 6, 1]);
  g.outputs = [clone(g, v4, NHWC)];
  assert.equal(fuseViewCopy.run(g, opts).changed, true);
  assert.equal(removeNoopViewCopy.run(g, opts).changed, true);
  g.dce();
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation", "_clone_dim_order", "_clone_dim_order"]);
  assert.equal(fuseViewCopy.run(g, opts).changed, false);
  foldInverseDimOrderClone.run(g, opts);
  g.dce();
  assert.deepEqual(opsOf(g), ["quantized_activation"]);
  assert.equal(g.outputs[0], x);
});

test("FuseViewCopy leaves a single view that changes shape alone, and stops at fan-out", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  const v1 = view(g, x, [6, 4]);
  const v2 = view(g, v1, [24]);
  const v3 = view(g, v1, [4, 6]); // fan-out: v1 is read twice
  g.outputs = [v2, v3];
  assert.equal(fuseViewCopy.run(g, opts).changed, false);
  assert.deepEqual(g.nodes.map((n) => n.attrs.size), [[6, 4], [24], [4, 6]]);
});
