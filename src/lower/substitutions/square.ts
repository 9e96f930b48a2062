// pow(x, 2) quantized (its integer-only pattern "square") → x·x by the elementwise multiply: arm_elementwise_mul_s8
// on int8 (both operands the same tensor, one offset), arm_elementwise_mul_s16 on int16. The multiplier is
// s_x² / s_out; the kernels round once, as for any product.
import type { Graph, Node } from "../../ir/graph.js";
import { QUANTIZED_MUL } from "../../ops/cortex_m/elementwise.js";
import { QUANTIZED_MUL_S16 } from "../../ops/cortex_m/s16.js";
import { POW } from "../../ops/elementwise/binary.js";
import { squared } from "../../ops/elementwise/magnitude.js";
import { matchQuantized, replacePattern } from "../match.js";
import { quantizeMultiplier } from "../qmath.js";
import { registerSubstitution } from "./registry.js";
import { readsInt16 } from "./s16.js";
import type { LowerOptions } from "../options.js";

function lowerSquare(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (!squared(node)) return "pow with an exponent other than a constant 2 is not lowered";
  // A default build keeps pow float even between quantized neighbours: its golden C does not change.
  if (!opts.integerOnly) return "no int8 kernel for this op (runs in float)";
  const wide = readsInt16(node);
  const m = matchQuantized(g, node, [0], [], wide ? "i16" : "i8");
  if (!m) return "no integer kernel outside --integer-only (there: x·x by the elementwise multiply); runs in float";
  const x = m.inputs[0]!;
  if (wide && (x.q.zeroPoint[0] !== 0 || m.outQ.zeroPoint[0] !== 0)) return "int16 square: input or output is not symmetric";
  const q = quantizeMultiplier(x.q.scale[0]! ** 2 / m.outQ.scale[0]!);
  const outputTypes = [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }];
  const y = wide
    ? g.op(QUANTIZED_MUL_S16.name, [x.value, x.value], {
      output_multiplier: q.multiplier, output_shift: q.shift, activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
    }, { before: node, name: node.name, outputTypes })
    : g.op(QUANTIZED_MUL.name, [x.value, x.value], {
      input1_offset: -x.q.zeroPoint[0]!, input2_offset: -x.q.zeroPoint[0]!,
      output_offset: m.outQ.zeroPoint[0]!, output_multiplier: q.multiplier, output_shift: q.shift,
      activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
    }, { before: node, name: node.name, outputTypes });
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(POW, lowerSquare);
