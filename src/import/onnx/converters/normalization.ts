// BatchNormalization, InstanceNormalization, LayerNormalization and LRN, in inference mode.
//
// BatchNormalization with constant statistics is an affine map per channel,
// y = a·x + b with a = scale/√(var+ε) and b = B − mean·a. When its input is a
// convolution (or a Gemm/MatMul's linear) that nothing else reads, a and b are
// folded into that layer's weights and bias, as inference exporters do; otherwise
// it is a depthwise 1×1 convolution (a mul and an add on other ranks). Instance/LayerNormalization and LRN are
// written with the catalog's elementwise ops, reductions and a 1×1 convolution.
import type { Value } from "../../../ir/graph.js";
import { fmt, normAxis, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { CONVOLUTION } from "../../../ops/conv/convolution.js";
import { ADD, DIV, MUL, POW, SUB } from "../../../ops/elementwise/binary.js";
import { SQRT } from "../../../ops/elementwise/unary.js";
import { LINEAR_OP } from "../../../ops/linear/linear.js";
import { MEAN } from "../../../ops/reduce/reduce.js";

function constVector(ctx: ImportContext, v: Value, what: string, c: number): ArrayLike<number> {
  const t = ctx.constData(v, what);
  if (t.data.length !== c) throw new ImportIssue(`${what} has ${t.data.length} elements, expected one per channel (${c})`);
  return t.data;
}

/** Fold y = a·conv(x) + b into the convolution (out channel o scales its weights and bias). */
function foldIntoConv(ctx: ImportContext, y: Value, a: Float64Array, b: Float64Array): Value | null {
  const node = y.producer!;
  const [x, w, bias] = [node.input(0), node.input(1), node.inputs[2] ?? null];
  if (node.attrs.transposed || !w.isConst() || w.dtype !== "f32" || (bias && (!bias.isConst() || bias.dtype !== "f32"))) return null;
  const O = w.shape[0]!;
  if (O !== a.length) return null;
  const per = w.numel / O;
  const wd = w.data!;
  const nw = Float32Array.from(wd, (v, i) => v * a[Math.floor(i / per)]!);
  const nb = Float32Array.from({ length: O }, (_, o) => (bias ? bias.data![o]! : 0) * a[o]! + b[o]!);
  return ctx.emit1(CONVOLUTION.name, [x, ctx.literal("f32", [...w.shape], nw, "weight"), ctx.literal("f32", [O], nb, "bias")], { ...node.attrs });
}

/** Fold y = a·linear(x) + b (features on the last dim of a rank-2 output) into the linear layer. */
function foldIntoLinear(ctx: ImportContext, y: Value, a: Float64Array, b: Float64Array): Value | null {
  const node = y.producer!;
  const [x, w, bias] = [node.input(0), node.input(1), node.inputs[2] ?? null];
  if (y.rank !== 2 || !w.isConst() || w.dtype !== "f32" || (bias && (!bias.isConst() || bias.dtype !== "f32"))) return null;
  const [O, K] = [w.shape[0]!, w.shape[1]!];
  if (O !== a.length) return null;
  const nw = Float32Array.from(w.data!, (v, i) => v * a[Math.floor(i / K)]!);
  const nb = Float32Array.from({ length: O }, (_, o) => (bias ? bias.data![o]! : 0) * a[o]! + b[o]!);
  return ctx.emit1(LINEAR_OP.name, [x, ctx.literal("f32", [O, K], nw, "weight"), ctx.literal("f32", [O], nb, "bias")]);
}

const batchNorm: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "X");
  if (x.rank < 2) throw new ImportIssue(`input ${fmt(x.shape)} has no channel dim`);
  // Opsets 7–8: spatial=0 keeps statistics per element of [C, spatial…], which exporters never write.
  if (ctx.opset < 9 && n.int("spatial", 1) === 0) throw new ImportIssue("spatial=0 is not supported");
  if (n.int("training_mode", 0) !== 0) throw new ImportIssue("training_mode=1 is not supported (inference only)");
  const C = x.shape[1]!;
  const scale = constVector(ctx, ctx.need(n, 1, "scale"), "scale", C);
  const bias = constVector(ctx, ctx.need(n, 2, "B"), "B", C);
  const mean = constVector(ctx, ctx.need(n, 3, "input_mean"), "input_mean", C);
  const variance = constVector(ctx, ctx.need(n, 4, "input_var"), "input_var", C);
  const eps = n.float("epsilon", 1e-5);
  const a = Float64Array.from({ length: C }, (_, c) => scale[c]! / Math.sqrt(variance[c]! + Math.fround(eps)));
  const b = Float64Array.from({ length: C }, (_, c) => bias[c]! - mean[c]! * a[c]!);
  // Fold only when this node is the layer output's sole reader (else the layer would be computed twice).
  const src = n.inputs[0]!;
  if (x.producer && ctx.consumerCount(src) === 1 && !ctx.isGraphOutput(src)) {
    const folded = x.producer.op === CONVOLUTION.name ? foldIntoConv(ctx, x, a, b)
      : x.producer.op === LINEAR_OP.name ? foldIntoLinear(ctx, x, a, b) : null;
    if (folded) return [folded];
  }
  return [channelAffine(ctx, x, a, b)];
};

/**
 * y = a[c]·x + b[c] along dim 1. On a 1-D or 2-D feature map it is a depthwise 1×1
 * convolution (its float result is b + a·x rounded once each, the same bits as a
 * mul then an add, and it lowers to the int8 depthwise kernel); otherwise a mul and
 * an add by [C,1,…] constants.
 */
export function channelAffine(ctx: ImportContext, x: Value, a: ArrayLike<number>, b: ArrayLike<number> | null): Value {
  const C = x.shape[1]!;
  const s = x.rank - 2;
  if (s === 1 || s === 2) {
    const ones = new Array<number>(s).fill(1);
    const zeros = new Array<number>(s).fill(0);
    const w = ctx.literal("f32", [C, 1, ...ones], a, "scale");
    return ctx.emit1(CONVOLUTION.name, [x, w, b ? ctx.literal("f32", [C], b, "shift") : null], {
      stride: ones, padding: zeros, padding_end: zeros, dilation: ones, groups: C, transposed: false, output_padding: zeros,
    });
  }
  const shape = [C, ...new Array<number>(Math.max(0, s)).fill(1)];
  const scaled = ctx.emit1(MUL.name, [x, ctx.literal("f32", shape, a, "scale")]);
  return b ? ctx.emit1(ADD.name, [scaled, ctx.literal("f32", shape, b, "shift")]) : scaled;
}

/** LayerNormalization (opset 17): normalise over dims axis…r−1, then scale and shift. */
const layerNorm: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "X");
  const scale = ctx.need(n, 1, "Scale");
  const bias = ctx.input(n, 2);
  if (n.outputs.slice(1).some((o) => o)) throw new ImportIssue("the Mean and InvStdDev outputs are not supported");
  const axis = normAxis(n.int("axis", -1), x.rank);
  const dims = x.shape.slice(axis).map((_, i) => axis + i);
  const y = ctx.emit1(MUL.name, [normalize(ctx, x, dims, n.float("epsilon", 1e-5)), scale]);
  return [bias ? ctx.emit1(ADD.name, [y, bias]) : y];
};

/** InstanceNormalization: normalise each (n, c) plane over its spatial dims, then a per-channel affine. */
const instanceNorm: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "input");
  if (x.rank < 3) throw new ImportIssue(`input ${fmt(x.shape)} has no spatial dims`);
  const C = x.shape[1]!;
  const scale = constVector(ctx, ctx.need(n, 1, "scale"), "scale", C);
  const bias = constVector(ctx, ctx.need(n, 2, "B"), "B", C);
  const dims = x.shape.slice(2).map((_, i) => i + 2);
  return [channelAffine(ctx, normalize(ctx, x, dims, n.float("epsilon", 1e-5)), scale, bias)];
};

/** (x − mean) / √(var + ε) over `dims` (the biased variance, as ONNX defines it). */
function normalize(ctx: ImportContext, x: Value, dims: number[], eps: number): Value {
  const mu = ctx.emit1(MEAN.name, [x], { dims, keepdim: true });
  const d = ctx.emit1(SUB.name, [x, mu]);
  const variance = ctx.emit1(MEAN.name, [ctx.emit1(MUL.name, [d, d])], { dims, keepdim: true });
  const std = ctx.emit1(SQRT.name, [ctx.emit1(ADD.name, [variance, ctx.literal("f32", [], [eps], "epsilon")])]);
  return ctx.emit1(DIV.name, [d, std]);
}

/**
 * LRN: y = x / (bias + alpha/size · Σ x²)^beta, the sum over the channels
 * c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉. The windowed sum is a 1×1 convolution
 * with a banded 0/1 weight.
 */
const lrn: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "X");
  if (x.rank !== 3 && x.rank !== 4) throw new ImportIssue(`only 3-D and 4-D inputs are supported, got ${fmt(x.shape)}`);
  const size = n.int("size", 0);
  if (size < 1) throw new ImportIssue("missing or invalid size");
  const alpha = n.float("alpha", 1e-4);
  const beta = n.float("beta", 0.75);
  const bias = n.float("bias", 1);
  const C = x.shape[1]!;
  const lo = Math.floor((size - 1) / 2);
  const hi = Math.ceil((size - 1) / 2);
  const s = x.rank - 2;
  const band = new Float32Array(C * C);
  for (let o = 0; o < C; o++) for (let i = Math.max(0, o - lo); i <= Math.min(C - 1, o + hi); i++) band[o * C + i] = 1;
  const w = ctx.literal("f32", [C, C, ...new Array<number>(s).fill(1)], band, "window");
  const ones = new Array<number>(s).fill(1);
  const zeros = new Array<number>(s).fill(0);
  const sq = ctx.emit1(MUL.name, [x, x]);
  const sum = ctx.emit1(CONVOLUTION.name, [sq, w, null], {
    stride: ones, padding: zeros, padding_end: zeros, dilation: ones, groups: 1, transposed: false, output_padding: zeros,
  });
  const base = ctx.emit1(ADD.name, [ctx.emit1(MUL.name, [sum, ctx.literal("f32", [], [alpha / size], "alpha")]), ctx.literal("f32", [], [bias], "bias")]);
  return [ctx.emit1(DIV.name, [x, ctx.emit1(POW.name, [base, ctx.literal("f32", [], [beta], "beta")])])];
};

export const NORMALIZATION_CONVERTERS: Record<string, Converter> = {
  BatchNormalization: batchNorm,
  InstanceNormalization: instanceNorm,
  LayerNormalization: layerNorm,
  LRN: lrn,
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const NORMALIZATION_EMITS: readonly OpDef[] = [CONVOLUTION, LINEAR_OP, ADD, DIV, MUL, POW, SUB, SQRT, MEAN];
