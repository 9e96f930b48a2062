// The three ops issue 11 adds through the op specs, end to end: LeakyReLU as an int8 lookup table carrying its
// slope, Max/Min as arm_maximum_s8 / arm_minimum_s8, mean over trailing dims (GlobalAveragePool) as
// arm_avgpool_s8. The model conv1d → LeakyReLU → conv1d → Max(·, constant) → conv1d lowers on the Cortex-M55 and
// M4 with no float op and no layout op between the convs, and its generated C gives the simulator's bytes on the
// host (ASan/UBSan) and QEMU's boards, with the portable library and with the real CMSIS-NN.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelBuilder } from "../builder/index.js";
import { Graph, makeType, type Node, type Value } from "../ir/graph.js";
import { formatVerifyTable, verifyC, type CTarget, type VerifyRow } from "./engines_c.js";
import { boardInfo } from "../targets/boards.js";
import { assertIdentical, cTargets, feedsOf, realCmsisNn, smallModel } from "../../test/support/c_models.js";
import { encodeModel, seededValues, type ModelSpec } from "../../test/fixtures/onnx-model.js";
import { importOnnx } from "../import/onnx/index.js";
import { quantizeGraph } from "../quantize/quantize.js";
import { randomSource } from "../quantize/calibrate.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { planGraph } from "../plan/graph_plan.js";
import type { EmitInput } from "../emit/project.js";
import { IRError } from "../ir/errors.js";
import { QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM } from "../ops/cortex_m/elementwise.js";

const CONVS = new Set(["cortex_m.quantized_conv2d", "cortex_m.quantized_depthwise_conv2d"]);
const LAYOUT = new Set(["aten.view_copy", "dim_order_ops._clone_dim_order", "cortex_m.transpose", "cortex_m.pad", "aten.permute_copy"]);

/** The ops strictly between the first and the last convolution of the final graph (in schedule order). */
function betweenConvs(g: Graph): Node[] {
  const idx = g.nodes.flatMap((n, i) => (CONVS.has(n.op) ? [i] : []));
  return g.nodes.slice(idx[0]! + 1, idx[idx.length - 1]!);
}

const maximum = (b: ModelBuilder, x: Value, c: number): Value => b.graph.op("aten.maximum", [x, b.constant("floor", [], [c])]);
const minimum = (b: ModelBuilder, x: Value, y: Value): Value => b.graph.op("aten.minimum", [x, y]);

/** conv1d → LeakyReLU(0.1) → conv1d → Max(·, −0.25) → conv1d (issue 11, Must show). */
const payoff = (b: ModelBuilder, x: Value): Value => {
  let y = b.conv1d(x, { out: 8, k: 3, pad: 1, bias: true });
  y = b.leakyRelu(y, 0.1);
  y = b.conv1d(y, { out: 8, k: 3, pad: 1, bias: true });
  y = maximum(b, y, -0.25);
  return b.conv1d(y, { out: 4, k: 3, pad: 1, bias: true });
};

for (const target of ["cortex-m55", "cortex-m4"]) {
  test(`${target}: conv1d → LeakyReLU → conv1d → Max(·, c) → conv1d keeps int8 and NHWC between the convs`, () => {
    const g = smallModel(payoff, [1, 4, 16], target).final!;
    assert.equal(g.nodes.filter((n) => CONVS.has(n.op)).length, 3);
    const between = betweenConvs(g);
    assert.deepEqual(between.map((n) => n.op).filter((op) => op !== "cortex_m.scratch"),
      ["cortex_m.quantized_activation", "cortex_m.quantized_conv2d", "cortex_m.quantized_maximum"]);
    for (const n of between) {
      assert.ok(!LAYOUT.has(n.op), `layout op ${n.op} between the convs`);
      for (const v of n.outputs) assert.notEqual(v.dtype, "f32", `float value ${v.name} between the convs`);
    }
    const lut = between.find((n) => n.op === "cortex_m.quantized_activation")!;
    assert.equal(lut.attrs.function, "leaky_relu");
    assert.equal(lut.attrs.negative_slope, 0.1);
    // Outside the convs: only the model's own quantize / dequantize and the final unwrap to [N, C, L].
    assert.equal(g.nodes.filter((n) => n.outputs.some((v) => v.dtype === "f32")).length, 1);
  });
}

test("the leaky_relu table holds the slope: q ↦ round(f(s_in·(q − zp_in)) / s_out) + zp_out", () => {
  const g = smallModel(payoff, [1, 4, 16]).final!;
  const lut = g.nodes.find((n) => n.op === "cortex_m.quantized_activation")!;
  const x = lut.input(0).type.qparams!;
  const y = lut.output.type.qparams!;
  const table = lut.input(1).data as Int8Array;
  let negatives = 0;
  for (let q = -128; q <= 127; q++) {
    const real = x.scale[0]! * (q - x.zeroPoint[0]!);
    const f = real >= 0 ? real : 0.1 * real;
    if (real < 0) negatives++;
    const r = f / y.scale[0]!;
    const want = Math.max(-128, Math.min(127, Math.sign(r) * Math.round(Math.abs(r)) + y.zeroPoint[0]!));
    assert.equal(table[q + 128], want, `entry ${q}`);
  }
  assert.ok(negatives > 16, "the input range reaches the slope");
});

test("Max / Min lowering: a one-element operand goes second, equal shapes stay, other broadcasts stay float", () => {
  const scalarFirst = smallModel((b, x) => b.graph.op("aten.maximum", [b.constant("c", [1], [0.1]), b.conv1d(x, { out: 4, k: 1 })]), [1, 4, 8]).final!;
  const mx = scalarFirst.nodes.find((n) => n.op === "cortex_m.quantized_maximum")!;
  assert.equal(mx.input(1).numel, 1);
  const pair = smallModel((b, x) => minimum(b, b.conv1d(x, { out: 4, k: 1 }), b.conv1d(x, { out: 4, k: 3, pad: 1 })), [1, 4, 8]).final!;
  assert.equal(pair.nodes.filter((n) => n.op === "cortex_m.quantized_minimum").length, 1);
  const rowBroadcast = smallModel((b, x) => b.graph.op("aten.maximum", [b.conv1d(x, { out: 4, k: 1 }), b.constant("c", [1, 4, 1], [0, 0.1, -0.1, 0.2])]), [1, 4, 8]).final!;
  assert.equal(rowBroadcast.nodes.filter((n) => n.op === "cortex_m.quantized_maximum").length, 0);
  assert.equal(rowBroadcast.nodes.filter((n) => n.op === "aten.maximum").length, 1);
});

/** conv2d → relu → GlobalAveragePool → 1x1 conv (a classifier head). */
const globalAvg = (b: ModelBuilder, x: Value): Value =>
  b.conv2d(b.mean(b.relu(b.conv2d(x, { out: 6, k: 3, pad: 1 })), [2, 3], true), { out: 3, k: 1 });

test("mean over the spatial dims (GlobalAveragePool) → one arm_avgpool_s8 with the whole extent as its window", () => {
  const g = smallModel(globalAvg, [1, 3, 5, 7]).final!;
  const pools = g.nodes.filter((n) => n.op === "cortex_m.quantized_avg_pool2d");
  assert.equal(pools.length, 1);
  assert.deepEqual(pools[0]!.attrs.kernel_size, [5, 7]);
  assert.deepEqual(pools[0]!.attrs.output_dims, [1, 1, 1, 6]);
  assert.equal(g.nodes.filter((n) => n.op === "aten.mean").length, 0);
  const inner = smallModel((b, x) => b.conv1d(b.mean(b.conv1d(x, { out: 4, k: 1 }), [1], true), { out: 2, k: 1 }), [1, 4, 8]).final!;
  assert.equal(inner.nodes.filter((n) => n.op === "aten.mean").length, 1, "a mean over channels is not a pool");
  // At the end of the int8 region a mean stays float (quantizing it would only round before the float output).
  const last = smallModel((b, x) => b.mean(b.relu(b.conv2d(x, { out: 6, k: 3, pad: 1 })), [2, 3], true), [1, 3, 5, 7]).final!;
  assert.equal(last.nodes.filter((n) => n.op === "aten.mean").length, 1);
  assert.equal(last.nodes.filter((n) => n.op === "cortex_m.quantized_avg_pool2d").length, 0);
});

/** The same model as ONNX (Conv → LeakyRelu → Conv → Max(·, c) → Conv → GlobalAveragePool → 1x1 Conv), imported and lowered. */
const CONV = (name: string, x: string, w: string, b: string): ModelSpec["nodes"][number] =>
  ({ op: "Conv", inputs: [x, w, b], outputs: [name], attrs: { kernel_shape: { ints: [3] }, pads: { ints: [1, 1] } } });
const ONNX_PAYOFF: ModelSpec = {
  opset: 17,
  inputs: [{ name: "x", shape: [1, 4, 16] }],
  outputs: [{ name: "y", shape: [1, 2, 1] }],
  nodes: [
    CONV("c1", "x", "w1", "b1"),
    { op: "LeakyRelu", inputs: ["c1"], outputs: ["l1"], attrs: { alpha: { f: 0.2 } } },
    CONV("c2", "l1", "w2", "b2"),
    { op: "Max", inputs: ["c2", "floor"], outputs: ["m2"] },
    CONV("c3", "m2", "w3", "b3"),
    { op: "GlobalAveragePool", inputs: ["c3"], outputs: ["g3"] },
    { op: "Conv", inputs: ["g3", "w4", "b4"], outputs: ["y"], attrs: { kernel_shape: { ints: [1] } } },
  ],
  initializers: [
    { name: "w1", dims: [8, 4, 3], data: seededValues(96, 1, -0.5, 0.5) }, { name: "b1", dims: [8], data: seededValues(8, 2, -0.1, 0.1) },
    { name: "w2", dims: [8, 8, 3], data: seededValues(192, 3, -0.4, 0.4) }, { name: "b2", dims: [8], data: seededValues(8, 4, -0.1, 0.1) },
    { name: "floor", dims: [], data: [-0.2] },
    { name: "w3", dims: [4, 8, 3], data: seededValues(96, 5, -0.4, 0.4) }, { name: "b3", dims: [4], data: seededValues(4, 6, -0.1, 0.1) },
    { name: "w4", dims: [2, 4, 1], data: seededValues(8, 7, -0.5, 0.5) }, { name: "b4", dims: [2], data: seededValues(2, 8, -0.1, 0.1) },
  ],
};

function onnxModel(target: string): EmitInput {
  const q = quantizeGraph(importOnnx(encodeModel(ONNX_PAYOFF), { name: "payoff.onnx" }), randomSource(4, { seed: 3 }), { sqnr: false });
  const options = lowerOptions(target);
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options };
}

for (const target of ["cortex-m55", "cortex-m4"]) {
  test(`${target}: the ONNX model (LeakyRelu, Max with a constant, GlobalAveragePool) lowers to int8 kernels only`, () => {
    const g = onnxModel(target).final!;
    const ops = g.nodes.map((n) => n.op).filter((op) => op !== "cortex_m.scratch");
    assert.deepEqual(ops.filter((op) => !LAYOUT.has(op)), [
      "cortex_m.quantize_per_tensor", "cortex_m.quantized_conv2d", "cortex_m.quantized_activation", "cortex_m.quantized_conv2d",
      "cortex_m.quantized_maximum", "cortex_m.quantized_conv2d", "cortex_m.quantized_avg_pool2d", "cortex_m.quantized_conv2d",
      "cortex_m.dequantize_per_tensor",
    ]);
    for (const n of betweenConvs(g)) assert.ok(!LAYOUT.has(n.op), `layout op ${n.op} between the convs`);
    assert.equal(g.nodes.find((n) => n.op === "cortex_m.quantized_activation")!.attrs.negative_slope, Math.fround(0.2)); // ONNX alpha is a float32
  });
}

test("min/max record: flat dims, a one-element second operand as [1,1,1,1]; a row broadcast is rejected", () => {
  const build = (bShape: number[], op = QUANTIZED_MAXIMUM.name) => {
    const g = new Graph("m");
    const a = g.addInput("a", makeType("i8", [1, 8, 1, 16], [0, 2, 3, 1]));
    const b = bShape.length === 4 && bShape[1] === 8 && bShape[3] === 16 ? g.addInput("b", makeType("i8", bShape)) : g.addConst("b", "i8", bShape, new Int8Array(bShape.reduce((x, y) => x * y, 1)));
    return g.addNode(op, [a, b], {}, { name: "mx" });
  };
  const p = QUANTIZED_MAXIMUM.decode!(build([]));
  assert.equal(p.kernel, "arm_maximum_s8");
  assert.deepEqual([p.input1, p.input2, p.output], [{ n: 1, h: 1, w: 1, c: 128 }, { n: 1, h: 1, w: 1, c: 1 }, { n: 1, h: 1, w: 1, c: 128 }]);
  const q = QUANTIZED_MINIMUM.decode!(build([1, 8, 1, 16], QUANTIZED_MINIMUM.name));
  assert.equal(q.kernel, "arm_minimum_s8");
  assert.deepEqual(q.input2, { n: 1, h: 1, w: 1, c: 128 });
  assert.throws(() => build([1, 8, 1, 1]), (e: unknown) => e instanceof IRError && /equal shapes or a one-element second operand/.test(e.message));
});

/** Compile target → the C targets it runs on (those available here). */
function byCore(): [string, CTarget[]][] {
  const cores = new Map<string, CTarget[]>();
  for (const t of cTargets()) {
    const cpu = t === "host" ? "cortex-m3" : boardInfo(t).cpu;
    cores.set(cpu, [...(cores.get(cpu) ?? []), t]);
  }
  return [...cores];
}

const CASES: { name: string; input: number[]; build: (b: ModelBuilder, x: Value) => Value }[] = [
  { name: "payoff", input: [1, 4, 16], build: payoff },
  { name: "min_pair", input: [1, 4, 8], build: (b, x) => minimum(b, b.conv1d(x, { out: 4, k: 1 }), b.conv1d(x, { out: 4, k: 3, pad: 1 })) },
  { name: "global_avg", input: [1, 3, 5, 7], build: globalAvg },
  { name: "onnx_payoff", input: [], build: (_b, x) => x }, // built by onnxModel
];

test("C: generated C = simulator, byte for byte (portable library, then the real CMSIS-NN), host and QEMU boards", async () => {
  const nn = realCmsisNn();
  const rows: VerifyRow[] = [];
  for (const c of CASES) {
    for (const [cpu, targets] of byCore()) {
      const m = c.name === "onnx_payoff" ? onnxModel(cpu) : smallModel(c.build, c.input, cpu);
      const steps = feedsOf(m, [11, 12]);
      rows.push(...(await verifyC(m, { model: `${c.name} (${cpu})`, name: c.name, targets, steps })));
      if (nn) rows.push(...(await verifyC(m, { model: `${c.name} (${cpu}, real CMSIS-NN)`, name: c.name, targets, steps, cmsisNn: nn })));
    }
  }
  console.log(formatVerifyTable(rows));
  assert.ok(rows.length >= CASES.length);
  assertIdentical(rows);
});
