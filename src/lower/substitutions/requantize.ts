// A dequantize → quantize pair between two integer grids (an int8 ↔ int16 border of mixed-precision groups, or
// two int8 grids) → cortex_m.requantize, in integer-only builds: the border needs no float. The default build
// keeps the pair (ReplaceQuantNodes makes it cortex_m dequantize + quantize, in float).
import type { Graph, Node } from "../../ir/graph.js";
import { REQUANTIZE } from "../../ops/cortex_m/requantize.js";
import { QUANTIZE_PER_TENSOR } from "../../ops/quant/quant_ops.js";
import type { LowerOptions } from "../options.js";
import { qparamsOfNode, quantizedInput, replacePattern } from "../match.js";
import { quantizeMultiplier } from "../qmath.js";
import { registerSubstitution } from "./registry.js";

function lowerRequantize(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (!opts.integerOnly) return "a float border (dequantize → quantize) outside --integer-only";
  const src = quantizedInput(node.inputs[0] ?? null);
  if (!src || src.q.scheme !== "per_tensor" || (src.value.dtype !== "i8" && src.value.dtype !== "i16")) return "quantizes a float value (a model input or a float op's result)";
  // The dequantized value may have other (float) readers; they keep it, this reader takes the integer path.
  const outQ = qparamsOfNode(node);
  const { multiplier, shift } = quantizeMultiplier(src.q.scale[0]! / outQ.scale[0]!);
  if (shift > 14) return `requantization shift ${shift}: the input grid is over 2^14 times the output's`;
  const y = g.op(REQUANTIZE.name, [src.value], {
    input_offset: -src.q.zeroPoint[0]!, output_offset: outQ.zeroPoint[0]!, multiplier, shift,
    activation_min: outQ.qmin, activation_max: outQ.qmax, output_dtype: outQ.dtype,
  }, { before: node, name: node.name });
  replacePattern(g, { anchor: node, inputs: [src], tail: null, quant: node, outQ }, y);
  return null;
}

registerSubstitution(QUANTIZE_PER_TENSOR, lowerRequantize);
