// Nodes that make or describe tensors rather than compute on them: Constant,
// ConstantOfShape, Shape, Size, Range, Identity/Dropout (aliases) and Cast.
// Shapes are static after import, so Shape and Size are always constants.
import { allocArray } from "../../../ir/dtype.js";
import { numel, type Tensor } from "../../../ir/tensor.js";
import { fmt } from "../context.js";
import { ImportIssue } from "../issue.js";
import { elemDType } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { TO_COPY } from "../../../ops/shape/cast.js";

const constant: Converter = (ctx, n) => {
  const name = n.outputs[0] || n.name;
  const t = n.tensor("value");
  if (t) return [ctx.constant(name, t)];
  if (n.has("value_float")) return [ctx.constant(name, { dtype: "f32", shape: [], data: Float32Array.of(n.float("value_float", 0)) })];
  if (n.has("value_floats")) {
    const v = n.floats("value_floats")!;
    return [ctx.constant(name, { dtype: "f32", shape: [v.length], data: Float32Array.from(v) })];
  }
  if (n.has("value_int")) return [ctx.constant(name, { dtype: "i64", shape: [], data: Float64Array.of(n.int("value_int", 0)) })];
  if (n.has("value_ints")) {
    const v = n.ints("value_ints", []);
    return [ctx.constant(name, { dtype: "i64", shape: [v.length], data: Float64Array.from(v) })];
  }
  const what = n.attributeNames().join(", ") || "no value";
  throw new ImportIssue(`constant kind (${what}) is not supported (value, value_float(s), value_int(s))`);
};

const constantOfShape: Converter = (ctx, n) => {
  const shape = ctx.constInts(ctx.need(n, 0, "shape"), "shape");
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ImportIssue(`invalid shape ${fmt(shape)}`);
  const fill: Tensor = n.tensor("value") ?? { dtype: "f32", shape: [1], data: Float32Array.of(0) };
  if (fill.data.length !== 1) throw new ImportIssue("value must hold one element");
  const data = allocArray(fill.dtype, numel(shape));
  data.fill(fill.data[0]!);
  return [ctx.constant(n.outputs[0] || n.name, { dtype: fill.dtype, shape, data })];
};

/** Shape with the opset-15 start/end window (negative counts from the end, clamped). */
const shapeOf: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const r = x.rank;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const dims = x.shape.slice(clamp(n.int("start", 0)), clamp(n.int("end", r)));
  return [ctx.literal("i64", [dims.length], dims, "shape")];
};

const size: Converter = (ctx, n) => [ctx.literal("i64", [], [ctx.need(n, 0).numel], "size")];

const range: Converter = (ctx, n) => {
  const scalar = (i: number, what: string) => {
    const t = ctx.constData(ctx.need(n, i, what), what);
    if (t.data.length !== 1) throw new ImportIssue(`${what} must be a scalar`);
    return t;
  };
  const start = scalar(0, "start");
  const limit = scalar(1, "limit").data[0]!;
  const delta = scalar(2, "delta").data[0]!;
  if (delta === 0) throw new ImportIssue("delta is 0");
  const s = start.data[0]!;
  const count = Math.max(Math.ceil((limit - s) / delta), 0);
  const data = allocArray(start.dtype, count);
  for (let i = 0; i < count; i++) data[i] = s + i * delta;
  return [ctx.constant(n.outputs[0] || n.name, { dtype: start.dtype, shape: [count], data })];
};

const identity: Converter = (ctx, n) => [ctx.need(n, 0)];

/**
 * Dropout is the identity at inference (the ratio, an attribute before opset 12 and
 * an input after, does not matter then). Its optional mask output is all ones (bool)
 * from opset 10.
 */
const dropout: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const training = ctx.opset >= 12 ? ctx.input(n, 2) : null;
  if (training && (!training.isConst() || training.data![0] !== 0)) throw new ImportIssue("training_mode must be a constant false (inference only)");
  if (!n.outputs[1]) return [x];
  // Before opset 10 the mask has the input's type and its inference value is not
  // specified; onnxruntime, the reference, gives zeros there.
  const dtype = ctx.opset >= 10 ? "bool" : x.dtype;
  const mask = allocArray(dtype, x.numel);
  if (ctx.opset >= 10) mask.fill(1);
  return [x, ctx.constant(n.outputs[1], { dtype, shape: [...x.shape], data: mask })];
};

const cast: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const to = elemDType(n.int("to", 0), "target type");
  if (to === x.dtype) return [x];
  return [ctx.emit1(TO_COPY.name, [x], { dtype: to })];
};

export const CONSTANT_CONVERTERS: Record<string, Converter> = {
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Shape: shapeOf,
  Size: size,
  Range: range,
  Identity: identity,
  Dropout: dropout,
  Cast: cast,
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const CONSTANT_EMITS: readonly OpDef[] = [TO_COPY];
