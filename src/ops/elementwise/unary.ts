// Unary elementwise ops as a table: op name -> scalar function (optionally
// reading attributes). Shape and dtype pass through; the float reference
// computes in float64 and rounds once when stored into the f32 output.
import type { Attrs } from "../../ir/graph.js";
import { defineOp, type OpDef, type OpTraits, type QuantRole } from "../../ir/registry.js";
import { allocArray } from "../../ir/dtype.js";
import { need, needT, out } from "../common.js";
import { magnitudeChain } from "./magnitude.js";

export type UnaryFn = (x: number) => number;

/**
 * Elementwise and shape-preserving: the planner may write the output over the
 * input. Only for f32 values, because the same names also run quantized
 * (between a dequantize and a quantize) where input and output differ in size.
 */
const FLOAT_IN_PLACE: OpTraits = { inPlace: [0], inPlaceFloatOnly: true };

/** Register a unary elementwise op whose scalar function may depend on attributes. */
export function defineUnary(name: string, make: (attrs: Attrs) => UnaryFn, extra: { traits?: OpTraits; quant?: QuantRole } = {}): OpDef {
  return defineOp({
    name,
    unaryElementwise: true,
    traits: { ...FLOAT_IN_PLACE, ...extra.traits },
    ...(extra.quant ? { quant: extra.quant } : {}),
    infer(inputs) {
      const x = need(name, inputs, 0, "input x");
      return [out(x.dtype, x.shape)];
    },
    eval(inputs, attrs) {
      const x = needT(name, inputs, 0);
      const f = make(attrs);
      const src = x.data;
      const dst = allocArray(x.dtype, src.length);
      for (let i = 0; i < src.length; i++) dst[i] = f(src[i]!);
      return [{ dtype: x.dtype, shape: [...x.shape], data: dst }];
    },
  });
}

export const ABS = defineUnary("aten.abs", () => Math.abs);
export const NEG = defineUnary("aten.neg", () => (x) => -x);
// exp has no quant pattern, but between quantized neighbours it sits in DQ → exp → Q: a lookup table.
export const EXP = defineUnary("aten.exp", () => Math.exp, { quant: { lut: () => Math.exp } });
export const LOG = defineUnary("aten.log", () => Math.log);
// sqrt in an integer-only build: an int8 lookup table (the default build keeps it float, which is exact); the
// root of a magnitude sqrt(a² + b²) is that chain's own kernel, so it is no pattern there.
export const SQRT = defineUnary("aten.sqrt", () => Math.sqrt, {
  quant: { patterns: [{ name: "sqrt", when: (n) => magnitudeChain(null, n) === null, inputs: ["act"], output: "observed", tails: [], integerOnly: true }] },
});
