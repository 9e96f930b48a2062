// Activations and softmax.
import type { Value } from "../../../ir/graph.js";
import { numel } from "../../../ir/tensor.js";
import { normAxis, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import type { Converter } from "./types.js";

const unary = (op: string): Converter => (ctx, n) => [ctx.emit1(op, [ctx.need(n, 0)])];

const leakyRelu: Converter = (ctx, n) => [ctx.emit1("aten.leaky_relu", [ctx.need(n, 0)], { negative_slope: n.float("alpha", 0.01) })];

/** Clip bounds are optional constant inputs (opset >= 11; the attribute form is older). */
const clip: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const a = ctx.input(n, 1);
  const b = ctx.input(n, 2);
  const lo = a ? scalarOf(ctx, a, "min") : null;
  const hi = b ? scalarOf(ctx, b, "max") : null;
  // Both bounds finite: hardtanh (relu6 is hardtanh(0, 6)); otherwise a one-sided clamp.
  if (lo !== null && hi !== null) return [ctx.emit1("aten.hardtanh", [x], { min_val: lo, max_val: hi })];
  if (lo === null && hi === null) return [x];
  return [ctx.emit1("aten.clamp", [x], { min: lo, max: hi })];
};

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
  if (Math.abs(alpha - 1 / 6) < 1e-6 && Math.abs(beta - 0.5) < 1e-7) return [ctx.emit1("aten.hardsigmoid", [x])];
  const scaled = ctx.emit1("aten.mul", [x, ctx.literal("f32", [], [alpha], "alpha")]);
  const shifted = ctx.emit1("aten.add", [scaled, ctx.literal("f32", [], [beta], "beta")]);
  return [ctx.emit1("aten.clamp", [shifted], { min: 0, max: 1 })];
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
    const flat = ctx.emit1("aten.view_copy", [x], { size: [numel(x.shape.slice(0, axis)), numel(x.shape.slice(axis))] });
    const y = ctx.emit1(op, [flat], { dim: 1 });
    return [ctx.emit1("aten.view_copy", [y], { size: [...x.shape] })];
  };
}

export const ACTIVATION_CONVERTERS: Record<string, Converter> = {
  Relu: unary("aten.relu"),
  Sigmoid: unary("aten.sigmoid"),
  Tanh: unary("aten.tanh"),
  HardSwish: unary("aten.hardswish"),
  LeakyRelu: leakyRelu,
  Clip: clip,
  HardSigmoid: hardSigmoid,
  Softmax: softmaxLike("aten.softmax"),
  LogSoftmax: softmaxLike("aten.log_softmax"),
};
