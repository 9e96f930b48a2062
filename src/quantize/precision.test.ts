// int16 activation groups and the precision options, on small builder graphs
// whose expected parameters are computed here from the calibration data.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import type { Graph, Node } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { UserError } from "../ir/errors.js";
import { runFloat } from "../interp/float.js";
import { feedSetsSource } from "./calibrate.js";
import { quantizeGraph, type QuantizeOptions } from "./quantize.js";

const Q = "quantized_decomposed.quantize_per_tensor";
const DQC = "quantized_decomposed.dequantize_per_channel";

function ramp(n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function twoConvs(): Graph {
  const b = new ModelBuilder("t", 1);
  const x = b.input("x", [1, 2, 16]);
  const h = b.relu(b.conv1d(x, { out: 4, k: 3, pad: 1 }));
  b.output(b.conv1d(h, { out: 3, k: 3, pad: 1 }), "y");
  return b.build();
}

function quantize(g: Graph, data: Float32Array, opts: QuantizeOptions = {}) {
  const x = g.inputs[0]!;
  const feeds: Record<string, Tensor> = { [x.name]: { dtype: "f32", shape: [...x.shape], data } };
  return quantizeGraph(g, feedSetsSource([feeds]), { observer: { kind: "minmax" }, progress: false, sqnr: false, ...opts });
}

const convs = (g: Graph): Node[] => g.nodes.filter((n) => n.op === "aten.convolution");
/** The quantize node right after the dequantize that feeds `n`'s input `i`. */
const inputQ = (n: Node, i = 0): Node => n.inputs[i]!.producer!.inputs[0]!.producer!;

test("--int16 on a conv: its input and output are int16, symmetric from the full range; its bias is int64; the rest stays int8", () => {
  const g = twoConvs();
  const data = ramp(32, -0.75, 1.5);
  const first = convs(g)[0]!.name;
  const { graph, layers } = quantize(g, data, { int16Nodes: [first] });
  const [c1, c2] = convs(graph) as [Node, Node];
  const qx = inputQ(c1);
  assert.equal(qx.op, Q);
  assert.equal(qx.output.dtype, "i16");
  // Symmetric: the largest |x| of the data (1.5) maps to 32767, zero point 0.
  assert.equal(qx.attrs["scale"], Math.fround(1.5 / 32767));
  assert.equal(qx.attrs["zero_point"], 0);
  assert.deepEqual([qx.attrs["quant_min"], qx.attrs["quant_max"]], [-32768, 32767]);
  // The 16x8 bias: int64 with scale s_in·s_w.
  const bias = c1.inputs[2]!.producer!;
  assert.equal(bias.op, DQC);
  assert.equal(bias.inputs[0]!.dtype, "i64");
  const wScales = c1.inputs[1]!.producer!.attrs["scales"] as number[];
  (bias.attrs["scales"] as number[]).forEach((s, c) => assert.equal(s, Math.fround((qx.attrs["scale"] as number) * wScales[c]!)));
  // Output of the first conv (+relu) is the second conv's input: int16 too; the second conv's output int8.
  assert.equal(inputQ(c2).output.dtype, "i16");
  assert.equal(inputQ(c2).attrs["zero_point"], 0);
  assert.equal(c2.inputs[2]!.producer!.inputs[0]!.dtype, "i64");
  const yq = graph.outputs[0]!.producer!.inputs[0]!.producer!;
  assert.equal(yq.output.dtype, "i8");
  // The second conv computes in int16 (16x8 kernels give int16) and is requantized to its int8 group:
  // conv → Q int16 (symmetric from the output's full range) → DQ → Q int8.
  const border = yq.inputs[0]!.producer!.inputs[0]!.producer!;
  assert.equal(border.op, Q);
  assert.equal(border.output.dtype, "i16");
  assert.equal(border.inputs[0], c2.output);
  const y = runFloat(g, { x: { dtype: "f32", shape: [1, 2, 16], data } }).y!.data;
  const maxAbs = Math.max(...Array.from(y, Math.abs));
  assert.equal(border.attrs["scale"], Math.fround(maxAbs / 32767));
  assert.deepEqual(layers.map((l) => [l.precision, l.reason]), [["int16", `--int16 ${first}`], ["int8", "default"]]);
});

test("default precision is int8 everywhere; --precision int16 makes every group int16", () => {
  const g = twoConvs();
  const data = ramp(32, -1, 1);
  const q8 = quantize(g, data);
  assert.ok(q8.graph.nodes.filter((n) => n.op === Q).every((n) => n.output.dtype === "i8"));
  assert.ok(q8.layers.every((l) => l.precision === "int8" && l.reason === "default"));
  const q16 = quantize(g, data, { precision: "int16" });
  const qs = q16.graph.nodes.filter((n) => n.op === Q);
  assert.ok(qs.length >= 3);
  assert.ok(qs.every((n) => n.output.dtype === "i16" && n.attrs["zero_point"] === 0));
  assert.ok(q16.layers.every((l) => l.precision === "int16" && l.reason === "--precision int16"));
});

test("--keep-float keeps a node float and says why; unknown node names are one-line errors naming them", () => {
  const g = twoConvs();
  const second = convs(g)[1]!.name;
  const { graph, layers } = quantize(g, ramp(32, -1, 1), { keepFloatNodes: [second] });
  const c2 = convs(graph)[1]!;
  assert.equal(c2.inputs[1]!.producer, null, "the float conv reads its float weights");
  assert.equal(layers[1]!.precision, "float", "its output (the graph output) is float");
  assert.match(layers[1]!.reason, /--keep-float/);
  for (const opt of ["int16Nodes", "keepFloatNodes"] as const) {
    assert.throws(() => quantize(g, ramp(32, -1, 1), { [opt]: ["no/such/node"] }), (e: unknown) =>
      e instanceof UserError && e.message.includes('"no/such/node"') && !e.message.includes("\n"));
  }
});
