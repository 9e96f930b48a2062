import type { Graph, Node } from "../../ir/graph.js";
import { qparamsEq } from "../../ir/quant.js";
import { shapeEq } from "../../ir/tensor.js";
import { QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM } from "../../ops/cortex_m/minmax.js";
import { MAXIMUM, MINIMUM } from "../../ops/elementwise/binary.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";

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
