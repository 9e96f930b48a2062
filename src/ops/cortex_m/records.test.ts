// The cortex_m specs' decode(node): what each record holds for a hand-built
// node (expectations written here from the attributes given), and one
// rejected node per rule. Both back ends bind to these records, so a rule
// tested here holds for the simulator and the C generator alike.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../index.js";
import { decoderOf } from "../../ir/bindings.js";
import { IRError } from "../../ir/errors.js";
import { Graph, makeType, type Attrs, type AttrValue, type Node, type Value } from "../../ir/graph.js";
import { CHANNELS_LAST } from "./shapes.js";
import { QUANTIZED_CONV2D, QUANTIZED_DEPTHWISE_CONV2D } from "./conv.js";
import { CLAMP, QUANTIZED_ACTIVATION, QUANTIZED_ADD, QUANTIZED_MUL } from "./elementwise.js";
import { QUANTIZED_LINEAR } from "./linear.js";
import { nodeMacs } from "./macs.js";
import { QUANTIZED_AVG_POOL2D, QUANTIZED_MAX_POOL2D } from "./pool.js";
import { DEQUANTIZE_PER_TENSOR, DEQUANTIZE_SOFTMAX, QUANTIZE_PER_TENSOR } from "./quant.js";
import { SCRATCH } from "./scratch.js";
import { SOFTMAX } from "./softmax.js";

const rejects = (node: () => Node, decode: (n: Node) => unknown, pattern: RegExp): void => {
  const n = node();
  assert.throws(() => decode(n), (e: unknown) => e instanceof IRError && pattern.test(e.message) && e.message.includes(n.name), pattern.source);
};

/** Attribute overrides; undefined removes the attribute. */
type Over = Record<string, AttrValue | undefined>;
/** Apply overrides to a built node (after its shape was inferred from valid attributes). */
function edit(node: Node, over: Over): Node {
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete node.attrs[k];
    else node.attrs[k] = v;
  }
  return node;
}

const CONV_ATTRS: Attrs = {
  stride: [1, 2], padding: [1, 0], input_offset: 5, output_offset: -3, activation_min: -100, activation_max: 90, target_class: "dsp",
};

/** x [1,4,5,6] NHWC → conv 3x3 (OHWI [8,3,3,4], or grouped [8,3,3,2]), all operands present unless dropped. */
function conv(over: Over = {}, opts: { groups?: number; bias?: boolean; mults?: number; dimOrder?: number[]; build?: Attrs } = {}): Node {
  const g = new Graph("c");
  const x = g.addInput("x", makeType("i8", [1, 4, 5, 6], opts.dimOrder ?? CHANNELS_LAST));
  const cin = 4 / (opts.groups ?? 1);
  const w = g.addConst("w", "i8", [8, 3, 3, cin], new Int8Array(8 * 9 * cin));
  const b = opts.bias === false ? null : g.addConst("b", "i32", [8], new Int32Array(8));
  const n = opts.mults ?? 8;
  const m = g.addConst("m", "i32", [n], new Int32Array(n));
  const s = g.addConst("s", "i32", [n], new Int32Array(n));
  const sc = g.op("cortex_m.scratch", [], { bytes: 64 });
  return edit(g.addNode(QUANTIZED_CONV2D.name, [x, w, b, m, s, sc], { ...CONV_ATTRS, ...opts.build }, { name: "conv" }), over);
}

function depthwise(over: Over = {}, bias = false): Node {
  const g = new Graph("dw");
  const x = g.addInput("x", makeType("i8", [1, 2, 4, 4], CHANNELS_LAST));
  const w = g.addConst("w", "i8", [1, 3, 3, 4], new Int8Array(36));
  const b = bias ? g.addConst("b", "i32", [4], new Int32Array(4)) : null;
  const m = g.addConst("m", "i32", [4], new Int32Array(4));
  const s = g.addConst("s", "i32", [4], new Int32Array(4));
  return edit(g.addNode(QUANTIZED_DEPTHWISE_CONV2D.name, [x, w, b, m, s, null], {
    stride: [1, 1], padding: [1, 1], input_offset: 0, output_offset: 0, activation_min: -128, activation_max: 127, target_class: "mve",
  }, { name: "dw" }), over);
}

test("conv record: window defaults, call dims from the values, kernel choice, bias use", () => {
  const p = decoderOf(QUANTIZED_CONV2D)(conv());
  assert.deepEqual(p.input, { n: 1, h: 5, w: 6, c: 4 });
  assert.deepEqual(p.filter, { n: 8, h: 3, w: 3, c: 4 });
  // h: (5 + 1 + 1 - 3) / 1 + 1 = 5; w: (6 + 0 + 0 - 3) / 2 + 1 = 2
  assert.deepEqual(p.output, { n: 1, h: 5, w: 2, c: 8 });
  assert.deepEqual(p.paddingEnd, { h: 1, w: 0 }, "padding_end defaults to padding");
  assert.deepEqual(p.dilation, { h: 1, w: 1 }, "dilation defaults to 1");
  assert.equal(p.kernel, "arm_convolve_wrapper_s8");
  assert.equal(p.bias, "operand");
  assert.equal(p.targetClass, "dsp");
  assert.deepEqual([p.inputOffset, p.outputOffset, p.activation.min, p.activation.max, p.cout, p.chMult], [5, -3, -100, 90, 8, 1]);
  assert.equal(decoderOf(QUANTIZED_CONV2D)(conv({ direct_call: true })).kernel, "arm_convolve_s8");
  // Asymmetric end padding (trimmed taps): the window's output uses it.
  const q = decoderOf(QUANTIZED_CONV2D)(conv({}, { build: { padding_end: [0, 0] } }));
  assert.deepEqual([q.paddingEnd, q.output.h], [{ h: 0, w: 0 }, 4]);
  // No bias: a plain conv passes NULL, a grouped one cout zeros (the kernel advances bias per group).
  assert.equal(decoderOf(QUANTIZED_CONV2D)(conv({}, { bias: false })).bias, "null");
  assert.equal(decoderOf(QUANTIZED_CONV2D)(conv({}, { bias: false, groups: 2 })).bias, "zeros");
});

test("conv record: input_dims / output_dims are the call's dims and must fill the values", () => {
  const p = decoderOf(QUANTIZED_CONV2D)(conv({ input_dims: [1, 5, 6, 4], output_dims: [1, 5, 2, 8] }));
  assert.deepEqual([p.input, p.output], [{ n: 1, h: 5, w: 6, c: 4 }, { n: 1, h: 5, w: 2, c: 8 }]);
  rejects(() => conv({ input_dims: [1, 5, 5, 4] }), decoderOf(QUANTIZED_CONV2D), /input_dims 1x5x5x4 does not fill/);
  rejects(() => conv({ output_dims: [1, 2, 5, 8] }), decoderOf(QUANTIZED_CONV2D), /disagree with the window's 1x5x2x8/);
});

test("conv record: each rule rejects the node, naming it", () => {
  const d = decoderOf(QUANTIZED_CONV2D);
  rejects(() => conv({}, { mults: 7 }), d, /needs 8 multipliers, has 7/);
  rejects(() => conv({ target_class: undefined }), d, /target_class must be one of scalar, dsp, mve, got undefined/);
  rejects(() => conv({ target_class: "neon" }), d, /target_class must be one of/);
  rejects(() => conv({ activation_min: -129 }), d, /activation range \[-129, 90\]/);
  rejects(() => conv({ activation_min: 10, activation_max: 0 }), d, /activation range/);
  rejects(() => conv({ input_offset: 0.5 }), d, /input_offset must be an integer/);
  rejects(() => conv({ output_offset: undefined }), d, /output_offset must be a number/);
  rejects(() => conv({ stride: [1] }), d, /stride must hold integers \[h, w\]/);
  rejects(() => conv({ dilation: [0, 1] }), d, /dilation must be positive/);
  rejects(() => conv({ direct_call: "yes" }), d, /direct_call must be a boolean/);
  rejects(() => conv({}, { dimOrder: [0, 1, 2, 3] }), d, /must hold NHWC bytes/);
});

test("depthwise record: channel multiplier, the zero bias, MVE target class; direct_call refused", () => {
  const d = decoderOf(QUANTIZED_DEPTHWISE_CONV2D);
  const p = d(depthwise());
  assert.deepEqual([p.depthwise, p.kernel, p.chMult, p.cout, p.bias, p.targetClass], [true, "arm_depthwise_conv_wrapper_s8", 2, 4, "zeros", "mve"]);
  assert.deepEqual(p.filter, { n: 1, h: 3, w: 3, c: 4 });
  assert.equal(d(depthwise({}, true)).bias, "operand");
  assert.equal(d(depthwise({ depth_multiplier: 2 })).chMult, 2);
  rejects(() => depthwise({ depth_multiplier: 3 }), d, /depth multiplier 3 does not map 2 input channels onto 4/);
  rejects(() => depthwise({ direct_call: true }), d, /direct_call applies to plain convolutions only/);
});

test("a decoder refuses a node of another op", () => {
  assert.throws(() => decoderOf(QUANTIZED_DEPTHWISE_CONV2D)(conv()), /is cortex_m.quantized_conv2d, not cortex_m.quantized_depthwise_conv2d/);
});

function linear(over: Over = {}, sums = 3): Node {
  const g = new Graph("fc");
  const x = g.addInput("x", makeType("i8", [2, 5, 4]));
  const w = g.addConst("w", "i8", [3, 4], new Int8Array(12));
  const ks = g.addConst("ks", "i32", [sums], new Int32Array(sums));
  return edit(g.addNode(QUANTIZED_LINEAR.name, [x, w, null, ks], {
    input_offset: 1, filter_offset: 0, output_offset: -2, multiplier: 1 << 30, shift: -3, activation_min: -128, activation_max: 127,
  }, { name: "fc" }), over);
}

test("linear record: rows of K, per-tensor requantization, kernel sums of O", () => {
  const p = decoderOf(QUANTIZED_LINEAR)(linear());
  assert.deepEqual([p.rows, p.k, p.o, p.multiplier, p.shift, p.inputOffset, p.outputOffset], [10, 4, 3, 1 << 30, -3, 1, -2]);
  assert.equal(p.operands.bias, null);
  assert.equal(p.operands.kernelSums?.name, "ks");
  rejects(() => linear({}, 4), decoderOf(QUANTIZED_LINEAR), /needs 3 kernel sums, has 4/);
  rejects(() => linear({ multiplier: undefined }), decoderOf(QUANTIZED_LINEAR), /multiplier must be a number/);
});

function binary(op: string, over: Over = {}, bShape = [2, 3]): Node {
  const g = new Graph("b");
  const a = g.addInput("a", makeType("i8", [2, 3]));
  const b = g.addInput("b", makeType("i8", bShape));
  const attrs: Attrs = op === QUANTIZED_ADD.name
    ? { input1_offset: 1, input1_multiplier: 2, input1_shift: -1, input2_offset: 3, input2_multiplier: 4, input2_shift: -2, left_shift: 20,
      output_offset: -5, output_multiplier: 6, output_shift: -7, activation_min: -128, activation_max: 127 }
    : { input1_offset: 1, input2_offset: 3, output_offset: -5, output_multiplier: 6, output_shift: -7, activation_min: -128, activation_max: 127 };
  return edit(g.addNode(op, [a, b], attrs, { name: "bin", outputTypes: [makeType("i8", [2, 3])] }), over);
}

test("add / mul records hold the kernel's parameter block and the element count", () => {
  const add = decoderOf(QUANTIZED_ADD)(binary(QUANTIZED_ADD.name));
  assert.deepEqual(add.kernel, {
    input1Offset: 1, input1Mult: 2, input1Shift: -1, input2Offset: 3, input2Mult: 4, input2Shift: -2, leftShift: 20,
    outOffset: -5, outMult: 6, outShift: -7, outActivationMin: -128, outActivationMax: 127,
  });
  assert.equal(add.size, 6);
  const mul = decoderOf(QUANTIZED_MUL)(binary(QUANTIZED_MUL.name));
  assert.deepEqual(mul.kernel, { input1Offset: 1, input2Offset: 3, outOffset: -5, outMult: 6, outShift: -7, outActivationMin: -128, outActivationMax: 127 });
  rejects(() => binary(QUANTIZED_ADD.name, { left_shift: undefined }), decoderOf(QUANTIZED_ADD), /left_shift must be a number/);
  rejects(() => binary(QUANTIZED_MUL.name, {}, [3, 2]), decoderOf(QUANTIZED_MUL), /needs equal shapes/);
});

test("clamp and LUT records: the range, the 256-entry table", () => {
  const g = new Graph("u");
  const x = g.addInput("x", makeType("i8", [4, 2]));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const short = g.addConst("short", "i8", [255], new Int8Array(255));
  const c = g.op(CLAMP.name, [x], { activation_min: -3, activation_max: 7 }).producer!;
  const a = g.op(QUANTIZED_ACTIVATION.name, [x, lut], { function: "sigmoid" }).producer!;
  const bad = g.op(QUANTIZED_ACTIVATION.name, [x, short], { function: "tanh" }, { name: "bad_lut" }).producer!;
  assert.deepEqual([decoderOf(CLAMP)(c).activation, decoderOf(CLAMP)(c).size], [{ min: -3, max: 7 }, 8]);
  assert.deepEqual([decoderOf(QUANTIZED_ACTIVATION)(a).fn, decoderOf(QUANTIZED_ACTIVATION)(a).operands.table.name], ["sigmoid", "lut"]);
  rejects(() => bad, decoderOf(QUANTIZED_ACTIVATION), /the table must hold 256 entries, has 255/);
});

function pool(op: string, over: Over = {}): Node {
  const g = new Graph("p");
  const x = g.addInput("x", makeType("i8", [1, 3, 4, 6], CHANNELS_LAST));
  const sc = g.op("cortex_m.scratch", [], { bytes: 12 });
  const ins: (Value | null)[] = op === QUANTIZED_AVG_POOL2D.name ? [x, sc] : [x];
  const attrs: Attrs = { kernel_size: [2, 3], stride: [2, 3], padding: [0, 0], activation_min: -128, activation_max: 127 };
  return edit(g.addNode(op, ins, attrs, { name: "pool" }), over);
}

test("pool records: window, dims, scratch only for the average pool", () => {
  const avg = decoderOf(QUANTIZED_AVG_POOL2D)(pool(QUANTIZED_AVG_POOL2D.name));
  assert.deepEqual([avg.window, avg.input, avg.output, avg.kernel], [{ h: 2, w: 3 }, { n: 1, h: 4, w: 6, c: 3 }, { n: 1, h: 2, w: 2, c: 3 }, "arm_avgpool_s8"]);
  assert.ok(avg.operands.scratch);
  const max = decoderOf(QUANTIZED_MAX_POOL2D)(pool(QUANTIZED_MAX_POOL2D.name));
  assert.deepEqual([max.kernel, max.operands.scratch], ["arm_max_pool_s8", null]);
  rejects(() => pool(QUANTIZED_MAX_POOL2D.name, { dilation: [2, 1] }), decoderOf(QUANTIZED_MAX_POOL2D), /no dilation/);
  rejects(() => pool(QUANTIZED_MAX_POOL2D.name, { kernel_size: [2] }), decoderOf(QUANTIZED_MAX_POOL2D), /kernel_size must hold/);
});

test("quantize / dequantize / softmax / scratch records", () => {
  const g = new Graph("q");
  const x = g.addInput("x", makeType("f32", [2, 5]));
  const q = g.op(QUANTIZE_PER_TENSOR.name, [x], { scale: 0.25, zero_point: -3, quant_min: -127, quant_max: 127 }).producer!;
  const noRange = g.op(QUANTIZE_PER_TENSOR.name, [x], { scale: 0.25, zero_point: -3 }, { name: "q_no_range" }).producer!;
  const dq = g.op(DEQUANTIZE_PER_TENSOR.name, [q.output], { scale: 0.25, zero_point: -3 }).producer!;
  const zero = g.op(DEQUANTIZE_PER_TENSOR.name, [q.output], { scale: 0, zero_point: 0 }, { name: "dq_zero" }).producer!;
  const sm = g.op(SOFTMAX.name, [q.output], { multiplier: 1 << 30, shift: 23, diff_min: -248 }).producer!;
  const dsm = g.op(DEQUANTIZE_SOFTMAX.name, [q.output], { dim: -1, scale: 0.25, zero_point: -3 }).producer!;
  const sc = g.op(SCRATCH.name, [], { bytes: 32 }).producer!;
  assert.deepEqual(
    (({ scale, zeroPoint, qmin, qmax, size }) => [scale, zeroPoint, qmin, qmax, size])(decoderOf(QUANTIZE_PER_TENSOR)(q)),
    [0.25, -3, -127, 127, 10],
  );
  assert.deepEqual((({ scale, zeroPoint, size }) => [scale, zeroPoint, size])(decoderOf(DEQUANTIZE_PER_TENSOR)(dq)), [0.25, -3, 10]);
  assert.deepEqual((({ rows, rowSize, diffMin }) => [rows, rowSize, diffMin])(decoderOf(SOFTMAX)(sm)), [2, 5, -248]);
  assert.equal(decoderOf(DEQUANTIZE_SOFTMAX)(dsm).dim, -1);
  assert.equal(decoderOf(SCRATCH)(sc).bytes, 32);
  rejects(() => noRange, decoderOf(QUANTIZE_PER_TENSOR), /quant_min must be a number/);
  rejects(() => zero, decoderOf(DEQUANTIZE_PER_TENSOR), /scale must be positive/);
});

test("MACs come from the records: outputs × window × input channels per group; rows × O × K", () => {
  // conv: output 1x5x2x8, 3x3 taps over 4 channels; depthwise: output 1x4x4x4, 3x3 taps; linear: 10 rows × 3 × 4
  assert.equal(nodeMacs(conv()), 80 * 9 * 4);
  assert.equal(nodeMacs(depthwise()), 64 * 9);
  assert.equal(nodeMacs(linear()), 10 * 3 * 4);
  assert.equal(nodeMacs(binary(QUANTIZED_ADD.name)), 0);
});
