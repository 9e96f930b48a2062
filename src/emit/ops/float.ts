// Ops that stay in float (log_softmax, LSTM, matmul, broadcasting arithmetic,
// mean, ...) → the clg_float kernels, which repeat the simulator's float
// reference operation by operation. Inputs and outputs are logical row-major
// (relaid through temporaries when stored otherwise), as the simulator does.
import type { Node, Value } from "../../ir/graph.js";
import { numel, stridesOf } from "../../ir/tensor.js";
import { hexDouble } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout, rowMajor } from "../moves.js";
import type { EmitFn } from "./common.js";

function needF32(node: Node, ctx: EmitContext, vs: (Value | null)[]): void {
  for (const v of vs) if (v && v.dtype !== "f32") ctx.fail(node, `${v.name} is ${v.dtype}; the float C kernels take f32`);
}

const rmIn = (ctx: EmitContext, v: Value, base: string): string => inLayout(ctx, v, rowMajor(v.type), base);
const rmOut = (ctx: EmitContext, v: Value, base: string) => outLayout(ctx, v, rowMajor(v.type), base);

const UNARY: Record<string, { op: string; params?: (n: Node) => [number, number] }> = {
  "aten.abs": { op: "CLG_ABS" },
  "aten.neg": { op: "CLG_NEG" },
  "aten.exp": { op: "CLG_EXP" },
  "aten.log": { op: "CLG_LOG" },
  "aten.sqrt": { op: "CLG_SQRT" },
  "aten.relu": { op: "CLG_RELU" },
  "aten.sigmoid": { op: "CLG_SIGMOID" },
  "aten.tanh": { op: "CLG_TANH" },
  "aten.silu": { op: "CLG_SILU" },
  "aten.hardswish": { op: "CLG_HARDSWISH" },
  "aten.hardsigmoid": { op: "CLG_HARDSIGMOID" },
  "aten.leaky_relu": { op: "CLG_LEAKY_RELU", params: (n) => [(n.attrs.negative_slope as number | undefined) ?? 0.01, 0] },
  "aten.hardtanh": { op: "CLG_HARDTANH", params: (n) => [(n.attrs.min_val as number | undefined) ?? -1, (n.attrs.max_val as number | undefined) ?? 1] },
};

function emitUnary(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const u = UNARY[node.op]!;
  const [p0, p1] = u.params ? u.params(node) : [0, 0];
  // Elementwise: any common layout will do.
  const src = inLayout(ctx, x, y.type, "unary");
  ctx.useSupport("float");
  ctx.line(`clg_unary_f32(${u.op}, ${src}, ${ctx.ptr(y)}, ${y.numel}, ${hexDouble(p0)}, ${hexDouble(p1)});`);
}

const BINARY: Record<string, string> = {
  "aten.add": "CLG_ADD", "aten.sub": "CLG_SUB", "aten.mul": "CLG_MUL", "aten.div": "CLG_DIV",
  "aten.pow": "CLG_POW", "aten.maximum": "CLG_MAXIMUM", "aten.minimum": "CLG_MINIMUM",
};

/** Element strides of `v` read over the (broadcast) output shape. */
function broadcastStrides(v: Value, shape: number[]): number[] {
  const s = stridesOf(v.shape);
  const off = shape.length - v.rank;
  return shape.map((_, k) => (k < off || v.shape[k - off] === 1 ? 0 : s[k - off]!));
}

function emitBinary(node: Node, ctx: EmitContext): void {
  const [a, b] = [node.input(0), node.input(1)];
  const y = node.output;
  needF32(node, ctx, [a, b, y]);
  if (node.attrs.alpha !== undefined && node.attrs.alpha !== 1) ctx.fail(node, "alpha != 1 is not supported");
  const pa = rmIn(ctx, a, "bin_a");
  const pb = rmIn(ctx, b, "bin_b");
  const out = rmOut(ctx, y, "bin");
  const shape = y.shape.length ? [...y.shape] : [1];
  const as = ctx.constArray("int32_t", "a_strides", y.shape.length ? broadcastStrides(a, shape) : [0]);
  const bs = ctx.constArray("int32_t", "b_strides", y.shape.length ? broadcastStrides(b, shape) : [0]);
  const sh = ctx.constArray("int32_t", "shape", shape);
  ctx.useSupport("float");
  ctx.line(`clg_binary_f32(${BINARY[node.op]}, ${pa}, ${as}, ${pb}, ${bs}, ${out.ptr}, ${shape.length}, ${sh});`);
  out.finish();
}

function emitMean(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const r = x.rank;
  const raw = (node.attrs.dims as number[] | undefined) ?? (node.attrs.dim as number[] | undefined) ?? [];
  const dims = raw.length === 0 ? x.shape.map((_, i) => i) : raw.map((d) => (d < 0 ? d + r : d));
  const src = rmIn(ctx, x, "mean");
  const out = rmOut(ctx, y, "mean");
  const shape = ctx.constArray("int32_t", "shape", x.shape.length ? x.shape : [1]);
  const red = ctx.constArray("uint8_t", "reduce", x.shape.length ? x.shape.map((_, i) => (dims.includes(i) ? 1 : 0)) : [1]);
  ctx.useSupport("float");
  ctx.line(`clg_mean_f32(${src}, ${out.ptr}, ${Math.max(1, r)}, ${shape}, ${red});`);
  out.finish();
}

function emitSoftmax(node: Node, ctx: EmitContext, log: boolean): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const r = x.rank;
  let dim = node.attrs.dim as number;
  if (dim < 0) dim += r;
  const src = rmIn(ctx, x, "softmax");
  const out = rmOut(ctx, y, "softmax");
  const outer = numel(x.shape.slice(0, dim));
  const inner = numel(x.shape.slice(dim + 1));
  ctx.useSupport("float");
  ctx.line(`clg_softmax_f32(${src}, ${out.ptr}, ${outer}, ${x.shape[dim]}, ${inner}, ${log ? 1 : 0});`);
  out.finish();
}

function emitMatmul(node: Node, ctx: EmitContext): void {
  const [a, b] = [node.input(0), node.input(1)];
  const y = node.output;
  needF32(node, ctx, [a, b, y]);
  if (a.rank === 0 || b.rank === 0) ctx.fail(node, "scalar operands are not allowed");
  const A = a.rank === 1 ? [1, a.shape[0]!] : a.shape;
  const B = b.rank === 1 ? [b.shape[0]!, 1] : b.shape;
  const [M, K] = [A[A.length - 2]!, A[A.length - 1]!];
  const N = B[B.length - 1]!;
  const aB = A.slice(0, -2);
  const bB = B.slice(0, -2);
  const nb = Math.max(aB.length, bB.length);
  const batch = Array.from({ length: nb }, (_, k) => {
    const da = aB[k - (nb - aB.length)] ?? 1;
    const db = bB[k - (nb - bB.length)] ?? 1;
    return Math.max(da, db);
  });
  const bstrides = (bs: number[], mat: number): number[] => {
    const s = stridesOf(bs).map((x) => x * mat);
    return batch.map((_, k) => {
      const j = k - (nb - bs.length);
      return j < 0 || bs[j] === 1 ? 0 : s[j]!;
    });
  };
  const pa = rmIn(ctx, a, "matmul_a");
  const pb = rmIn(ctx, b, "matmul_b");
  const out = rmOut(ctx, y, "matmul");
  const shape = ctx.constArray("int32_t", "batch", batch.length ? batch : [1]);
  const as = ctx.constArray("int32_t", "a_bstrides", batch.length ? bstrides(aB, M * K) : [0]);
  const bs = ctx.constArray("int32_t", "b_bstrides", batch.length ? bstrides(bB, K * N) : [0]);
  ctx.useSupport("float");
  ctx.line(`clg_matmul_f32(${pa}, ${pb}, ${out.ptr}, ${batch.length}, ${shape}, ${as}, ${bs}, ${M}, ${K}, ${N});`);
  out.finish();
}

function emitLinear(node: Node, ctx: EmitContext): void {
  const [x, w] = [node.input(0), node.input(1)];
  const b = node.inputs[2] ?? null;
  const y = node.output;
  needF32(node, ctx, [x, w, b, y]);
  const [O, K] = w.shape as [number, number];
  const rows = numel(x.shape) / K;
  const px = rmIn(ctx, x, "linear_x");
  const pw = rmIn(ctx, w, "linear_w");
  const pb = b ? rmIn(ctx, b, "linear_b") : "NULL";
  const out = rmOut(ctx, y, "linear");
  ctx.useSupport("float");
  ctx.line(`clg_linear_f32(${px}, ${pw}, ${pb}, ${out.ptr}, ${rows}, ${K}, ${O});`);
  out.finish();
}

function emitLstm(node: Node, ctx: EmitContext): void {
  const [X, W, R] = [node.input(0), node.input(1), node.input(2)];
  const B = node.inputs[3] ?? null;
  const h0 = node.inputs[4] ?? null;
  const c0 = node.inputs[5] ?? null;
  needF32(node, ctx, [X, W, R, B, h0, c0, ...node.outputs]);
  const H = node.attrs.hidden_size as number;
  const [S, N, I] = X.shape as [number, number, number];
  if (W.shape[0] !== 1 || R.shape[0] !== 1) ctx.fail(node, "only one direction is supported");
  const p = (v: Value | null, base: string): string => (v ? rmIn(ctx, v, base) : "NULL");
  const args = [p(X, "lstm_x"), p(W, "lstm_w"), p(R, "lstm_r"), p(B, "lstm_b"), p(h0, "lstm_h0"), p(c0, "lstm_c0")];
  const outs = node.outputs.map((o, i) => rmOut(ctx, o, `lstm_${i}`));
  const work = ctx.staticBuffer("double", "lstm_work", 3 * N * H + 4 * H);
  ctx.useSupport("float");
  ctx.line(`clg_lstm_f32(${args.join(", ")}, ${outs.map((o) => o.ptr).join(", ")}, ${S}, ${N}, ${I}, ${H}, ${work});`);
  for (const o of outs) o.finish();
}

export const floatEmitters: Record<string, EmitFn> = {
  ...Object.fromEntries(Object.keys(UNARY).map((k) => [k, emitUnary])),
  ...Object.fromEntries(Object.keys(BINARY).map((k) => [k, emitBinary])),
  "aten.mean": emitMean,
  "aten.softmax": (n, ctx) => emitSoftmax(n, ctx, false),
  "aten.log_softmax": (n, ctx) => emitSoftmax(n, ctx, true),
  "aten.matmul": emitMatmul,
  "aten.linear": emitLinear,
  "aten.lstm": emitLstm,
};
