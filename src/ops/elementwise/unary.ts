// Unary elementwise ops as a table: op name -> scalar function (optionally
// reading attributes). Shape and dtype pass through; the float reference
// computes in float64 and rounds once when stored into the f32 output.
import type { Attrs } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { allocArray } from "../../ir/dtype.js";
import { need, needT, out } from "../common.js";

export type UnaryFn = (x: number) => number;

/** Register a unary elementwise op whose scalar function may depend on attributes. */
export function defineUnary(name: string, make: (attrs: Attrs) => UnaryFn): void {
  defineOp({
    name,
    unaryElementwise: true,
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

const SIMPLE: Record<string, UnaryFn> = {
  "aten.abs": Math.abs,
  "aten.neg": (x) => -x,
  "aten.exp": Math.exp,
  "aten.log": Math.log,
  "aten.sqrt": Math.sqrt,
};

for (const [name, f] of Object.entries(SIMPLE)) defineUnary(name, () => f);
