import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { deadCodeElimination } from "./dce.js";
import { lowerQuantizedOps } from "./lower_quantized_ops.js";
import { replaceQuantNodes } from "./replace_quant_nodes.js";
import { countOp, quantizedModel } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");
const Q = "quantized_decomposed.quantize_per_tensor";
const DQ = "quantized_decomposed.dequantize_per_tensor";
const DQC = "quantized_decomposed.dequantize_per_channel";

test("ReplaceQuantNodes: the Q/DQ left at the float borders of a lowered conv become cortex_m quantize / dequantize", () => {
  const g = quantizedModel((b, x) => b.sqrt(b.relu(b.conv1d(x, { out: 4, k: 3, pad: 1 }))), [1, 3, 8]);
  lowerQuantizedOps.run(g, opts);
  deadCodeElimination.run(g, opts);
  assert.deepEqual([countOp(g, Q), countOp(g, DQ)], [1, 1]);
  assert.equal(replaceQuantNodes.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual([countOp(g, Q), countOp(g, DQ), countOp(g, DQC)], [0, 0, 0]);
  assert.deepEqual([countOp(g, "cortex_m.quantize_per_tensor"), countOp(g, "cortex_m.dequantize_per_tensor")], [1, 1]);
  const q = g.nodes.find((n) => n.op === "cortex_m.quantize_per_tensor")!;
  assert.ok(q.output.type.qparams, "the int8 value carries its quantization parameters");
  assert.equal(replaceQuantNodes.run(g, opts).changed, false);
});

test("ReplaceQuantNodes folds a per-channel dequantize of constant weights into a float constant", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("f32", [2, 3]));
  const w = g.addConst("w", "i8", [2, 3], Int8Array.from([2, -4, 6, 1, 5, -3]));
  const wf = g.op(DQC, [w], { axis: 0, scales: [0.5, 0.25], zero_points: [0, 1], quant_min: -127, quant_max: 127, dtype: "i8" });
  g.outputs = [g.op("aten.add", [x, wf])];
  assert.equal(replaceQuantNodes.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(g.nodes.map((n) => n.op), ["aten.add"]);
  const folded = g.nodes[0]!.input(1);
  assert.equal(folded.dtype, "f32");
  // Row 0: (q − 0) · 0.5; row 1: (q − 1) · 0.25.
  assert.deepEqual([...folded.data!], [1, -2, 3, 0, 1, -1]);
  assert.equal(replaceQuantNodes.run(g, opts).changed, false);
});

test("ReplaceQuantNodes leaves a graph with no quantize/dequantize alone", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("f32", [2, 3]));
  g.outputs = [g.op("aten.relu", [x])];
  assert.equal(replaceQuantNodes.run(g, opts).changed, false);
  assert.deepEqual(g.nodes.map((n) => n.op), ["aten.relu"]);
});
