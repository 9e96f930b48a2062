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
import { ADD, MAXIMUM, MINIMUM, MUL } from "../../ops/elementwise/binary.js";
import { UPSAMPLE_NEAREST2D } from "../../ops/resize/upsample.js";
import { lowerAddS16, lowerMulS16, readsInt16 } from "./s16.js";
import { lowerScalarLut } from "./scalar_lut.js";
import { scalarConstOperand } from "../../ops/elementwise/binary.js";

const LEFT_SHIFT = 20; // TFLite's int8 add headroom

/**
 * Quantized aten.add (+ relu/hardtanh/clamp tail) → cortex_m.quantized_add (arm_elementwise_add_s8);
 * x + c with a one-element constant → a table (scalar_lut.ts).
 */
function lowerAdd(g: Graph, node: Node): string | null {
  if (scalarConstOperand(node) !== null) return lowerScalarLut(g, node);
  if (readsInt16(node)) return lowerAddS16(g, node);
  const m = matchQuantized(g, node, [0, 1], clampTails());
  if (!m) return "not a quantized int8 pattern";
  const [a, b] = [m.inputs[0]!, m.inputs[1]!];
  if (!shapeEq(a.value.shape, b.value.shape)) return `broadcasting add [${a.value.shape}] + [${b.value.shape}] is not lowered`;
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const s1 = a.q.scale[0]!;
  const s2 = b.q.scale[0]!;
  const twiceMax = 2 * Math.max(s1, s2);
  const q1 = quantizeMultiplier(s1 / twiceMax);
  const q2 = quantizeMultiplier(s2 / twiceMax);
  const qo = quantizeMultiplier(twiceMax / (2 ** LEFT_SHIFT * folded.scale));
  const y = g.op(QUANTIZED_ADD.name, [a.value, b.value], {
    input1_offset: -a.q.zeroPoint[0]!, input1_multiplier: q1.multiplier, input1_shift: q1.shift,
    input2_offset: -b.q.zeroPoint[0]!, input2_multiplier: q2.multiplier, input2_shift: q2.shift,
    left_shift: LEFT_SHIFT,
    output_offset: folded.zeroPoint, output_multiplier: qo.multiplier, output_shift: qo.shift,
    activation_min: folded.activationMin, activation_max: folded.activationMax,
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
  }, { before: node, name: node.name, outputTypes: [{ ...a.value.type, dimOrder: [...a.value.type.dimOrder], qparams: undefined }] });
  y.type.qparams = perTensor(m.outQ.scale[0]!, m.outQ.zeroPoint[0]!, "i8", m.outQ.qmin, m.outQ.qmax);
  replacePattern(g, m, y);
  return null;
}

/** Quantized aten.mul → cortex_m.quantized_mul (arm_elementwise_mul_s8); x · c → a table (scalar_lut.ts). */
function lowerMul(g: Graph, node: Node): string | null {
  if (scalarConstOperand(node) !== null) return lowerScalarLut(g, node);
  if (readsInt16(node)) return lowerMulS16(g, node);
  const m = matchQuantized(g, node, [0, 1]);
  if (!m) return "not a quantized int8 pattern";
  let [a, b] = [m.inputs[0]!, m.inputs[1]!];
  if (!shapeEq(a.value.shape, b.value.shape)) {
    const wide = channelBroadcast(a.value.shape, b.value.shape);
    if (!wide) return `broadcasting mul [${a.value.shape}] * [${b.value.shape}] is not lowered (equal shapes, or [N,C,H,W] · [N,C,1,1])`;
    // The kernel has no broadcast: the per-channel factor (a squeeze-and-excitation gate) is
    // repeated over H×W first, an int8 nearest upsample from 1×1 (a byte gather, no arithmetic).
    if (wide === "b") [a, b] = [b, a];
    const [h, w] = a.value.shape.slice(2) as [number, number];
    const up = g.op(UPSAMPLE_NEAREST2D.name, [b.value], { output_size: [h, w] }, { before: node, name: `${node.name}_expand` });
    up.type.qparams = b.value.type.qparams;
    b = { ...b, value: up };
  }
  const q = quantizeMultiplier((a.q.scale[0]! * b.q.scale[0]!) / m.outQ.scale[0]!);
  const y = g.op(QUANTIZED_MUL.name, [a.value, b.value], {
    input1_offset: -a.q.zeroPoint[0]!, input2_offset: -b.q.zeroPoint[0]!,
    output_offset: m.outQ.zeroPoint[0]!, output_multiplier: q.multiplier, output_shift: q.shift,
    activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
  }, { before: node, name: node.name, outputTypes: [{ ...a.value.type, dimOrder: [...a.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

/** Which operand is [N,C,H,W] when the other is [N,C,1,1] (a per-channel factor), else null. */
function channelBroadcast(a: readonly number[], b: readonly number[]): "a" | "b" | null {
  const perChannel = (s: readonly number[], full: readonly number[]): boolean =>
    s.length === 4 && full.length === 4 && s[0] === full[0] && s[1] === full[1] && s[2] === 1 && s[3] === 1 && full[2]! * full[3]! > 1;
  return perChannel(b, a) ? "a" : perChannel(a, b) ? "b" : null;
}

registerSubstitution(ADD, lowerAdd);
registerSubstitution(MUL, lowerMul);

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
