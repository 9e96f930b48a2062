// A quantized sqrt on its own → an int8 table (integer-only builds). And
// sqrt(pow(a, 2) + pow(b, 2)) between the dequantize of a, b and one quantize (the quantizer keeps the chain
// float: ops/elementwise/magnitude.ts) → cortex_m.quantized_hypot, in integer-only builds. The default build
// keeps the float chain, where it is exact; the integer kernel rounds only the square root (to 15 fractional
// bits) and the output, so it stays within one output step of DQ → float → Q (src/kernels/hypot.ts).
import type { Graph, Node } from "../../ir/graph.js";
import { qparamsEq } from "../../ir/quant.js";
import { HYPOT_FRAC_BITS } from "../../kernels/hypot.js";
import { HYPOT_F32, QUANTIZED_HYPOT } from "../../ops/cortex_m/hypot.js";
import { magnitudeChain, magnitudeOfRuns } from "../../ops/elementwise/magnitude.js";
import { SQRT } from "../../ops/elementwise/unary.js";
import type { LowerOptions } from "../options.js";
import { matchQuantized, Q, qparamsOfNode, quantizedInput, replacePattern, soleUser } from "../match.js";
import { buildLut } from "../../kernels/lut_s8.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import { readsInt16 } from "./s16.js";
import { quantizeMultiplier } from "../qmath.js";
import { registerSubstitution } from "./registry.js";

const FLOAT = "no int8 kernel for this op (runs in float)";

/** A quantized sqrt on its own (its integer-only pattern "sqrt") → an int8 lookup table. */
function lowerSqrtLut(g: Graph, node: Node): string | null {
  if (readsInt16(node)) return "int16 sqrt outside a magnitude sqrt(a² + b²) has no integer kernel yet (int8 has a table)";
  const m = matchQuantized(g, node, [0]);
  if (!m) return FLOAT;
  const x = m.inputs[0]!;
  const lut = buildLut(Math.sqrt, x.q.scale[0]!, x.q.zeroPoint[0]!, m.outQ.scale[0]!, m.outQ.zeroPoint[0]!);
  const table = g.addConst(`${node.name}_lut`, "i8", [256], lut);
  const y = g.op(QUANTIZED_ACTIVATION.name, [x.value, table], { function: "sqrt" },
    { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

/**
 * A float sqrt(a² + b²) whose a and b are two runs of one float tensor (the real and imaginary halves of a float
 * STFT convolution) → cortex_m.hypot_f32 reading that tensor: the same bits, and the halves, squares and sum are
 * never stored (RAM: Silero's float front end peaks there otherwise).
 */
function lowerFloatHypot(g: Graph, node: Node): boolean {
  const m = magnitudeOfRuns(g, node);
  if (!m || node.output.dtype !== "f32") return false;
  const y = g.op(HYPOT_F32.name, [m.source, m.source], { a_offset: m.offsets[0], b_offset: m.offsets[1], shape: [...node.output.shape] },
    { before: node, name: node.name });
  g.replaceAllUses(node.output, y);
  return true;
}

function lowerHypot(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (lowerFloatHypot(g, node)) return null;
  const chain = magnitudeChain(g, node);
  // A default build keeps sqrt float even between quantized neighbours: its golden C does not change.
  if (!chain) return opts.integerOnly ? lowerSqrtLut(g, node) : FLOAT;
  if (!opts.integerOnly) return "sqrt(a² + b²) runs in float, where it is exact (an integer kernel only with --integer-only)";
  const qa = quantizedInput(chain.a);
  const qb = quantizedInput(chain.b);
  if (!qa || !qb) return "sqrt(a² + b²): its operands are not dequantized integer tensors";
  if (qa.q.scheme !== "per_tensor" || !qparamsEq(qa.q, qb.q) || qa.value.dtype !== qb.value.dtype) {
    return "sqrt(a² + b²): a and b have different quantization (the kernel sums their squares on one grid)";
  }
  const dtype = qa.value.dtype;
  if (dtype !== "i8" && dtype !== "i16") return `sqrt(a² + b²): operands are ${dtype}`;
  if (dtype === "i16" && qa.q.zeroPoint[0] !== 0) return "sqrt(a² + b²): int16 operands are not symmetric";
  const quant = soleUser(g, node.output);
  if (!quant || quant.op !== Q) return "sqrt(a² + b²): the result is not quantized";
  const outQ = qparamsOfNode(quant);
  const { multiplier, shift } = quantizeMultiplier(qa.q.scale[0]! / (outQ.scale[0]! * 2 ** HYPOT_FRAC_BITS));
  if (shift > 0) return `sqrt(a² + b²): output scale ${outQ.scale[0]} is below the input's / 2^15`;
  const y = g.op(QUANTIZED_HYPOT.name, [qa.value, qb.value], {
    input_offset: -qa.q.zeroPoint[0]!, output_offset: outQ.zeroPoint[0]!, multiplier, shift,
    activation_min: outQ.qmin, activation_max: outQ.qmax, output_dtype: outQ.dtype,
  }, { before: node, name: node.name });
  replacePattern(g, { anchor: node, inputs: [qa, qb], tail: null, quant, outQ }, y);
  return null;
}

registerSubstitution(SQRT, lowerHypot);
