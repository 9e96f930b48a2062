// Elementwise arithmetic and logic (numpy broadcasting is the catalog's rule too).
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB } from "../../../ops/elementwise/binary.js";
import { EQ, LOGICAL_NOT, WHERE } from "../../../ops/elementwise/logical.js";
import { ABS, EXP, LOG, NEG, SQRT } from "../../../ops/elementwise/unary.js";

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
  return [ctx.emit1(POW.name, [base, exp])];
};

const where: Converter = (ctx, n) => [ctx.emit1(WHERE.name, [ctx.need(n, 0, "condition"), ctx.need(n, 1, "X"), ctx.need(n, 2, "Y")])];

export const ELEMENTWISE_CONVERTERS: Record<string, Converter> = {
  Add: binary(ADD.name),
  Sub: binary(SUB.name),
  Mul: binary(MUL.name),
  Div: binary(DIV.name),
  Pow: pow,
  Sqrt: unary(SQRT.name),
  Abs: unary(ABS.name),
  Neg: unary(NEG.name),
  Exp: unary(EXP.name),
  Log: unary(LOG.name),
  Max: variadic(MAXIMUM.name),
  Min: variadic(MINIMUM.name),
  Equal: binary(EQ.name),
  Not: unary(LOGICAL_NOT.name),
  Where: where,
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const ELEMENTWISE_EMITS: readonly OpDef[] = [ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB, EQ, LOGICAL_NOT, WHERE, ABS, EXP, LOG, NEG, SQRT];
