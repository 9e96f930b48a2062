import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { ioLayoutNhwc } from "./io_layout.js";
import { clone, NCHW, NHWC, opsOf, view } from "../../../test/support/pass_graphs.js";

/** A conv1d-shaped model boundary: [1,4,6] float in and out, a channels-last int8 op between the wraps. */
function wrapped(): Graph {
  const g = new Graph();
  const x = g.addInput("x", makeType("f32", [1, 4, 6]));
  const q = g.op("cortex_m.quantize_per_tensor", [x], { scale: 0.05, zero_point: 0, quant_min: -128, quant_max: 127 });
  const into = clone(g, view(g, q, [1, 4, 6, 1]), NHWC);
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const act = g.op("cortex_m.quantized_activation", [into, lut]);
  const out = view(g, clone(g, act, NCHW), [1, 4, 6]);
  g.outputs = [g.op("cortex_m.dequantize_per_tensor", [out], { scale: 0.05, zero_point: 0 })];
  return g;
}

test("IoLayoutNhwc (--io-layout nhwc) drops the boundary clones; the model's input and output hold channels-last bytes", () => {
  const g = wrapped();
  const opts = lowerOptions("cortex-m55", "nhwc");
  assert.deepEqual(opsOf(g), ["quantize_per_tensor", "view_copy", "_clone_dim_order", "quantized_activation", "_clone_dim_order", "view_copy", "dequantize_per_tensor"]);
  assert.equal(ioLayoutNhwc.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantize_per_tensor", "view_copy", "quantized_activation", "view_copy", "dequantize_per_tensor"]);
  assert.deepEqual(g.inputs[0]!.type.dimOrder, [0, 2, 1]);
  assert.deepEqual(g.outputs[0]!.type.dimOrder, [0, 2, 1]);
  assert.equal(ioLayoutNhwc.run(g, opts).changed, false);
});

test("IoLayoutNhwc does nothing with --io-layout nchw (the default)", () => {
  const g = wrapped();
  const before = opsOf(g);
  assert.equal(ioLayoutNhwc.run(g, lowerOptions("cortex-m55", "nchw")).changed, false);
  assert.deepEqual(opsOf(g), before);
  assert.deepEqual(g.inputs[0]!.type.dimOrder, [0, 1, 2]);
});
