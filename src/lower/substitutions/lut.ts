import type { Attrs, Graph, Node } from "../../ir/graph.js";
import { buildLut } from "../../kernels/lut_s8.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";

const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse for a LUT edge; use a series/continued form.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
};

// Unary functions that become a 256-entry lookup table: one line each. A function with a
// parameter reads it from the node's attributes, and the lowered node carries it too.
const LUT_FUNCTIONS: Record<string, (x: number, a: Attrs) => number> = {
  "aten.sigmoid": (x) => 1 / (1 + Math.exp(-x)),
  "aten.tanh": Math.tanh,
  "aten.silu": (x) => x / (1 + Math.exp(-x)),
  "aten.hardswish": (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  "aten.hardsigmoid": (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  "aten.gelu": (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  "aten.exp": Math.exp,
  "aten.elu": (x) => (x > 0 ? x : Math.expm1(x)),
  "aten.leaky_relu": (x, a) => (x >= 0 ? x : x * slope(a)),
};

/** The leaky_relu slope as the float op reads it (default 0.01). */
const slope = (a: Attrs): number => (typeof a.negative_slope === "number" ? a.negative_slope : 0.01);
/** The attributes a table keeps of its function (what it was built from). */
const LUT_PARAMS: Record<string, (a: Attrs) => Attrs> = { "aten.leaky_relu": (a) => ({ negative_slope: slope(a) }) };

/** A quantized unary function → cortex_m.quantized_activation over a table built at compile time. */
function lowerLut(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0]);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  const fn = LUT_FUNCTIONS[node.op]!;
  const lut = buildLut((v) => fn(v, node.attrs), x.q.scale[0]!, x.q.zeroPoint[0]!, m.outQ.scale[0]!, m.outQ.zeroPoint[0]!);
  const table = g.addConst(`${node.name}_lut`, "i8", [256], lut);
  const attrs = { function: node.op.replace("aten.", ""), ...(LUT_PARAMS[node.op]?.(node.attrs) ?? {}) };
  const y = g.op("cortex_m.quantized_activation", [x.value, table], attrs,
    { before: node, name: node.name, outputTypes: [{ ...x.value.type, dimOrder: [...x.value.type.dimOrder], qparams: undefined }] });
  replacePattern(g, m, y);
  return null;
}

for (const op of Object.keys(LUT_FUNCTIONS)) registerSubstitution(op, lowerLut);
