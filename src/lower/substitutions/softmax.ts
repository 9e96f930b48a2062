import type { Graph, Node } from "../../ir/graph.js";
import { matchQuantized, replacePattern } from "../match.js";
import { quantizeMultiplier } from "../qmath.js";
import { registerSubstitution } from "./registry.js";
import { SOFTMAX } from "../../ops/softmax/softmax.js";
import { SOFTMAX as CORTEX_M_SOFTMAX } from "../../ops/cortex_m/softmax.js";
import { lowerSoftmaxS16, readsInt16 } from "./s16.js";
import { permuted } from "./permuted.js";
import type { LowerOptions } from "../options.js";

const INPUT_INTEGER_BITS = 5; // arm_softmax_s8 / TFLite int8 softmax

/** arm_softmax_s8's multiplier, shift and diff_min for an int8 input of scale `inputScale`. */
export function softmaxAttrs(inputScale: number): { multiplier: number; shift: number; diff_min: number } {
  const real = Math.min(inputScale * 2 ** (31 - INPUT_INTEGER_BITS), 2 ** 31 - 1);
  const { multiplier, shift } = quantizeMultiplier(real);
  const diffMin = -Math.floor(((2 ** INPUT_INTEGER_BITS - 1) * 2 ** (31 - INPUT_INTEGER_BITS)) / 2 ** shift);
  return { multiplier, shift, diff_min: diffMin };
}

/** Quantized softmax over the last dim → cortex_m.softmax (arm_softmax_s8). */
function lowerSoftmax(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (readsInt16(node)) return lowerSoftmaxS16(g, node);
  const m = matchQuantized(g, node, [0]);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  const last = x.value.rank - 1;
  const dim = ((node.attrs.dim as number) + x.value.rank) % Math.max(1, x.value.rank);
  if (dim !== last && !opts.integerOnly) return `softmax over dim ${node.attrs.dim} (not the last) is not lowered`;
  if (Math.abs(m.outQ.scale[0]! - 1 / 256) > 1e-12 || m.outQ.zeroPoint[0] !== -128) return "softmax output must be quantized at scale 1/256, zero point -128";
  if (dim === last) {
    const y = g.op(CORTEX_M_SOFTMAX.name, [x.value], softmaxAttrs(x.q.scale[0]!), { before: node, name: node.name });
    replacePattern(g, m, y);
    return null;
  }
  // Integer-only, over a middle dim (YOLO's DFL softmax over 16 bins): arm_softmax_s8 works on rows of
  // the last dim, so the dim is moved last, and back, by int8 permutes (composed with a permute that
  // feeds them; the clean-up folds the one back into a channels-last conv that reads it). A default
  // build keeps the float softmax with its exp table, which needs no permutes.
  const toLast = [...Array(x.value.rank).keys()].filter((d) => d !== dim).concat([dim]);
  const back = toLast.map((_, d) => toLast.indexOf(d));
  const xt = permuted(g, x.value, toLast, node, `${node.name}_to_last`);
  xt.type.qparams = x.q;
  const p = g.op(CORTEX_M_SOFTMAX.name, [xt], softmaxAttrs(x.q.scale[0]!), { before: node, name: `${node.name}_last` });
  p.type.qparams = m.outQ;
  const y = permuted(g, p, back, node, node.name);
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(SOFTMAX, lowerSoftmax);
