import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType, type Value } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { foldReinterpretView } from "./fold_reinterpret_view.js";
import { clone, NCHW, NHWC, opsOf, view } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

/** A 1x2 max pool over a [1,4,1,L] NHWC value, declared with its cmsis_nn_dims (so it may be reinterpreted). */
function pool1d(g: Graph, x: Value, len: number): Value {
  return g.op("cortex_m.quantized_max_pool2d", [x], {
    kernel_size: [1, 2], stride: [1, 1], padding: [0, 0],
    input_dims: [1, 1, len, 4], output_dims: [1, 1, len - 1, 4],
  });
}

test("FoldReinterpretView: a 1-D pool reads and writes the Nx1 tensors around its 1xN view chains directly", () => {
  // The conv1d shape of the lowering: [N,C,L,1]{NHWC} → clone → view [N,C,1,L] → clone → pool → and back.
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 6, 1], NHWC));
  const into = clone(g, view(g, clone(g, x, NCHW), [1, 4, 1, 6]), NHWC);
  const p = pool1d(g, into, 6);
  g.outputs = [clone(g, view(g, clone(g, p, NCHW), [1, 4, 5, 1]), NHWC)];
  const before = opsOf(g);
  assert.deepEqual(before, ["_clone_dim_order", "view_copy", "_clone_dim_order", "quantized_max_pool2d", "_clone_dim_order", "view_copy", "_clone_dim_order"]);
  assert.equal(foldReinterpretView.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_max_pool2d"]);
  const pool = g.nodes[0]!;
  assert.equal(pool.input(0), x);
  assert.equal(g.outputs[0], pool.output);
  assert.deepEqual(pool.output.shape, [1, 4, 5, 1]);
  assert.deepEqual(pool.output.type.dimOrder, NHWC);
  assert.deepEqual(pool.attrs.output_shape, [1, 4, 5, 1]);
  assert.equal(foldReinterpretView.run(g, opts).changed, false);
});

test("FoldReinterpretView leaves a chain that moves bytes, and a pool without cmsis_nn_dims, alone", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 1, 6], NHWC));
  const p = pool1d(g, x, 6);
  // To NCHW and flattened: a real transposition of the [5,4] NHWC bytes.
  const flat = view(g, clone(g, p, NCHW), [1, 20]);
  const y = g.addInput("y", makeType("i8", [1, 4, 1, 6], NHWC));
  const plain = g.op("cortex_m.quantized_max_pool2d", [y], { kernel_size: [1, 2], stride: [1, 1], padding: [0, 0] });
  g.outputs = [flat, clone(g, clone(g, plain, NCHW), NHWC)];
  const before = opsOf(g);
  assert.equal(foldReinterpretView.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), before);
});

test("FoldReinterpretView follows a permute: clone → view [N,C,L] → permute [0,2,1] is the conv1d's NHWC bytes; a permute that moves bytes stays", () => {
  // What a reduction over the channels (log_softmax dim 1) lowers to after a conv1d: the dim moved last.
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 4, 1, 6], NHWC));
  const p = pool1d(g, x, 6); // NHWC bytes of [1,4,1,5]: 5 positions × 4 channels
  const ncl = view(g, clone(g, p, NCHW), [1, 4, 5]);
  const nlc = g.op("aten.permute_copy", [ncl], { dims: [0, 2, 1] });
  g.outputs = [g.op("aten.permute_copy", [nlc], { dims: [0, 2, 1] })];
  assert.equal(foldReinterpretView.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_max_pool2d", "permute_copy"]);
  const pool = g.nodes[0]!;
  assert.deepEqual(pool.output.shape, [1, 5, 4]);
  assert.deepEqual(pool.output.type.dimOrder, [0, 1, 2]);
  assert.equal(g.nodes[1]!.input(0), pool.output);

  // A view that regroups the logical NCHW elements ([1,4,5] read as [1,5,4]) and a permute of it move bytes: nothing folds.
  const h = new Graph();
  const y = h.addInput("y", makeType("i8", [1, 4, 1, 6], NHWC));
  const q = pool1d(h, y, 6);
  const nlcView = view(h, clone(h, q, NCHW), [1, 5, 4]);
  h.outputs = [h.op("aten.permute_copy", [nlcView], { dims: [0, 2, 1] })];
  const before = opsOf(h);
  assert.equal(foldReinterpretView.run(h, opts).changed, false);
  assert.deepEqual(opsOf(h), before);
});
