import type { Graph, Node } from "../../ir/graph.js";
import { matchQuantized, replacePattern } from "../match.js";
import { quantizeMultiplier } from "../qmath.js";
import { registerSubstitution } from "./registry.js";
import { SOFTMAX } from "../../ops/softmax/softmax.js";
import { SOFTMAX as CORTEX_M_SOFTMAX } from "../../ops/cortex_m/softmax.js";
import { lowerSoftmaxS16, readsInt16 } from "./s16.js";

const INPUT_INTEGER_BITS = 5; // arm_softmax_s8 / TFLite int8 softmax

/** arm_softmax_s8's multiplier, shift and diff_min for an int8 input of scale `inputScale`. */
export function softmaxAttrs(inputScale: number): { multiplier: number; shift: number; diff_min: number } {
  const real = Math.min(inputScale * 2 ** (31 - INPUT_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  const diffMin = -Math.floor(((2 ** INPUT_INTEGER_BITS - 1) * 2 ** (31 - INPUT_INTEGER_BITS)) / 2 ** shift);
  return { multiplier, shift, diff_min: diffMin };
}

/** Quantized softmax over the last dim → cortex_m.softmax (arm_softmax_s8). */
function lowerSoftmax(g: Graph, node: Node): string | null {
  if (readsInt16(node)) return lowerSoftmaxS16(g, node);
  const m = matchQuantized(g, node, [0]);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  if ((node.attrs.dim as number) !== x.value.rank - 1) return `softmax over dim ${node.attrs.dim} (not the last) is not lowered`;
  if (Math.abs(m.outQ.scale[0]! - 1 / 256) > 1e-12 || m.outQ.zeroPoint[0] !== -128) return "softmax output must be quantized at scale 1/256, zero point -128";
  const y = g.op(CORTEX_M_SOFTMAX.name, [x.value], softmaxAttrs(x.q.scale[0]!), { before: node, name: node.name });
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(SOFTMAX, lowerSoftmax);
