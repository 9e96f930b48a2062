// Elementwise arithmetic and logic (numpy broadcasting is the catalog's rule too).
import { ImportIssue } from "../issue.js";
import type { Converter } from "./types.js";

const unary = (op: string): Converter => (ctx, n) => [ctx.emit1(op, [ctx.need(n, 0)])];
const binary = (op: string): Converter => (ctx, n) => [ctx.emit1(op, [ctx.need(n, 0, "input A"), ctx.need(n, 1, "input B")])];

/** Max/Min take any number of inputs: fold them left to right into a chain of binary ops. */
const variadic = (op: string): Converter => (ctx, n) => {
  const xs = n.inputs.map((_, i) => ctx.input(n, i)).filter((v) => v !== null);
  if (xs.length === 0) throw new ImportIssue("needs at least one input");
  let acc = xs[0]!;
  for (const x of xs.slice(1)) acc = ctx.emit1(op, [acc, x]);
  return [acc];
};

/**
 * ONNX Pow allows an integer exponent; the float kernels (simulator and C) take
 * a float one. A constant integer exponent becomes the same values in float
 * (the result type is the base's either way); a run-time integer exponent is
 * left for the operand check, which refuses it with the node named.
 */
const pow: Converter = (ctx, n) => {
  const base = ctx.need(n, 0, "input X");
  let exp = ctx.need(n, 1, "input Y");
  if (exp.isConst() && exp.dtype !== "f32") exp = ctx.literal("f32", [...exp.shape], exp.data!, "exponent");
  return [ctx.emit1("aten.pow", [base, exp])];
};

const where: Converter = (ctx, n) => [ctx.emit1("aten.where", [ctx.need(n, 0, "condition"), ctx.need(n, 1, "X"), ctx.need(n, 2, "Y")])];

export const ELEMENTWISE_CONVERTERS: Record<string, Converter> = {
  Add: binary("aten.add"),
  Sub: binary("aten.sub"),
  Mul: binary("aten.mul"),
  Div: binary("aten.div"),
  Pow: pow,
  Sqrt: unary("aten.sqrt"),
  Abs: unary("aten.abs"),
  Neg: unary("aten.neg"),
  Exp: unary("aten.exp"),
  Log: unary("aten.log"),
  Max: variadic("aten.maximum"),
  Min: variadic("aten.minimum"),
  Equal: binary("aten.eq"),
  Not: unary("aten.logical_not"),
  Where: where,
};
