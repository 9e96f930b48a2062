// The 16x8 ops of the cortex_m dialect: int16 activations (symmetric, zero point 0 — the kernels take no offsets),
// int8 weights, int64 bias. quantized_linear_s16 (arm_fully_connected_s16), quantized_add_s16 / quantized_mul_s16
// (arm_elementwise_add_s16 / _mul_s16, equal shapes), activation_s16 (arm_nn_activation_s16: sigmoid or tanh by
// the library's interpolation table) and softmax_s16 (arm_softmax_s16 with its two 513-entry tables as constants).
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp, type OpTraits } from "../../ir/registry.js";
import type { Activation, ActivationS16, AddS16Params, MulS16Params } from "../../kernels/index.js";
import { fail, intAttr, operand, optionalOperand } from "./decode.js";
import { need } from "./shapes.js";

const same = (t: TensorType): TensorType => makeType(t.dtype, t.shape, t.dimOrder);

/** The int16 output clamp: both present, integers inside [-32768, 32767], min ≤ max. */
export function activationAttrS16(node: Node): Activation {
  const min = intAttr(node, "activation_min");
  const max = intAttr(node, "activation_max");
  if (min < -32768 || max > 32767 || min > max) fail(node, `activation range [${min}, ${max}] is not inside [-32768, 32767]`);
  return { min, max };
}

/** A shift arm_nn_requantize_s64 can take: it shifts the 64-bit product right by 14 − shift. */
function s64Shift(node: Node): number {
  const shift = intAttr(node, "shift");
  if (shift > 14 || shift < -50) fail(node, `shift ${shift} is outside the 64-bit requantization's range [-50, 14]`);
  return shift;
}

export interface LinearS16Params {
  /** Rows of K inputs (every dim but the last, flattened). */
  rows: number;
  k: number;
  /** Output features. */
  o: number;
  activation: Activation;
  /** Per-tensor requantization (the kernel reduces the multiplier to 16 bits itself). */
  multiplier: number;
  shift: number;
  operands: { input: Value; weight: Value; bias: Value | null };
}

export const QUANTIZED_LINEAR_S16 = defineOp<LinearS16Params>({
  name: "cortex_m.quantized_linear_s16",
  infer: ([x, w]) => {
    const xt = need(x, "input");
    const wt = need(w, "weight");
    const k = xt.shape[xt.shape.length - 1];
    if (wt.shape.length !== 2 || wt.shape[1] !== k) throw new IRError(`linear weight [${wt.shape}] does not match input [${xt.shape}]`);
    return [makeType("i16", [...xt.shape.slice(0, -1), wt.shape[0]!])];
  },
  decode: (node) => {
    const x = operand(node, 0, "input", "i16");
    const w = operand(node, 1, "weight", "i8");
    if (x.rank < 1) fail(node, "input must have at least one dim");
    const k = x.shape[x.rank - 1]!;
    if (w.rank !== 2 || w.shape[1] !== k) fail(node, `weight [${w.shape}] does not match input [${x.shape}]`);
    const o = w.shape[0]!;
    const rows = k === 0 ? 0 : x.numel / k;
    if (node.output.dtype !== "i16") fail(node, `output must be i16, got ${node.output.dtype}`);
    if (node.output.numel !== rows * o) fail(node, `output [${node.output.shape}] does not hold ${rows} rows of ${o}`);
    const bias = optionalOperand(node, 2, "bias", "i64");
    if (bias && bias.numel !== o) fail(node, `needs ${o} bias values, has ${bias.numel}`);
    return {
      rows, k, o, activation: activationAttrS16(node), multiplier: intAttr(node, "multiplier"), shift: s64Shift(node),
      operands: { input: x, weight: w, bias },
    };
  },
});

/** The record of an int16 two-input kernel: its parameter block, the element count, the operands. */
export interface BinaryS16Params<K> {
  kernel: K;
  size: number;
  operands: { a: Value; b: Value };
}

const BINARY_TRAITS: OpTraits = { inPlace: [0, 1], layoutAgnostic: [0, 1] };
const UNARY_TRAITS: OpTraits = { inPlace: [0], layoutAgnostic: [0] };

function binaryS16<K>(name: string, block: (int: (key: string) => number, act: Activation) => K) {
  return defineOp<BinaryS16Params<K>>({
    name,
    traits: BINARY_TRAITS,
    infer: ([a, b]) => {
      const at = need(a, "a");
      const bt = need(b, "b");
      if (at.shape.join() !== bt.shape.join()) throw new IRError(`${name} needs equal shapes, got [${at.shape}] and [${bt.shape}]`);
      return [same(at)];
    },
    decode: (node) => {
      const a = operand(node, 0, "first input", "i16");
      const b = operand(node, 1, "second input", "i16");
      const y = node.output;
      if (y.dtype !== "i16") fail(node, `output must be i16, got ${y.dtype}`);
      if (a.shape.join() !== y.shape.join() || b.shape.join() !== y.shape.join()) {
        fail(node, `needs equal shapes, got [${a.shape}], [${b.shape}] → [${y.shape}]`);
      }
      return { kernel: block((k) => intAttr(node, k), activationAttrS16(node)), size: y.numel, operands: { a, b } };
    },
  });
}

export const QUANTIZED_ADD_S16 = binaryS16<AddS16Params>("cortex_m.quantized_add_s16", (n, act) => {
  const leftShift = n("left_shift");
  // |x| ≤ 2^15: a shift above 15 would leave int32 before the first requantization.
  if (leftShift < 0 || leftShift > 15) throw new IRError(`cortex_m.quantized_add_s16: left_shift ${leftShift} is not in [0, 15]`);
  return {
    input1Mult: n("input1_multiplier"), input1Shift: n("input1_shift"), input2Mult: n("input2_multiplier"), input2Shift: n("input2_shift"),
    leftShift, outMult: n("output_multiplier"), outShift: n("output_shift"), outActivationMin: act.min, outActivationMax: act.max,
  };
});

export const QUANTIZED_MUL_S16 = binaryS16<MulS16Params>("cortex_m.quantized_mul_s16", (n, act) => ({
  outMult: n("output_multiplier"), outShift: n("output_shift"), outActivationMin: act.min, outActivationMax: act.max,
}));

export interface ActivationS16Params {
  function: ActivationS16;
  /** The input scale is 2^(left_shift − 12): the kernel multiplies by 3·2^left_shift onto the table's grid. */
  leftShift: number;
  size: number;
  operands: { input: Value };
}

/** arm_nn_activation_s16: the output is Q0.15 (scale 1/32768, zero point 0) for both functions. */
export const ACTIVATION_S16 = defineOp<ActivationS16Params>({
  name: "cortex_m.activation_s16",
  unaryElementwise: true,
  traits: UNARY_TRAITS,
  infer: ([x]) => [same(need(x, "x"))],
  decode: (node) => {
    const input = operand(node, 0, "input", "i16");
    if (node.output.dtype !== "i16") fail(node, `output must be i16, got ${node.output.dtype}`);
    const fn = node.attrs.function;
    if (fn !== "sigmoid" && fn !== "tanh") fail(node, `function must be "sigmoid" or "tanh", got ${JSON.stringify(fn)}`);
    const leftShift = intAttr(node, "left_shift");
    // 3·x·2^left_shift must stay inside int32 for every int16 x.
    if (leftShift < -31 || leftShift > 14) fail(node, `left_shift ${leftShift} is not in [-31, 14]`);
    return { function: fn, leftShift, size: node.output.numel, operands: { input } };
  },
});

export interface SoftmaxS16Params {
  rows: number;
  rowSize: number;
  /** The diff to the row max scaled so that −65535 stands for −10 (QuantizeMultiplier of s_in / (10/65535)). */
  multiplier: number;
  shift: number;
  operands: { input: Value; expLut: Value; oneByOneLut: Value };
}

/** arm_softmax_s16 over rows of the last logical dim; output Q0.15. Operands: [x, exp table, 1/(1+x) table]. */
export const SOFTMAX_S16 = defineOp<SoftmaxS16Params>({
  name: "cortex_m.softmax_s16",
  infer: ([x]) => [same(need(x, "x"))],
  decode: (node) => {
    const input = operand(node, 0, "input", "i16");
    const expLut = operand(node, 1, "exp table", "i16");
    const oneByOneLut = operand(node, 2, "1/(1+x) table", "i16");
    if (expLut.numel !== 513 || oneByOneLut.numel !== 513) fail(node, "the tables must hold 513 entries each");
    if (node.output.dtype !== "i16") fail(node, `output must be i16, got ${node.output.dtype}`);
    const r = input.rank;
    const rowSize = r === 0 ? 1 : input.shape[r - 1]!;
    return {
      rows: rowSize === 0 ? 0 : input.numel / rowSize, rowSize,
      multiplier: intAttr(node, "multiplier"), shift: intAttr(node, "shift"),
      operands: { input, expLut, oneByOneLut },
    };
  },
});
