import { test } from "node:test";
import assert from "node:assert/strict";
import onnxProto from "onnx-proto";
import { ModelBuilder } from "../builder/builder.js";
import { UserError } from "../ir/errors.js";
import { Graph, makeType, Node } from "../ir/graph.js";
import { verifyGraph } from "../ir/verify.js";
import { exportOnnx } from "./onnx.js";
import { emitterFor } from "./onnx_ops.js";
import { compareWithOrt, fmtDiffs, seededFeeds } from "../../test/support/ort_compare.js";

const { onnx } = onnxProto;

test("float catalog ops export and match ONNX Runtime (rel ≤ 1e-4 per output)", async () => {
  const b = new ModelBuilder("ops", 3);
  const g = b.graph;
  const x = b.input("x", [1, 4, 6, 6]);
  const outs: [string, ReturnType<typeof b.relu>][] = [];
  const keep = (name: string, v: ReturnType<typeof b.relu>) => outs.push([name, v]);

  const p = b.pad(x, [1, 2, 0, 1], "reflect"); // [1,4,7,9]
  keep("pad_const", b.pad(x, [1, 1, 2, 0], "constant", 0.5));
  const c1 = b.conv2d(p, { out: 8, k: 3, groups: 2, dilation: [1, 2], pad: [1, 0], padEnd: [0, 1], stride: [2, 1] });
  keep("conv", c1);
  keep("conv_nobias", b.conv2d(x, { out: 3, k: 1, bias: false }));
  keep("dw", b.depthwise2d(x, { k: 3, pad: 1 }));
  keep("act", b.cat([b.hardsigmoid(x), b.hardswish(x), b.silu(x), b.leakyRelu(x, 0.1), b.hardtanh(x, -0.5, 0.7), b.clamp(x, -0.2, null), b.clamp(x, null, 0.3), b.relu6(x)], 1));
  keep("gelu", g.op("aten.gelu", [x]));
  keep("unary", b.cat([g.op("aten.abs", [x]), g.op("aten.neg", [x]), b.exp(b.mul(x, 0.5)), g.op("aten.log", [b.add(g.op("aten.abs", [x]), 1)]), b.sqrt(g.op("aten.abs", [x])), b.tanh(x), b.sigmoid(x), b.relu(x)], 1));
  const y = b.mul(x, 0.5);
  keep("binary", b.cat([b.add(x, y), b.sub(x, y), b.mul(x, y), b.div(x, b.add(g.op("aten.abs", [y]), 1)), b.pow(g.op("aten.abs", [x]), 1.5), g.op("aten.maximum", [x, y]), g.op("aten.minimum", [x, y])], 1));
  keep("maxpool", b.maxpool2d(p, { k: 3, stride: 2, pad: 1, ceilMode: true }));
  keep("avgpool", b.avgpool2d(p, { k: [2, 3], stride: [2, 2], pad: [1, 1], countIncludePad: false }));
  keep("avgpool_incl", b.avgpool2d(x, { k: 2 }));
  keep("up", b.upsampleNearest2d(c1, { size: [9, 17] }));
  keep("mean", b.mean(x, [2, 3], true));
  keep("amax", g.op("aten.amax", [x], { dims: [1], keepdim: false }));
  keep("softmax", b.softmax(x, 1));
  keep("log_softmax", b.logSoftmax(x, -1));
  const v = b.view(b.permute(x, [0, 2, 3, 1]), [1, 36, 4]);
  const [s0, s1] = b.split(v, [10, 26], 1) as [typeof v, typeof v];
  keep("split_slice", b.cat([s0, b.slice(s1, 1, 1, 21, 2)], 1));
  const idx = b.constant("idx", [3], [3, 0, 2], "i64");
  keep("index_select", g.op("aten.index_select", [x, idx], { dim: 1 }));
  keep("linear3", b.linear(v, { out: 5 }));
  keep("linear2", b.linear(b.view(x, [4, 36]), { out: 7, bias: false }));
  keep("matmul", b.matmul(v, b.permute(v, [0, 2, 1])));
  const w = b.flatten(x, 2);
  keep("where", g.op("aten.where", [g.op("aten.logical_not", [g.op("aten.eq", [w, w])]), w, b.mul(w, 2)]));
  keep("pool1d", b.cat([
    g.op("aten.max_pool1d", [w], { kernel_size: [3], stride: [2], padding: [1], dilation: [1], ceil_mode: false }),
    g.op("aten.avg_pool1d", [w], { kernel_size: [4], stride: [2], padding: [2], ceil_mode: false, count_include_pad: true }),
  ], 2));
  keep("clone", g.op("aten.clone", [w]));
  keep("clone_dim_order", g.op("dim_order_ops._clone_dim_order", [x], { dim_order: [0, 2, 3, 1] }));
  keep("cast", g.op("aten._to_copy", [x], { dtype: "f32" }));
  // ONNX LSTM: X [seq=3, batch=1, in=36], H = 5.
  const H = 5;
  const X = b.view(x, [4, 1, 36]);
  const W = b.param("W", [1, 4 * H, 36], b.rng.uniformArray(4 * H * 36, -0.3, 0.3));
  const R = b.param("R", [1, 4 * H, H], b.rng.uniformArray(4 * H * H, -0.3, 0.3));
  const B = b.param("B", [1, 8 * H], b.rng.uniformArray(8 * H, -0.3, 0.3));
  const h0 = b.param("h0", [1, 1, H], b.rng.uniformArray(H, -1, 1));
  const c0 = b.param("c0", [1, 1, H], b.rng.uniformArray(H, -1, 1));
  const lstm = g.addNode("aten.lstm", [X, W, R, B, h0, c0], { hidden_size: H }).outputs;
  keep("lstm_Y", lstm[0]!);
  keep("lstm_Yh", lstm[1]!);
  keep("lstm_Yc", lstm[2]!);
  const lstm2 = g.addNode("aten.lstm", [X, W, R, null, null, null], { hidden_size: H }).outputs;
  keep("lstm_noinit", lstm2[0]!);
  for (const [name, val] of outs) b.output(val, name);
  verifyGraph(g);

  const diffs = await compareWithOrt(g, seededFeeds(g, 21));
  console.log(fmtDiffs("ops", diffs));
  for (const d of diffs) assert.ok(d.relError <= 1e-4, `${d.name}: rel ${d.relError}`);
  // Every catalog op the exporter claims was exercised except the quantized ones (next test).
  const used = new Set(g.nodes.map((n) => n.op));
  for (const op of ["aten.convolution", "aten.pad", "aten.gelu", "aten.lstm", "aten.index_select", "aten.where"]) assert.ok(used.has(op));
});

test("QDQ graph (per-tensor and per-channel) exports and matches ONNX Runtime within one step", async () => {
  const g = new Graph("qdq");
  const x = g.addInput("x", makeType("f32", [1, 3, 5, 5]));
  const S = 0.05;
  const q = g.op("quantized_decomposed.quantize_per_tensor", [x], { scale: S, zero_point: 3, quant_min: -128, quant_max: 127, dtype: "i8" });
  const dq = g.op("quantized_decomposed.dequantize_per_tensor", [q], { scale: S, zero_point: 3, quant_min: -128, quant_max: 127, dtype: "i8" });
  const wq = Int8Array.from({ length: 4 * 3 * 9 }, (_, i) => ((i * 37) % 255) - 127);
  const wc = g.addConst("w_q", "i8", [4, 3, 3, 3], wq);
  const wdq = g.op("quantized_decomposed.dequantize_per_channel", [wc], { scales: [0.01, 0.02, 0.005, 0.03], zero_points: [0, 0, 0, 0], axis: 0, quant_min: -127, quant_max: 127, dtype: "i8" });
  const conv = g.op("aten.convolution", [dq, wdq, null], { stride: [1, 1], padding: [1, 1], padding_end: [1, 1], dilation: [1, 1], groups: 1, transposed: false, output_padding: [0, 0] });
  const OS = 0.02;
  const q2 = g.op("quantized_decomposed.quantize_per_tensor", [conv], { scale: OS, zero_point: 0, quant_min: -127, quant_max: 127, dtype: "i8" });
  const out = g.op("quantized_decomposed.dequantize_per_tensor", [q2], { scale: OS, zero_point: 0, quant_min: -127, quant_max: 127, dtype: "i8" }, { outputNames: ["y"] });
  g.outputs.push(out);
  verifyGraph(g);
  const bytes = exportOnnx(g);
  const m = onnx.ModelProto.decode(bytes);
  const nodes = m.graph!.node!;
  const types = nodes.map((n) => n.opType);
  assert.deepEqual(types.filter((t) => t === "QuantizeLinear").length, 2);
  assert.deepEqual(types.filter((t) => t === "DequantizeLinear").length, 3);
  assert.ok(types.includes("Clip"), "narrow range −127..127 becomes a Clip after QuantizeLinear");
  const perChannel = nodes.find((n) => n.opType === "DequantizeLinear" && (n.attribute ?? []).some((a) => a.name === "axis"));
  assert.ok(perChannel, "per-channel dequantize has an axis attribute");
  const diffs = await compareWithOrt(g, seededFeeds(g, 4));
  console.log(fmtDiffs("qdq", diffs));
  // Float accumulation order may move a value across a rounding boundary: allow one step.
  assert.ok(diffs[0]!.maxAbsDiff <= OS * 1.0001, `max diff ${diffs[0]!.maxAbsDiff}`);
});

test("model proto: IR 8, opset 17, sanitised unique names, constants as initializers", () => {
  const b = new ModelBuilder("names", 1);
  const x = b.input("x in", [1, 2]);
  const a = b.relu(x);
  a.name = "same name";
  const c = b.sigmoid(a);
  c.name = "same name"; // duplicate IR names must still export uniquely
  b.output(b.add(c, 1), "y/out");
  const m = onnx.ModelProto.decode(exportOnnx(b.build()));
  assert.equal(Number(m.irVersion), 8);
  assert.equal(Number(m.opsetImport[0]!.version), 17);
  const g = m.graph!;
  assert.equal(g.input![0]!.name, "x_in");
  assert.equal(g.output![0]!.name, "y/out");
  const produced = g.node!.flatMap((n) => n.output ?? []);
  assert.equal(new Set(produced).size, produced.length);
  assert.ok([...produced, ...g.node!.map((n) => n.name ?? "")].every((s) => /^[A-Za-z0-9_.:\/-]+$/.test(s)));
  assert.equal(g.initializer!.length, 1); // the scalar 1
  assert.equal(g.initializer![0]!.dataType, 1);
});

test("ops without an ONNX form (cortex_m.*) are a UserError naming the node", () => {
  const n = new Node(0, "qconv", "cortex_m.quantized_conv2d", [], [], {});
  assert.throws(() => emitterFor(n), (e: unknown) => e instanceof UserError && /qconv/.test((e as Error).message));
});
