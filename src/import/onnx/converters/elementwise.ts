// Elementwise arithmetic and logic (numpy broadcasting is the catalog's rule too).
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB } from "../../../ops/elementwise/binary.js";
import { EQ, LE, LOGICAL_AND, LOGICAL_NOT, LOGICAL_OR, LT, WHERE } from "../../../ops/elementwise/logical.js";
import { ERF, LEAKY_RELU, RELU } from "../../../ops/activation/activations.js";
import { CONVOLUTION } from "../../../ops/conv/convolution.js";
import { channelAffine } from "./normalization.js";
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

/** Mean of any number of inputs: their sum (left to right, as onnxruntime adds them) divided by the count. */
const mean: Converter = (ctx, n) => {
  const [sum] = variadic(ADD.name)(ctx, n);
  const count = n.inputs.filter((name) => name).length;
  if (count === 1) return [sum!];
  return [ctx.emit1(DIV.name, [sum!, ctx.literal("f32", [], [count], "count")])];
};

/** Greater(a, b) is b < a, GreaterOrEqual(a, b) is b <= a: the same predicate with the operands swapped. */
const swapped = (op: string): Converter => (ctx, n) => [ctx.emit1(op, [ctx.need(n, 1, "input B"), ctx.need(n, 0, "input A")])];

/**
 * PRelu: x below 0 times the slope (broadcast to x). One slope for every element is
 * leaky_relu. A constant slope per channel of a 1-D/2-D feature map is
 * relu(x) + slope[c]·min(x, 0), the product a depthwise 1×1 convolution (int8 on the
 * device); any other slope is max(x, 0) + slope·min(x, 0). All are exact for either sign.
 */
const prelu: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "X");
  const slope = ctx.need(n, 1, "slope");
  if (slope.isConst() && slope.numel > 0 && slope.data!.every((v) => v === slope.data![0])) {
    return [ctx.emit1(LEAKY_RELU.name, [x], { negative_slope: slope.data![0]! })];
  }
  const zero = ctx.literal("f32", [], [0], "zero");
  const neg = ctx.emit1(MINIMUM.name, [x, zero]);
  const C = x.shape[1];
  const perChannel = slope.isConst() && (x.rank === 3 || x.rank === 4) && slope.numel === C
    && slope.shape.length >= x.rank - 1 && slope.shape.length <= x.rank && slope.shape.every((d, i, all) => d === (i === all.length - (x.rank - 1) ? C : 1));
  if (perChannel) return [ctx.emit1(ADD.name, [ctx.emit1(RELU.name, [x]), channelAffine(ctx, neg, slope.data!, null)])];
  const pos = ctx.emit1(MAXIMUM.name, [x, zero]);
  return [ctx.emit1(ADD.name, [pos, ctx.emit1(MUL.name, [neg, slope])])];
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
  Sum: variadic(ADD.name),
  Mean: mean,
  Max: variadic(MAXIMUM.name),
  Min: variadic(MINIMUM.name),
  Equal: binary(EQ.name),
  Less: binary(LT.name),
  LessOrEqual: binary(LE.name),
  Greater: swapped(LT.name),
  GreaterOrEqual: swapped(LE.name),
  Not: unary(LOGICAL_NOT.name),
  And: binary(LOGICAL_AND.name),
  Or: binary(LOGICAL_OR.name),
  Erf: unary(ERF.name),
  PRelu: prelu,
  Where: where,
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const ELEMENTWISE_EMITS: readonly OpDef[] = [
  ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB, EQ, LT, LE, LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT, WHERE, ABS, EXP, LOG, NEG, SQRT, ERF, LEAKY_RELU, RELU, CONVOLUTION,
];
