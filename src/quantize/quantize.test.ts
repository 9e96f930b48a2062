// Unit tests of the pattern annotation and the Q/DQ graph it produces, on
// small builder graphs whose expected structure and parameters are written
// out by hand here.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { printGraph } from "../ir/print.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { loadModel } from "../models/index.js";
import { calibrate, feedSetsSource, randomSource } from "./calibrate.js";
import { annotate } from "./annotate.js";
import { cloneGraph } from "./clone.js";
import { randomFeeds } from "../io/feeds.js";
import { quantizeGraph, type QuantizeOptions } from "./quantize.js";
import { quantizeWeightPerChannel } from "./scheme.js";

const Q = "quantized_decomposed.quantize_per_tensor";
const DQ = "quantized_decomposed.dequantize_per_tensor";
const DQC = "quantized_decomposed.dequantize_per_channel";

function ramp(n: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function feeds(g: Graph, data: Float32Array): Record<string, Tensor> {
  const x = g.inputs[0]!;
  return { [x.name]: { dtype: "f32", shape: [...x.shape], data } };
}

function quantize(g: Graph, data: Float32Array, opts: QuantizeOptions = {}) {
  return quantizeGraph(g, feedSetsSource([feeds(g, data)]), { observer: { kind: "minmax" }, progress: false, ...opts });
}

const only = (g: Graph, op: string): Node[] => g.nodes.filter((n) => n.op === op);
const producerOp = (v: Value | null): string | undefined => v?.producer?.op;
const readers = (v: Value): string[] => v.users().map((n) => n.op);

test("conv1d + relu is one pattern: DQ → conv → relu → Q, with per-channel weights", () => {
  const b = new ModelBuilder("t", 1);
  const x = b.input("x", [1, 2, 16]);
  b.output(b.relu(b.conv1d(x, { out: 4, k: 3, pad: 1 })), "y");
  const { graph } = quantize(b.build(), ramp(32, -1, 1));
  const conv = only(graph, "aten.convolution")[0]!;
  assert.deepEqual(conv.meta["qpattern"], { name: "conv1d", tail: "relu" });
  assert.equal(producerOp(conv.inputs[0]!), DQ);
  assert.equal(producerOp(conv.inputs[1]!), DQC);
  assert.equal(conv.inputs[1]!.producer!.inputs[0]!.dtype, "i8");
  assert.equal(conv.inputs[1]!.producer!.attrs["axis"], 0);
  assert.equal(producerOp(conv.inputs[2]!), DQC);
  assert.equal(conv.inputs[2]!.producer!.inputs[0]!.dtype, "i32");
  // Anchor and tail are adjacent; the tail's output is quantized once.
  assert.deepEqual(readers(conv.output), ["aten.relu"]);
  const relu = only(graph, "aten.relu")[0]!;
  assert.deepEqual(readers(relu.output), [Q]);
  const q = relu.output.users()[0]!;
  assert.equal(q.output.dtype, "i8");
  assert.ok(q.output.type.qparams);
  // A relu output range starts at 0: zero point at the bottom of int8.
  assert.equal(q.attrs["zero_point"], -128);
  assert.equal(only(graph, Q).length, 2); // input + relu output
  // Graph input and output stay float, the output keeps its name.
  assert.equal(graph.outputs[0]!.name, "y");
  assert.equal(graph.outputs[0]!.dtype, "f32");
  assert.equal(producerOp(graph.outputs[0]!), DQ);
});

for (const [tail, make, range] of [
  ["hardtanh", (b: ModelBuilder, v: Value) => b.hardtanh(v, 0, 6), [0, 6]],
  ["hardsigmoid", (b: ModelBuilder, v: Value) => b.hardsigmoid(v), [0, 1]],
  ["clamp", (b: ModelBuilder, v: Value) => b.clamp(v, -0.5, 0.25), [-0.5, 0.25]],
] as const) {
  test(`${tail} is a conv tail; the pattern's output range is the tail's`, () => {
    const b = new ModelBuilder("t", 2);
    const x = b.input("x", [1, 3, 8, 8]);
    b.output(make(b, b.conv2d(x, { out: 8, k: 3, pad: 1, gain: 8 })), "y");
    const { graph } = quantize(b.build(), ramp(192, -4, 4));
    const conv = only(graph, "aten.convolution")[0]!;
    assert.deepEqual(conv.meta["qpattern"], { name: "conv2d", tail });
    const t = conv.output.users()[0]!;
    assert.notEqual(t.op, Q);
    const q = t.output.users()[0]!;
    assert.equal(q.op, Q);
    // The seeded conv (gain 8) on ±4 inputs saturates both ends of the tail's range.
    const s = q.attrs["scale"] as number;
    const zp = q.attrs["zero_point"] as number;
    const [lo, hi] = range;
    assert.ok(Math.abs((-128 - zp) * s - Math.min(lo, 0)) <= s, `low end ${(-128 - zp) * s} vs ${lo}`);
    assert.ok(Math.abs((127 - zp) * s - hi) <= s, `high end ${(127 - zp) * s} vs ${hi}`);
  });
}

test("softmax output has the fixed parameters 1/256, zp −128", () => {
  const b = new ModelBuilder("t", 3);
  const x = b.input("x", [1, 10]);
  b.output(b.softmax(b.linear(x, { out: 6 }), -1), "p");
  const { graph } = quantize(b.build(), ramp(10, -3, 3));
  const sm = only(graph, "aten.softmax")[0]!;
  assert.deepEqual(sm.meta["qpattern"], { name: "softmax", tail: null });
  const q = sm.output.users()[0]!;
  assert.equal(q.op, Q);
  assert.equal(q.attrs["scale"], 1 / 256);
  assert.equal(q.attrs["zero_point"], -128);
  assert.deepEqual(q.output.type.qparams?.scale, [1 / 256]);
  // Linear weights are per tensor by default.
  assert.equal(producerOp(only(graph, "aten.linear")[0]!.inputs[1]!), DQ);
});

test("view_copy shares its input's parameters", () => {
  const b = new ModelBuilder("t", 4);
  const x = b.input("x", [1, 4, 8]);
  const c = b.conv1d(x, { out: 4, k: 1 });
  b.output(b.linear(b.view(c, [1, 32]), { out: 3 }), "y");
  const { graph } = quantize(b.build(), ramp(32, -2, 2));
  const view = only(graph, "aten.view_copy")[0]!;
  const inDQ = view.inputs[0]!.producer!;
  assert.equal(inDQ.op, DQ);
  const outQ = view.output.users()[0]!;
  assert.equal(outQ.op, Q);
  assert.equal(outQ.attrs["scale"], inDQ.attrs["scale"]);
  assert.equal(outQ.attrs["zero_point"], inDQ.attrs["zero_point"]);
});

test("bias scale is s_in·s_w per output channel, zero point 0", () => {
  const b = new ModelBuilder("t", 5);
  const x = b.input("x", [1, 2, 6]);
  const w = Float32Array.from([1, -2, 0.5, 0.25, /* ch1 */ 0.1, 0.2, -0.3, 0.05, /* ch2 */ -4, 1, 2, 3]);
  const bias = Float32Array.from([0.3, -0.7, 1.1]);
  b.output(b.conv1d(x, { out: 3, k: 2, weight: w, biasValues: bias }), "y");
  const data = ramp(12, -0.5, 2.05);
  const { graph } = quantize(b.build(), data, { weightRange: "maxabs" });
  const conv = only(graph, "aten.convolution")[0]!;
  const sIn = (2.05 - -0.5) / 255; // min/max observer, range already contains 0
  const sW = [2 / 127, 0.3 / 127, 4 / 127]; // max |w| per output channel / 127
  const dqIn = conv.inputs[0]!.producer!;
  assert.ok(Math.abs((dqIn.attrs["scale"] as number) / sIn - 1) < 1e-6);
  const dqW = conv.inputs[1]!.producer!;
  (dqW.attrs["scales"] as number[]).forEach((s, c) => assert.ok(Math.abs(s / sW[c]! - 1) < 1e-6, `s_w[${c}] ${s}`));
  const dqB = conv.inputs[2]!.producer!;
  assert.equal(dqB.op, DQC);
  assert.equal(dqB.attrs["axis"], 0);
  assert.deepEqual(dqB.attrs["zero_points"], [0, 0, 0]);
  const sB = dqB.attrs["scales"] as number[];
  sB.forEach((s, c) => assert.ok(Math.abs(s / (sIn * sW[c]!) - 1) < 1e-6, `bias scale ${c}: ${s} vs ${sIn * sW[c]!}`));
  const qb = dqB.inputs[0]!;
  assert.equal(qb.dtype, "i32");
  assert.deepEqual(qb.type.qparams?.zeroPoint, [0, 0, 0]);
  Array.from(qb.data!).forEach((q, c) => assert.ok(Math.abs(q - bias[c]! / (sIn * sW[c]!)) <= 0.5 + 1e-6));
});

test("an unsupported op stays float with dequantize before and quantize after", () => {
  const b = new ModelBuilder("t", 6);
  const x = b.input("x", [1, 2, 8]);
  const c1 = b.conv1d(x, { out: 2, k: 1 });
  const e = b.exp(c1);
  b.output(b.conv1d(e, { out: 2, k: 1 }), "y");
  const g = b.build();
  const before = printGraph(g);
  const { graph } = quantize(g, ramp(16, -1, 1));
  assert.equal(printGraph(g), before, "the float graph is not modified");
  const exp = only(graph, "aten.exp")[0]!;
  assert.equal(exp.output.dtype, "f32");
  assert.equal(exp.meta["qrole"], "float");
  assert.equal(producerOp(exp.inputs[0]!), DQ);
  assert.deepEqual(readers(exp.output), [Q]);
  assert.deepEqual(readers(exp.output.users()[0]!.output), [DQ]);
});

test("a float op between float neighbours gets no Q/DQ; the fake-quant graph runs close to float", () => {
  const b = new ModelBuilder("t", 7);
  const x = b.input("x", [1, 4, 8]);
  const s = b.input("s", [1, 4, 8]);
  const e = b.exp(s); // reads only a graph input, feeds only a float op
  const y = b.conv1d(b.mul(x, e), { out: 4, k: 3, pad: 1 });
  b.output(b.sqrt(b.relu(y)), "y");
  const g = b.build();
  const fx = ramp(32, -1, 1);
  const fs = ramp(32, -0.5, 0.5);
  const f = { x: { dtype: "f32" as const, shape: [1, 4, 8], data: fx }, s: { dtype: "f32" as const, shape: [1, 4, 8], data: fs } };
  const { graph, layers, outputs } = quantizeGraph(g, feedSetsSource([f]), { progress: false });
  const exp = only(graph, "aten.exp")[0]!;
  assert.equal(producerOp(exp.inputs[0]!), undefined, "exp reads the graph input directly");
  assert.ok(layers.some((l) => l.op === "conv1d" && l.tail === "relu" && l.weight === "per_channel"));
  assert.ok(outputs[0]!.sqnrDb > 25, `output SQNR ${outputs[0]!.sqnrDb}`);
  const ref = runFloat(g, f)["y"]!.data;
  const got = runFloat(graph, f)["y"]!.data;
  assert.equal(got.length, ref.length);
});

test("calibration is deterministic: same inputs give identical parameters", () => {
  const mk = () => {
    const b = new ModelBuilder("t", 8);
    const x = b.input("x", [1, 2, 64]);
    b.output(b.relu(b.conv1d(b.relu(b.conv1d(x, { out: 8, k: 5, pad: 2 })), { out: 4, k: 3, pad: 1 })), "y");
    return b.build();
  };
  const sets = [0, 1, 2].map((k) => ({ x: { dtype: "f32" as const, shape: [1, 2, 64], data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i * (k + 1) * 0.37) * (k + 1)) } }));
  const a = quantizeGraph(mk(), feedSetsSource(sets), { progress: false, sqnr: false }).graph;
  const c = quantizeGraph(mk(), feedSetsSource(sets), { progress: false, sqnr: false }).graph;
  assert.equal(printGraph(a), printGraph(c));
  const attrs = (g: Graph) => JSON.stringify(g.nodes.map((n) => n.attrs));
  assert.equal(attrs(a), attrs(c));
});

test("weight range \"mse\": keeps max|w|/127 when that grid is exact, clips an outlier when that lowers the error", () => {
  // Channel 0 lies exactly on the grid of step 0.01 = 1.27/127: any other scale has a larger error.
  const grid = Float32Array.from({ length: 255 }, (_, i) => (i - 127) * 0.01);
  // Channel 1: 254 small weights in [-0.1, 0.1] and one outlier 1.0.
  const small = Float32Array.from({ length: 255 }, (_, i) => (i === 0 ? 1.0 : (((i * 37) % 201) - 100) / 1000));
  const w = new Float32Array(510);
  w.set(grid, 0);
  w.set(small, 255);
  const q = quantizeWeightPerChannel(w, [2, 255], 0, "mse");
  const [s0, s1] = q.qparams.scale as [number, number];
  assert.ok(Math.abs(s0 / (1.27 / 127) - 1) < 1e-6, `channel 0 scale ${s0}`);
  assert.deepEqual(q.qparams.zeroPoint, [0, 0]);
  // Symmetric int8 weights stay in [-127, 127].
  assert.ok(q.data.every((v) => v >= -127 && v <= 127));
  // Channel 1: the outlier is clipped (scale below 1/127) and the squared error is below max-abs scaling's.
  assert.ok(s1 < 1 / 127, `channel 1 scale ${s1}`);
  const sse = (s: number, codes: ArrayLike<number>): number => Array.from(small, (x, i) => (x - codes[i]! * s) ** 2).reduce((a, b) => a + b, 0);
  const maxabsCodes = Array.from(small, (x) => Math.max(-127, Math.min(127, Math.round(x * 127))));
  assert.ok(sse(s1, q.data.subarray(255)) < sse(1 / 127, maxabsCodes), "mse error not below max-abs error");
});

test("the SQNR pass reuses the calibration's float runs: same figures as running the float graph again (plain and streaming)", () => {
  const cases: Array<{ model: string; shapes: Record<string, number[]>; runs: number }> = [
    { model: "wav2letter", shapes: { input: [2, 1, 700] }, runs: 3 },
    { model: "silero-vad", shapes: {}, runs: 5 },
  ];
  for (const c of cases) {
    const { graph, builtin } = loadModel(c.model, { inputShapes: c.shapes });
    const source = () => randomSource(c.runs, { seed: 3, ...(builtin?.stream ? { stream: builtin.stream } : {}) });
    const replayed = quantizeGraph(graph, source(), { progress: false });
    assert.equal(replayed.reusedFloatRuns, c.runs, `${c.model}: every calibration run reused`);
    assert.equal(replayed.calibration.kept.length, 0, "kept values released");
    // A separate evaluation source (same data) makes the SQNR pass run the float graph itself.
    const rerun = quantizeGraph(graph, source(), { progress: false, evalSource: source() });
    assert.equal(rerun.reusedFloatRuns, 0);
    assert.equal(replayed.layers.length, rerun.layers.length);
    replayed.layers.forEach((l, i) => assert.equal(l.sqnrDb, rerun.layers[i]!.sqnrDb, `${c.model} layer ${l.name}`));
    assert.ok(replayed.layers.some((l) => l.sqnrDb !== null && Number.isFinite(l.sqnrDb)), `${c.model}: some finite layer SQNR`);
    assert.deepEqual(replayed.outputs, rerun.outputs);
  }
});

test("calibrate keeps whole runs while they fit in the byte budget, with the values the float graph computes", () => {
  const { graph: g0 } = loadModel("wav2letter", { inputShapes: { input: [1, 1, 700] } });
  const g = cloneGraph(g0).graph;
  const ann = annotate(g);
  const values = new Set(g.nodes.map((n) => n.output));
  const perRun = g.nodes.reduce((s, n) => s + 4 * n.output.numel, 0) + g.outputs.reduce((s, o) => s + 4 * o.numel, 0);
  const keptWith = (bytes: number) => calibrate(g, ann, randomSource(3, { seed: 5 }), { progress: false, keep: { values, runs: 3, bytes } }).kept;
  assert.equal(keptWith(perRun - 1).length, 0);
  assert.equal(keptWith(2 * perRun - 1).length, 1);
  const two = keptWith(2 * perRun);
  assert.equal(two.length, 2);
  two.forEach((run, i) => {
    const want = runFloat(g, randomFeeds(g, 5 + i));
    const name = g.outputs[0]!.name;
    assert.deepEqual([...run.outputs[name]!.data], [...want[name]!.data], `run ${i} output`);
    assert.equal(run.values.size, values.size);
  });
});
