// Activations and softmax.
import type { Value } from "../../../ir/graph.js";
import { numel } from "../../../ir/tensor.js";
import { normAxis, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { CLAMP, GELU, HARDSIGMOID, HARDSWISH, HARDTANH, LEAKY_RELU, RELU, SIGMOID, TANH } from "../../../ops/activation/activations.js";
import { ADD, MAXIMUM, MINIMUM, MUL } from "../../../ops/elementwise/binary.js";
import { VIEW_COPY } from "../../../ops/shape/reshape.js";
import { LOG_SOFTMAX, SOFTMAX } from "../../../ops/softmax/softmax.js";

const unary = (op: string): Converter => (ctx, n) => [ctx.emit1(op, [ctx.need(n, 0)])];

const leakyRelu: Converter = (ctx, n) => [ctx.emit1(LEAKY_RELU.name, [ctx.need(n, 0)], { negative_slope: n.float("alpha", 0.01) })];

/** ONNX Gelu (opset 20): the exact erf form is aten.gelu; the tanh approximation is another function. */
const gelu: Converter = (ctx, n) => {
  const approximate = n.str("approximate", "none");
  if (approximate !== "none") throw new ImportIssue(`Gelu approximate="${approximate}" is not supported (only the exact form, approximate="none")`);
  return [ctx.emit1(GELU.name, [ctx.need(n, 0)])];
};

/**
 * Clip. Before opset 11 the bounds are attributes; from 11 they are optional inputs.
 * Constant bounds become hardtanh (relu6 is hardtanh(0, 6)) or a one-sided clamp;
 * a bound computed by the graph (a top-dB floor from ReduceMax) becomes
 * max(x, min) then min(·, max), which is what Clip computes.
 */
const clip: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  if (ctx.opset < 11) {
    const lo = n.has("min") ? n.float("min", 0) : null;
    const hi = n.has("max") ? n.float("max", 0) : null;
    return [clampConst(ctx, x, lo, hi)];
  }
  const a = ctx.input(n, 1);
  const b = ctx.input(n, 2);
  if ((!a || a.isConst()) && (!b || b.isConst())) {
    return [clampConst(ctx, x, a ? scalarOf(ctx, a, "min") : null, b ? scalarOf(ctx, b, "max") : null)];
  }
  for (const [v, what] of [[a, "min"], [b, "max"]] as const) {
    if (v && v.numel !== 1) throw new ImportIssue(`${what} must be a scalar, got shape [${v.shape.join(",")}]`);
  }
  const lower = a ? ctx.emit1(MAXIMUM.name, [x, a]) : x;
  return [b ? ctx.emit1(MINIMUM.name, [lower, b]) : lower];
};

function clampConst(ctx: ImportContext, x: Value, lo: number | null, hi: number | null): Value {
  if (lo !== null && hi !== null) return ctx.emit1(HARDTANH.name, [x], { min_val: lo, max_val: hi });
  if (lo === null && hi === null) return x;
  return ctx.emit1(CLAMP.name, [x], { min: lo, max: hi });
}

function scalarOf(ctx: ImportContext, v: Value, what: string): number {
  const t = ctx.constData(v, what);
  if (t.data.length !== 1) throw new ImportIssue(`${what} must be a scalar, got shape [${t.shape.join(",")}]`);
  return t.data[0]!;
}

/** ONNX HardSigmoid is max(0, min(1, alpha·x + beta)); PyTorch's has alpha 1/6, beta 1/2. */
const hardSigmoid: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const alpha = n.float("alpha", 0.2);
  const beta = n.float("beta", 0.5);
  if (Math.abs(alpha - 1 / 6) < 1e-6 && Math.abs(beta - 0.5) < 1e-7) return [ctx.emit1(HARDSIGMOID.name, [x])];
  const scaled = ctx.emit1(MUL.name, [x, ctx.literal("f32", [], [alpha], "alpha")]);
  const shifted = ctx.emit1(ADD.name, [scaled, ctx.literal("f32", [], [beta], "beta")]);
  return [ctx.emit1(CLAMP.name, [shifted], { min: 0, max: 1 })];
};

/**
 * Softmax/LogSoftmax. From opset 13 they act along one axis (default -1). Before
 * 13 the input is coerced to 2-D [prod(d<axis), prod(d>=axis)] (default axis 1)
 * and normalised over the whole second part, so unless axis is the last dim we
 * reshape, normalise over dim 1 and reshape back.
 */
function softmaxLike(op: string): Converter {
  return (ctx: ImportContext, n: OnnxNode) => {
    const x = ctx.need(n, 0);
    const r = x.rank;
    if (ctx.opset >= 13) return [ctx.emit1(op, [x], { dim: normAxis(n.int("axis", -1), r) })];
    const axis = r === 0 ? 0 : normAxis(n.int("axis", 1), r);
    if (axis === r - 1) return [ctx.emit1(op, [x], { dim: axis })];
    const flat = ctx.emit1(VIEW_COPY.name, [x], { size: [numel(x.shape.slice(0, axis)), numel(x.shape.slice(axis))] });
    const y = ctx.emit1(op, [flat], { dim: 1 });
    return [ctx.emit1(VIEW_COPY.name, [y], { size: [...x.shape] })];
  };
}

export const ACTIVATION_CONVERTERS: Record<string, Converter> = {
  Relu: unary(RELU.name),
  Sigmoid: unary(SIGMOID.name),
  Tanh: unary(TANH.name),
  HardSwish: unary(HARDSWISH.name),
  Gelu: gelu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  HardSigmoid: hardSigmoid,
  Softmax: softmaxLike(SOFTMAX.name),
  LogSoftmax: softmaxLike(LOG_SOFTMAX.name),
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const ACTIVATION_EMITS: readonly OpDef[] = [CLAMP, HARDSIGMOID, HARDSWISH, HARDTANH, LEAKY_RELU, RELU, SIGMOID, TANH, GELU, ADD, MAXIMUM, MINIMUM, MUL, VIEW_COPY, LOG_SOFTMAX, SOFTMAX];
