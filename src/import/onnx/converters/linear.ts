// Gemm and MatMul. A constant right-hand side becomes aten.linear with its
// weight stored (out, in), the layout CMSIS-NN fully-connected kernels read.
import type { Value } from "../../../ir/graph.js";
import { fmt, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { ADD, MUL } from "../../../ops/elementwise/binary.js";
import { LINEAR_OP, MATMUL_OP } from "../../../ops/linear/linear.js";
import { PERMUTE_COPY } from "../../../ops/shape/permute.js";
import { isDequantizedConst, transposedDequantizedWeight } from "./qdq.js";

/** Transpose of a constant 2-D matrix, scaled by `scale`. */
function transposedConst(ctx: ImportContext, v: Value, scale: number, suffix: string): Value {
  const t = ctx.constData(v, "weight");
  const [r, c] = [t.shape[0]!, t.shape[1]!];
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j]! * scale;
  return ctx.literal("f32", [c, r], out, suffix);
}

function scaledConst(ctx: ImportContext, v: Value, scale: number, shape: number[], suffix: string): Value {
  const t = ctx.constData(v, "weight");
  return ctx.literal("f32", shape, Float32Array.from(t.data, (x) => x * scale), suffix);
}

/** Gemm bias C broadcast to a vector of N (shapes [], [1], [N], [1,N]), or null if it is not one. */
function biasVector(ctx: ImportContext, c: Value, beta: number, n: number): Value | null {
  if (!c.isConst() || c.dtype !== "f32") return null;
  const ok = c.numel === 1 || (c.numel === n && (c.rank === 1 || (c.rank === 2 && c.shape[0] === 1)));
  if (!ok) return null;
  const src = c.data!;
  return ctx.literal("f32", [n], Float32Array.from({ length: n }, (_, i) => src[c.numel === 1 ? 0 : i]! * beta), "bias");
}

/** Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A, B' likewise. */
const gemm: Converter = (ctx, nd) => {
  let a = ctx.need(nd, 0, "input A");
  const b = ctx.need(nd, 1, "input B");
  const c = ctx.input(nd, 2);
  const transA = nd.int("transA", 0) !== 0;
  const transB = nd.int("transB", 0) !== 0;
  const alpha = nd.float("alpha", 1);
  const beta = nd.float("beta", 1);
  if (a.rank !== 2 || b.rank !== 2) throw new ImportIssue(`inputs must be 2-D, got A ${fmt(a.shape)} and B ${fmt(b.shape)}`);
  if (transA) a = ctx.emit1(PERMUTE_COPY.name, [a], { dims: [1, 0] });
  const k = a.shape[1]!;
  const kb = transB ? b.shape[1]! : b.shape[0]!;
  if (k !== kb) throw new ImportIssue(`A' ${fmt(a.shape)} and B ${fmt(b.shape)}${transB ? " (transposed)" : ""} have different inner dimensions`);
  const n = transB ? b.shape[0]! : b.shape[1]!;
  // A QDQ model's weight (N, K) read through its DequantizeLinear is linear's weight as it stands.
  const quantizedWeight = transB && alpha === 1 && isDequantizedConst(b);
  if (b.isConst() || quantizedWeight) {
    // linear wants the weight (out=N, in=K): B itself when transB, else Bᵀ. alpha is folded in.
    const w = transB ? (alpha === 1 ? b : scaledConst(ctx, b, alpha, [n, k], "weight")) : transposedConst(ctx, b, alpha, "weight");
    const quantizedBias = c && beta === 1 && c.rank === 1 && c.shape[0] === n && isDequantizedConst(c);
    const bias = c ? (quantizedBias ? c : biasVector(ctx, c, beta, n)) : null;
    const y = ctx.emit1(LINEAR_OP.name, [a, w, bias]);
    if (c && !bias && beta !== 0) return [ctx.emit1(ADD.name, [y, scaleValue(ctx, c, beta)])];
    return [y];
  }
  const bt = transB ? ctx.emit1(PERMUTE_COPY.name, [b], { dims: [1, 0] }) : b;
  let y = ctx.emit1(MATMUL_OP.name, [a, bt]);
  if (alpha !== 1) y = ctx.emit1(MUL.name, [y, ctx.literal("f32", [], [alpha], "alpha")]);
  if (c && beta !== 0) y = ctx.emit1(ADD.name, [y, scaleValue(ctx, c, beta)]);
  return [y];
};

function scaleValue(ctx: ImportContext, c: Value, beta: number): Value {
  return beta === 1 ? c : ctx.emit1(MUL.name, [c, ctx.literal("f32", [], [beta], "beta")]);
}

const matmul: Converter = (ctx, n) => {
  const a = ctx.need(n, 0, "input A");
  const b = ctx.need(n, 1, "input B");
  if (b.isConst() && b.rank === 2 && a.rank >= 1 && b.dtype === "f32" && !a.isConst()) {
    if (a.shape[a.rank - 1] !== b.shape[0]) throw new ImportIssue(`A ${fmt(a.shape)} and B ${fmt(b.shape)} have different inner dimensions`);
    return [ctx.emit1(LINEAR_OP.name, [a, transposedConst(ctx, b, 1, "weight"), null])];
  }
  // A QDQ model's integer weight (K, N) through its DequantizeLinear: linear reads it transposed.
  const wq = a.rank >= 1 && !a.isConst() ? transposedDequantizedWeight(ctx, b) : null;
  if (wq) {
    if (a.shape[a.rank - 1] !== b.shape[0]) throw new ImportIssue(`A ${fmt(a.shape)} and B ${fmt(b.shape)} have different inner dimensions`);
    return [ctx.emit1(LINEAR_OP.name, [a, wq, null])];
  }
  return [ctx.emit1(MATMUL_OP.name, [a, b])];
};

export const LINEAR_CONVERTERS: Record<string, Converter> = { Gemm: gemm, MatMul: matmul };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const LINEAR_EMITS: readonly OpDef[] = [ADD, MUL, LINEAR_OP, MATMUL_OP, PERMUTE_COPY];
