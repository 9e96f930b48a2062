// Binary elementwise ops as a table with numpy broadcasting. The output dtype
// is the first operand's (catalog rule); integer outputs (i64 shape
// arithmetic) truncate division toward zero like ONNX/C integer Div.
import { allocArray, type DType } from "../../ir/dtype.js";
import { defineOp, type OpDef, type QuantPattern, type QuantRole } from "../../ir/registry.js";
import type { Node } from "../../ir/graph.js";
import { CLAMP_TAILS } from "../activation/activations.js";
import { shapeEq, type Tensor } from "../../ir/tensor.js";
import { isMagnitudeSquare, squared } from "./magnitude.js";
import { broadcastShapes, broadcastStrides, forEachBroadcast, isIntegerDType, need, needT, out } from "../common.js";

type BinaryFn = (a: number, b: number) => number;


/** Apply f elementwise over broadcast inputs into a new tensor of dtype `dtype`. */
export function broadcastMap(op: string, dtype: DType, ts: Tensor[], f: (v: number[]) => number): Tensor {
  const shape = broadcastShapes(op, ...ts.map((t) => t.shape));
  const dst = allocArray(dtype, shape.reduce((a, b) => a * b, 1));
  const vals = new Array<number>(ts.length);
  if (ts.every((t) => shapeEq(t.shape, shape))) {
    for (let i = 0; i < dst.length; i++) {
      for (let j = 0; j < ts.length; j++) vals[j] = ts[j]!.data[i]!;
      dst[i] = f(vals);
    }
  } else {
    const strides = ts.map((t) => broadcastStrides(t.shape, shape));
    forEachBroadcast(shape, strides, (o, offs) => {
      for (let j = 0; j < ts.length; j++) vals[j] = ts[j]!.data[offs[j]!]!;
      dst[o] = f(vals);
    });
  }
  return { dtype, shape, data: dst };
}

function defineBinary(name: string, f: BinaryFn, quant?: QuantRole): OpDef {
  return defineOp({
    name,
    ...(quant ? { quant } : {}),
    infer(inputs) {
      const a = need(name, inputs, 0, "input a");
      const b = need(name, inputs, 1, "input b");
      return [out(a.dtype, broadcastShapes(name, a.shape, b.shape))];
    },
    eval(inputs) {
      const a = needT(name, inputs, 0);
      const b = needT(name, inputs, 1);
      const intOut = isIntegerDType(a.dtype);
      const g: BinaryFn = intOut && name === "aten.div" ? (x, y) => Math.trunc(x / y) : f;
      const boolOut = a.dtype === "bool";
      // Fast paths (same numbers, no per-element closure): equal shapes, or a one-element b.
      if (!boolOut && (shapeEq(a.shape, b.shape) || (b.data.length === 1 && shapeEq(broadcastShapes(name, a.shape, b.shape), a.shape)))) {
        const dst = allocArray(a.dtype, a.data.length);
        const x = a.data, y = b.data;
        if (y.length === 1 && x.length !== 1) {
          const y0 = y[0]!;
          for (let i = 0; i < dst.length; i++) dst[i] = g(x[i]!, y0);
        } else {
          for (let i = 0; i < dst.length; i++) dst[i] = g(x[i]!, y[i]!);
        }
        return [{ dtype: a.dtype, shape: [...a.shape], data: dst }];
      }
      return [broadcastMap(name, a.dtype, [a, b], (v) => {
        const r = g(v[0]!, v[1]!);
        return boolOut ? (r !== 0 ? 1 : 0) : r;
      })];
    },
  });
}

/**
 * The index of a one-element f32 constant operand whose other operand is an
 * f32 activation of the output's shape (x + c, c · x, x / c, …), else null:
 * then the op is a function of one int8 input, an int8 lookup table.
 */
export function scalarConstOperand(n: Node): 0 | 1 | null {
  if (n.inputs.length !== 2 || n.outputs.length !== 1) return null;
  for (const k of [1, 0] as const) {
    const c = n.inputs[k], x = n.inputs[1 - k];
    if (!c || !x || !c.isConst() || c.numel !== 1 || c.dtype !== "f32") continue;
    if (x.isConst() || x.dtype !== "f32" || !shapeEq(x.shape, n.output.shape)) continue;
    return k;
  }
  return null;
}

/**
 * x op c (and c op x where `constFirst`): one activation, the constant left
 * float ("ignore") for the table the lowering builds; a clamp after it joins
 * the table. Tried before the two-activation pattern of add / mul.
 */
function scalarPatterns(op: string, constFirst: boolean): QuantPattern[] {
  const after: QuantPattern = { name: `${op}_scalar`, when: (n) => scalarConstOperand(n) === 1, inputs: ["act", "ignore"], output: "observed", tails: CLAMP_TAILS };
  const before: QuantPattern = { name: `${op}_scalar`, when: (n) => scalarConstOperand(n) === 0, inputs: ["ignore", "act"], output: "observed", tails: CLAMP_TAILS };
  return constFirst ? [after, before] : [after];
}

// add requantizes (it may absorb a clamp tail); mul does not take one; max/min
// pick one of their inputs, so they keep the inputs' grid. With a one-element
// constant operand, each of add / sub / mul / div is a table of its activation.
export const ADD = defineBinary("aten.add", (a, b) => a + b, {
  patterns: [...scalarPatterns("add", true), { name: "add", inputs: ["act", "act"], output: "observed", tails: CLAMP_TAILS }],
});
// sub and div by a constant scalar: a table strictly inside the int8 region (as add and mul);
// otherwise int8 only in an integer-only build (YOLO's box decode): a default build keeps them
// float, where they cost little and lose nothing.
export const SUB = defineBinary("aten.sub", (a, b) => a - b, {
  patterns: [...scalarPatterns("sub", true), { name: "sub", inputs: ["act", "act"], output: "observed", tails: [], integerOnly: true }],
});
export const MUL = defineBinary("aten.mul", (a, b) => a * b, {
  patterns: [...scalarPatterns("mul", true), { name: "mul", inputs: ["act", "act"], output: "observed", tails: [] }],
});
// x / c is a table (c / x is left float: near x = 0 a table would only saturate); in an
// integer-only build, a multiply by 1/c.
export const DIV = defineBinary("aten.div", (a, b) => a / b, {
  patterns: [...scalarPatterns("div", false), {
    name: "div_by_constant", inputs: ["act", "ignore"], output: "observed", tails: [], integerOnly: true,
    when: (n) => n.inputs[0]?.dtype === "f32" && n.inputs[1]?.data?.length === 1 && Number(n.inputs[1].data[0]) !== 0,
  }],
});
// pow(x, 2) in an integer-only build: x·x by the int8 / int16 elementwise multiply. The default build keeps it
// float (exact there); the squares of a magnitude sqrt(a² + b²) are left to that chain's own kernel.
export const POW = defineBinary("aten.pow", Math.pow, {
  patterns: [{
    name: "square", when: (n) => squared(n) !== null && !isMagnitudeSquare(n), inputs: ["act", "ignore"], output: "observed", tails: [], integerOnly: true,
  }],
});
export const MAXIMUM = defineBinary("aten.maximum", (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)), { sharesInputParams: true });
export const MINIMUM = defineBinary("aten.minimum", (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)), { sharesInputParams: true });
