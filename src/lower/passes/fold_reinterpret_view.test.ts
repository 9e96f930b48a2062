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
