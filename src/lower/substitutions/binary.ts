import type { Graph, Node } from "../../ir/graph.js";
import { perTensor } from "../../ir/quant.js";
import { shapeEq } from "../../ir/tensor.js";
import { matchQuantized, replacePattern } from "../match.js";
import { quantizeMultiplier } from "../qmath.js";
import { localName } from "../../ir/registry.js";
import { registerSubstitution } from "./registry.js";
import { clampTails, foldTail } from "./tails.js";
import { qparamsEq } from "../../ir/quant.js";
import { QUANTIZED_ADD, QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM, QUANTIZED_MUL } from "../../ops/cortex_m/elementwise.js";
import { ADD, DIV, MAXIMUM, MINIMUM, MUL, SUB } from "../../ops/elementwise/binary.js";
import { lowerAddS16, lowerMulS16, readsInt16 } from "./s16.js";
import type { LowerOptions } from "../options.js";
import type { QInput, QuantMatch } from "../match.js";
import { expandConstant } from "./broadcast_const.js";
import { UPSAMPLE_NEAREST2D } from "../../ops/resize/upsample.js";
import { isScalarTable, lowerScalarLut } from "./scalar_lut.js";

const LEFT_SHIFT = 20; // TFLite's int8 add headroom

/**
 * The two int8 operands of a binary pattern at the output's shape. The kernels
 * take equal shapes only; in an integer-only build a constant operand that
 * broadcasts (YOLO's anchors and strides, a scalar scale) is written out at
 * the output's shape instead (a default build keeps such nodes float).
 */
function equalShapeOperands(g: Graph, node: Node, m: QuantMatch, opts: LowerOptions, sign: string): [QInput, QInput] | string {
  let [a, b] = [m.inputs[0]!, m.inputs[1]!];
  const y = node.output.shape;
  if (opts.integerOnly) {
    if (a.value.data && !shapeEq(a.value.shape, y)) a = { ...a, value: expandConstant(g, a.value, y, `${node.name}_a`) };
    if (b.value.data && !shapeEq(b.value.shape, y)) b = { ...b, value: expandConstant(g, b.value, y, `${node.name}_b`) };
  }
  if (!shapeEq(a.value.shape, y) || !shapeEq(b.value.shape, y)) return `broadcasting [${a.value.shape}] ${sign} [${b.value.shape}] is not lowered`;
  return [a, b];
}

/** Quantized aten.add (+ relu/hardtanh/clamp tail) → cortex_m.quantized_add (arm_elementwise_add_s8). */
function lowerAdd(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (isScalarTable(node)) return lowerScalarLut(g, node); // x + c: one int8 table (scalar_lut.ts)
  if (readsInt16(node)) return lowerAddS16(g, node);
  return lowerAddOrSub(g, node, opts, false);
}

/**
 * Quantized aten.sub (integer-only pattern) → cortex_m.quantized_add with the
 * second input's multiplier negated: a − b = a + (−1)·b, how TFLite runs int8
 * SUB on its add kernel. arm_nn_requantize is exact for a negative multiplier
 * (floor((x·m + 2³⁰) / 2³¹) does not depend on the sign).
 */
function lowerSub(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (isScalarTable(node)) return lowerScalarLut(g, node);
  if (readsInt16(node)) return "int16 sub is not lowered";
  return lowerAddOrSub(g, node, opts, true);
}

function lowerAddOrSub(g: Graph, node: Node, opts: LowerOptions, negate: boolean): string | null {
  const m = matchQuantized(g, node, [0, 1], clampTails());
  if (!m) return "not a quantized int8 pattern";
  const ab = equalShapeOperands(g, node, m, opts, negate ? "-" : "+");
  if (typeof ab === "string") return ab;
  const [a, b] = ab;
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const s1 = a.q.scale[0]!;
  const s2 = b.q.scale[0]!;
  const twiceMax = 2 * Math.max(s1, s2);
  const q1 = quantizeMultiplier(s1 / twiceMax);
  const q2 = quantizeMultiplier(s2 / twiceMax);
  const qo = quantizeMultiplier(twiceMax / (2 ** LEFT_SHIFT * folded.scale));
  const y = g.op(QUANTIZED_ADD.name, [a.value, b.value], {
    input1_offset: -a.q.zeroPoint[0]!, input1_multiplier: q1.multiplier, input1_shift: q1.shift,
    input2_offset: -b.q.zeroPoint[0]!, input2_multiplier: negate ? -q2.multiplier : q2.multiplier, input2_shift: q2.shift,
    left_shift: LEFT_SHIFT,
    output_offset: folded.zeroPoint, output_multiplier: qo.multiplier, output_shift: qo.shift,
    activation_min: folded.activationMin, activation_max: folded.activationMax,
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
  }, { before: node, name: node.name, outputTypes: [{ ...a.value.type, dimOrder: [...a.value.type.dimOrder], qparams: undefined }] });
  y.type.qparams = perTensor(m.outQ.scale[0]!, m.outQ.zeroPoint[0]!, "i8", m.outQ.qmin, m.outQ.qmax);
  replacePattern(g, m, y);
  return null;
}

/**
 * [N,C,H,W] · [N,C,1,1] with both activations (a squeeze-and-excitation gate): the kernel has no
 * broadcast, so the gate is repeated over H×W first by an int8 nearest upsample from 1×1 (a byte
 * gather, no arithmetic). Null when the operands are not that.
 */
function channelGateOperands(g: Graph, node: Node, m: QuantMatch): [QInput, QInput] | null {
  let [a, b] = [m.inputs[0]!, m.inputs[1]!];
  const perChannel = (s: readonly number[], full: readonly number[]): boolean =>
    s.length === 4 && full.length === 4 && s[0] === full[0] && s[1] === full[1] && s[2] === 1 && s[3] === 1 && full[2]! * full[3]! > 1;
  if (a.value.data || b.value.data) return null;
  if (perChannel(a.value.shape, b.value.shape)) [a, b] = [b, a];
  else if (!perChannel(b.value.shape, a.value.shape)) return null;
  const [h, w] = a.value.shape.slice(2) as [number, number];
  const up = g.op(UPSAMPLE_NEAREST2D.name, [b.value], { output_size: [h, w] }, { before: node, name: `${node.name}_expand` });
  up.type.qparams = b.value.type.qparams;
  return [a, { ...b, value: up }];
}

/**
 * Quantized aten.mul → cortex_m.quantized_mul (arm_elementwise_mul_s8); x · c → a table
 * (scalar_lut.ts); an [N,C,1,1] gate is repeated over H×W first.
 */
function lowerMul(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (isScalarTable(node)) return lowerScalarLut(g, node);
  if (readsInt16(node)) return lowerMulS16(g, node);
  const m = matchQuantized(g, node, [0, 1]);
  if (!m) return "not a quantized int8 pattern";
  const ab = channelGateOperands(g, node, m) ?? equalShapeOperands(g, node, m, opts, "*");
  if (typeof ab === "string") return ab;
  const [a, b] = ab;
  const q = quantizeMultiplier((a.q.scale[0]! * b.q.scale[0]!) / m.outQ.scale[0]!);
  const y = g.op(QUANTIZED_MUL.name, [a.value, b.value], {
    input1_offset: -a.q.zeroPoint[0]!, input2_offset: -b.q.zeroPoint[0]!,
    output_offset: m.outQ.zeroPoint[0]!, output_multiplier: q.multiplier, output_shift: q.shift,
    activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
  }, { before: node, name: node.name, outputTypes: [{ ...a.value.type, dimOrder: [...a.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

/**
 * Quantized aten.div by a constant scalar c (integer-only pattern) →
 * cortex_m.quantized_mul by 1/c held exactly as the int8 code ±127 at scale
 * |1/c|/127 (zero point 0), written out at x's shape: the kernel's one
 * requantization then carries s_x·|1/c|/s_y, as exact as any int8 rescale.
 */
function lowerDiv(g: Graph, node: Node): string | null {
  if (isScalarTable(node)) return lowerScalarLut(g, node);
  const m = matchQuantized(g, node, [0]);
  if (!m) return "no int8 kernel outside --integer-only (there: a multiply by 1/c); runs in float";
  const x = m.inputs[0]!;
  const c = node.inputs[1]?.data;
  if (!c || c.length !== 1 || !(Number(c[0]) !== 0)) return "divisor is not a non-zero constant scalar";
  if (!shapeEq(x.value.shape, node.output.shape)) return `broadcasting div [${x.value.shape}] / [] is not lowered`;
  const r = 1 / Number(c[0]);
  const code = r > 0 ? 127 : -127;
  const rs = Math.abs(r) / 127;
  const recip = g.addConst(`${node.name}_reciprocal`, "i8", [...x.value.shape], new Int8Array(x.value.numel).fill(code), perTensor(rs, 0));
  const q = quantizeMultiplier((x.q.scale[0]! * rs) / m.outQ.scale[0]!);
  const y = g.op(QUANTIZED_MUL.name, [x.value, recip], {
    input1_offset: -x.q.zeroPoint[0]!, input2_offset: 0,
    output_offset: m.outQ.zeroPoint[0]!, output_multiplier: q.multiplier, output_shift: q.shift,
    activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
  }, { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(ADD, lowerAdd);
registerSubstitution(SUB, lowerSub);
registerSubstitution(MUL, lowerMul);
registerSubstitution(DIV, lowerDiv);

/**
 * Quantized aten.maximum / aten.minimum → cortex_m.quantized_maximum / _minimum
 * (arm_maximum_s8 / arm_minimum_s8). The kernels compare bytes, so both inputs
 * and the output must share one parameter set (the quantizer's shared role
 * gives them that). Shapes: equal, or one operand of one element, which goes
 * second (max and min are symmetric): the real library's other broadcasts
 * are not all right (test/vectors/minmax_s8/vectors.json, library_diverges).
 */
function lowerMinMax(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0, 1]);
  if (!m) return "not a quantized int8 pattern";
  let [a, b] = [m.inputs[0]!, m.inputs[1]!];
  const sameGrid = (q: typeof a.q): boolean => qparamsEq({ ...q, qmin: m.outQ.qmin, qmax: m.outQ.qmax }, m.outQ);
  if (!sameGrid(a.q) || !sameGrid(b.q)) return "inputs and output quantization differ (the kernel does not requantize)";
  const y = node.output.shape;
  if (a.value.numel === 1 && b.value.numel !== 1) [a, b] = [b, a];
  if (!shapeEq(a.value.shape, y) || !(b.value.numel === 1 || shapeEq(b.value.shape, y))) {
    return `broadcasting [${a.value.shape}] with [${b.value.shape}] is not lowered (equal shapes or one element only)`;
  }
  const spec = node.op === MAXIMUM.name ? QUANTIZED_MAXIMUM : QUANTIZED_MINIMUM;
  const out = g.op(spec.name, [a.value, b.value], {},
    { before: node, name: node.name, outputTypes: [{ ...a.value.type, dimOrder: [...a.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, out);
  return null;
}

registerSubstitution(MAXIMUM, lowerMinMax);
registerSubstitution(MINIMUM, lowerMinMax);
