// The 16x8 lowerings: a quantized pattern whose activations are int16 (dtype "i16", symmetric, zero point 0 — the
// quantizer's perTensor(scale, 0, "i16", -32768, 32767)) becomes the s16 op of the cortex_m dialect. The int8
// substitutions of the same float ops hand their node here when its first activation input is int16.
import type { Graph, Node, TensorType } from "../../ir/graph.js";
import { perTensor, type QParams } from "../../ir/quant.js";
import { shapeEq } from "../../ir/tensor.js";
import { localName } from "../../ir/registry.js";
import { softmaxS16ExpLut, softmaxS16OneByOneLut } from "../../kernels/softmax_s16.js";
import {
  ACTIVATION_S16, QUANTIZED_ADD_S16, QUANTIZED_LINEAR_S16, QUANTIZED_MUL_S16, SOFTMAX_S16,
} from "../../ops/cortex_m/s16.js";
import { SIGMOID, TANH } from "../../ops/activation/activations.js";
import { matchQuantized, quantizedInput, replacePattern, type QuantMatch } from "../match.js";
import { quantizeMultiplier } from "../qmath.js";
import { clampTails, foldTail } from "./tails.js";

/** Whether `node` reads an int16 activation at input `i` (through its dequantize). */
export function readsInt16(node: Node, i = 0): boolean {
  return quantizedInput(node.inputs[i] ?? null)?.value.dtype === "i16";
}

/** Symmetric int16 parameters (what the s16 kernels assume: they take no offsets). */
function symmetric16(q: QParams): boolean {
  return q.scheme === "per_tensor" && q.dtype === "i16" && q.zeroPoint[0] === 0;
}

/** The pattern's int16 parameters are all symmetric; otherwise the reason it stays float. */
function check16(m: QuantMatch, inputs: number[]): string | null {
  for (const i of inputs) if (!symmetric16(m.inputs[i]!.q)) return "int16 input is not symmetric (zero point 0)";
  if (!symmetric16(m.outQ)) return "int16 output is not symmetric (zero point 0)";
  return null;
}

const outputType = (v: { type: TensorType }) => ({ ...v.type, dimOrder: [...v.type.dimOrder], qparams: undefined });

/** Quantized aten.linear on int16 → cortex_m.quantized_linear_s16 (arm_fully_connected_s16, int64 bias). */
export function lowerLinearS16(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0], clampTails(), "i16");
  if (!m) return "not a quantized int16 pattern (no dequantize → linear → quantize, all int16)";
  const bad = check16(m, [0]);
  if (bad) return bad;
  const x = m.inputs[0]!;
  const w = m.inputs[1];
  const b = m.inputs[2] ?? null;
  if (!w || !w.value.data || w.value.dtype !== "i8" || w.value.rank !== 2) return "weight is not a constant 2-D int8 tensor";
  if (w.q.scheme !== "per_tensor" || w.q.zeroPoint[0] !== 0) return "per-channel or asymmetric linear weights are not lowered";
  if (node.inputs[2] && (!b || !b.value.data || b.value.dtype !== "i64")) return "bias is not a constant int64 tensor";
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const { multiplier, shift } = quantizeMultiplier((x.q.scale[0]! * w.q.scale[0]!) / folded.scale);
  if (shift > 14) return `requantization shift ${shift} is beyond the 64-bit requantization's 14`;
  const y = g.op(QUANTIZED_LINEAR_S16.name, [x.value, w.value, b?.value ?? null], {
    multiplier, shift, activation_min: folded.activationMin, activation_max: folded.activationMax,
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
  }, { before: node, name: node.name });
  y.type.qparams = m.outQ;
  replacePattern(g, m, y);
  return null;
}

const ADD_LEFT_SHIFT = 15; // TFLite Micro's int16 add headroom (|x| ≤ 2^15, so x·2^15 stays in int32)

/** Quantized aten.add on int16 (+ clamp tail) → cortex_m.quantized_add_s16 (arm_elementwise_add_s16). */
export function lowerAddS16(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0, 1], clampTails(), "i16");
  if (!m) return "not a quantized int16 pattern";
  const bad = check16(m, [0, 1]);
  if (bad) return bad;
  const [a, b] = [m.inputs[0]!, m.inputs[1]!];
  if (!shapeEq(a.value.shape, b.value.shape)) return `broadcasting add [${a.value.shape}] + [${b.value.shape}] is not lowered`;
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const s1 = a.q.scale[0]!;
  const s2 = b.q.scale[0]!;
  const twiceMax = 2 * Math.max(s1, s2);
  const q1 = quantizeMultiplier(s1 / twiceMax);
  const q2 = quantizeMultiplier(s2 / twiceMax);
  const qo = quantizeMultiplier(twiceMax / (2 ** ADD_LEFT_SHIFT * folded.scale));
  const y = g.op(QUANTIZED_ADD_S16.name, [a.value, b.value], {
    input1_multiplier: q1.multiplier, input1_shift: q1.shift, input2_multiplier: q2.multiplier, input2_shift: q2.shift,
    left_shift: ADD_LEFT_SHIFT, output_multiplier: qo.multiplier, output_shift: qo.shift,
    activation_min: folded.activationMin, activation_max: folded.activationMax,
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
  }, { before: node, name: node.name, outputTypes: [outputType(a.value)] });
  y.type.qparams = perTensor(m.outQ.scale[0]!, 0, "i16", m.outQ.qmin, m.outQ.qmax);
  replacePattern(g, m, y);
  return null;
}

/** Quantized aten.mul on int16 → cortex_m.quantized_mul_s16 (arm_elementwise_mul_s16). */
export function lowerMulS16(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0, 1], [], "i16");
  if (!m) return "not a quantized int16 pattern";
  const bad = check16(m, [0, 1]);
  if (bad) return bad;
  const [a, b] = [m.inputs[0]!, m.inputs[1]!];
  if (!shapeEq(a.value.shape, b.value.shape)) return `broadcasting mul [${a.value.shape}] * [${b.value.shape}] is not lowered`;
  const q = quantizeMultiplier((a.q.scale[0]! * b.q.scale[0]!) / m.outQ.scale[0]!);
  const y = g.op(QUANTIZED_MUL_S16.name, [a.value, b.value], {
    output_multiplier: q.multiplier, output_shift: q.shift, activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
  }, { before: node, name: node.name, outputTypes: [outputType(a.value)] });
  replacePattern(g, m, y);
  return null;
}

/** The Q0.15 grid arm_nn_activation_s16 and arm_softmax_s16 write. */
const Q15 = 1 / 32768;

/**
 * Quantized aten.sigmoid / aten.tanh on int16 → cortex_m.activation_s16 (arm_nn_activation_s16). The kernel reads
 * its input on the grid 2^(left_shift − 12) (it multiplies by 3·2^left_shift onto the table's i/24 steps) and
 * writes Q0.15: other scales are not expressed by its one parameter and stay float.
 */
export function lowerActivationS16(g: Graph, node: Node): string | null {
  const fn = node.op === SIGMOID.name ? "sigmoid" : node.op === TANH.name ? "tanh" : null;
  if (!fn) return `${localName(node.op)} has no int16 kernel (arm_nn_activation_s16 is sigmoid or tanh)`;
  const m = matchQuantized(g, node, [0], [], "i16");
  if (!m) return "not a quantized int16 pattern";
  const bad = check16(m, [0]);
  if (bad) return bad;
  const x = m.inputs[0]!;
  const e = Math.log2(x.q.scale[0]!) + 12;
  if (!Number.isInteger(e) || e < -31 || e > 14) return `int16 ${fn} needs an input scale 2^k (k in [-43, 2]), got ${x.q.scale[0]}`;
  if (m.outQ.scale[0] !== Q15) return `int16 ${fn} writes scale 1/32768, the output is quantized at ${m.outQ.scale[0]}`;
  const y = g.op(ACTIVATION_S16.name, [x.value], { function: fn, left_shift: e },
    { before: node, name: node.name, outputTypes: [outputType(x.value)] });
  replacePattern(g, m, y);
  return null;
}

/** Quantized softmax over the last dim on int16 → cortex_m.softmax_s16 (arm_softmax_s16, β = 1). */
export function lowerSoftmaxS16(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0], [], "i16");
  if (!m) return "not a quantized int16 pattern";
  const bad = check16(m, [0]);
  if (bad) return bad;
  const x = m.inputs[0]!;
  if ((node.attrs.dim as number) !== x.value.rank - 1) return `softmax over dim ${node.attrs.dim} (not the last) is not lowered`;
  if (m.outQ.scale[0] !== Q15) return `int16 softmax writes scale 1/32768, the output is quantized at ${m.outQ.scale[0]}`;
  // The diff to the row max in units of 10/65535, so the exp table's [−10, 0] spans the int16 diff range.
  const { multiplier, shift } = quantizeMultiplier(x.q.scale[0]! / (10 / 65535));
  const expLut = g.addConst(`${node.name}_exp_lut`, "i16", [513], softmaxS16ExpLut());
  const oneByOne = g.addConst(`${node.name}_one_by_one_lut`, "i16", [513], softmaxS16OneByOneLut());
  const y = g.op(SOFTMAX_S16.name, [x.value, expLut, oneByOne], { multiplier, shift },
    { before: node, name: node.name, outputTypes: [outputType(x.value)] });
  replacePattern(g, m, y);
  return null;
}
