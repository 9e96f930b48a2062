// Ops that stay in float (log_softmax, LSTM, matmul, broadcasting arithmetic,
// mean, GELU, convolution and pools the lowering left, ...) → the single-precision
// clg_float / clg_float_ops kernels, and the ops on any element type (eq,
// logical_not, where, _to_copy, amax) → clg_float_ops' exact typed loops; the
// simulator's kernels/float32 repeat them operation by operation (the same tables and geometry). Inputs and outputs are logical row-major
// (relaid through temporaries when stored otherwise), as the simulator does.
import { bindNode, type Binding } from "../../ir/bindings.js";
import type { Node, Value } from "../../ir/graph.js";
import { binaryGeometry, broadcastGeometry, matmulGeometry, meanGeometry, softmaxGeometry, windowGeometry } from "../../kernels/float32/geometry.js";
import { cDtype, windowGeometryArray } from "../../kernels/float32/float_ops.js";
import { reductionPlan, softmaxExpTable } from "../../kernels/float32/kernels.js";
import { FLOAT_BINARY_OPS, FLOAT_UNARY_OPS, TYPED_MAP_OPS, typedMapProblem, unaryParams, WINDOW_OPS } from "../../kernels/float32/ops.js";
import { numel } from "../../ir/tensor.js";
import { ERF, GELU } from "../../ops/activation/activations.js";
import { DEQUANTIZE_SOFTMAX } from "../../ops/cortex_m/quant.js";
import { POW } from "../../ops/elementwise/binary.js";
import { LINEAR_OP, MATMUL_OP } from "../../ops/linear/linear.js";
import { AMAX, MEAN, SUM } from "../../ops/reduce/reduce.js";
import { LSTM_OP } from "../../ops/rnn/lstm.js";
import { LOG_SOFTMAX, SOFTMAX } from "../../ops/softmax/softmax.js";
import { hexFloat } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { rowMajor } from "../../ir/layout.js";
import type { EmitFn } from "./common.js";

function needF32(node: Node, ctx: EmitContext, vs: (Value | null)[]): void {
  for (const v of vs) if (v && v.dtype !== "f32") ctx.fail(node, `${v.name} is ${v.dtype}; the float C kernels take f32`);
}

const rmIn = (ctx: EmitContext, v: Value, base: string): string => inLayout(ctx, v, rowMajor(v.type), base);
const rmOut = (ctx: EmitContext, v: Value, base: string) => outLayout(ctx, v, rowMajor(v.type), base);

function emitUnary(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const [p0, p1] = unaryParams(node.op, node.attrs);
  // Elementwise: any common layout will do.
  const src = inLayout(ctx, x, y.type, "unary");
  ctx.useSupport("float");
  ctx.line(`clg_unary_f32(${FLOAT_UNARY_OPS[node.op]!.kernel}, ${src}, ${ctx.ptr(y)}, ${y.numel}, ${hexFloat(p0)}, ${hexFloat(p1)});`);
}

function emitBinary(node: Node, ctx: EmitContext): void {
  const [a, b] = [node.input(0), node.input(1)];
  const y = node.output;
  needF32(node, ctx, [a, b, y]);
  if (node.attrs.alpha !== undefined && node.attrs.alpha !== 1) ctx.fail(node, "alpha != 1 is not supported");
  const pa = rmIn(ctx, a, "bin_a");
  const pb = rmIn(ctx, b, "bin_b");
  const out = rmOut(ctx, y, "bin");
  const { shape, aStrides, bStrides } = binaryGeometry(a.shape, b.shape, y.shape);
  const as = ctx.constArray("int32_t", "a_strides", aStrides);
  const sh = ctx.constArray("int32_t", "shape", shape);
  ctx.useSupport("float");
  if (node.op === POW.name && b.data && b.data.length > 0 && b.data.every((e) => e === 2)) {
    // x² by the power loop is one rounded product, 1·(x·x): the same bits as x·x, without the loop.
    ctx.line(`clg_binary_f32(CLG_MUL, ${pa}, ${as}, ${pa}, ${as}, ${out.ptr}, ${shape.length}, ${sh});`);
  } else {
    const bs = ctx.constArray("int32_t", "b_strides", bStrides);
    ctx.line(`clg_binary_f32(${FLOAT_BINARY_OPS[node.op]}, ${pa}, ${as}, ${pb}, ${bs}, ${out.ptr}, ${shape.length}, ${sh});`);
  }
  out.finish();
}

function emitMean(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const dims = (node.attrs.dims as number[] | undefined) ?? (node.attrs.dim as number[] | undefined) ?? [];
  const g = meanGeometry(x.shape, dims);
  const src = rmIn(ctx, x, "mean");
  const out = rmOut(ctx, y, "mean");
  const shape = ctx.constArray("int32_t", "shape", g.shape);
  const red = ctx.constArray("uint8_t", "reduce", g.reduce.map((r) => (r ? 1 : 0)));
  ctx.useSupport("float");
  ctx.line(`clg_mean_f32(${src}, ${out.ptr}, ${g.shape.length}, ${shape}, ${red});`);
  out.finish();
}

function emitSoftmax(node: Node, ctx: EmitContext, log: boolean): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const { outer, len, inner } = softmaxGeometry(x.shape, node.attrs.dim as number);
  const src = rmIn(ctx, x, "softmax");
  const out = rmOut(ctx, y, "softmax");
  ctx.useSupport("float");
  ctx.line(`clg_softmax_f32(${src}, ${out.ptr}, ${outer}, ${len}, ${inner}, ${log ? 1 : 0});`);
  out.finish();
}

function emitDequantizeSoftmax(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  if (x.dtype !== "i8" || y.dtype !== "f32") ctx.fail(node, `takes i8 to f32, got ${x.dtype} to ${y.dtype}`);
  const { outer, len, inner } = softmaxGeometry(x.shape, node.attrs.dim as number);
  const src = rmIn(ctx, x, "softmax");
  const out = rmOut(ctx, y, "softmax");
  // The simulator's table, bit for bit, as constants: the device computes no exp.
  const table = ctx.constArray("float", "softmax_exp", Array.from(softmaxExpTable(node.attrs.scale as number), hexFloat));
  ctx.useSupport("float");
  ctx.line(`clg_softmax_s8_f32(${src}, ${out.ptr}, ${outer}, ${len}, ${inner}, ${table});`);
  out.finish();
}

function emitMatmul(node: Node, ctx: EmitContext): void {
  const [a, b] = [node.input(0), node.input(1)];
  const y = node.output;
  needF32(node, ctx, [a, b, y]);
  if (a.rank === 0 || b.rank === 0) ctx.fail(node, "scalar operands are not allowed");
  const { M, K, N, batch, aBStrides, bBStrides } = matmulGeometry(a.shape, b.shape);
  const pa = rmIn(ctx, a, "matmul_a");
  const pb = rmIn(ctx, b, "matmul_b");
  const out = rmOut(ctx, y, "matmul");
  const shape = ctx.constArray("int32_t", "batch", batch.length ? batch : [1]);
  const as = ctx.constArray("int32_t", "a_bstrides", batch.length ? aBStrides : [0]);
  const bs = ctx.constArray("int32_t", "b_bstrides", batch.length ? bBStrides : [0]);
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
  const work = ctx.staticBuffer("float", "lstm_work", 3 * N * H + 4 * H);
  ctx.useSupport("float");
  // Constant finite weights let soft-float builds skip zero inputs' products (same bits).
  const finite = [W, R].every((v) => v.data !== undefined && v.data !== null && v.data.every((e) => Number.isFinite(e)));
  ctx.line(`clg_lstm_f32(${args.join(", ")}, ${outs.map((o) => o.ptr).join(", ")}, ${S}, ${N}, ${I}, ${H}, ${finite ? 1 : 0}, ${work});`);
  for (const o of outs) o.finish();
}

function emitGelu(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const src = inLayout(ctx, x, y.type, "gelu");
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line(`clg_gelu_f32(${src}, ${ctx.ptr(y)}, ${y.numel});`);
}

function emitErf(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const src = inLayout(ctx, x, y.type, "erf");
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line(`clg_erf_f32(${src}, ${ctx.ptr(y)}, ${y.numel});`);
}

/** sum over dims (clg_sum_f32), the groups laid out as for amax. */
function emitSum(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  needF32(node, ctx, [x, y]);
  const g = meanGeometry(x.shape, (node.attrs.dims as number[] | undefined) ?? []);
  const { starts, offsets } = reductionPlan(g.shape, g.reduce);
  const src = rmIn(ctx, x, "sum");
  const out = rmOut(ctx, y, "sum");
  const st = ctx.constArray("int32_t", "sum_starts", starts);
  const off = ctx.constArray("int32_t", "sum_offsets", offsets);
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line(`clg_sum_f32(${src}, ${out.ptr}, ${starts.length}, ${st}, ${offsets.length}, ${off});`);
  out.finish();
}

/** Convolution (plain or transposed) and pools: one clg_window_f32 over row-major NCHW. */
function emitWindow(node: Node, ctx: EmitContext): void {
  const [x, w, b] = [node.input(0), node.inputs[1] ?? null, node.inputs[2] ?? null];
  const y = node.output;
  needF32(node, ctx, [x, w, b, y]);
  const { kind, g } = windowGeometry(node.op, node.attrs, x.shape, w?.shape ?? null, y.shape);
  const px = rmIn(ctx, x, "window_x");
  const pw = w ? rmIn(ctx, w, "window_w") : "NULL";
  const pb = b ? rmIn(ctx, b, "window_b") : "NULL";
  const out = rmOut(ctx, y, "window");
  const geom = ctx.constArray("int32_t", "window", windowGeometryArray(g));
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line(`clg_window_f32(${kind}, ${px}, ${pw}, ${pb}, ${out.ptr}, ${geom});`);
  out.finish();
}

/** eq, logical_not, where, _to_copy on any element types: clg_map over the row-major output. */
function emitMap(node: Node, ctx: EmitContext): void {
  const ins = node.inputs.map((v, i) => v ?? ctx.fail(node, `input ${i} is missing`));
  const y = node.output;
  const problem = typedMapProblem(node.op, ins.map((v) => v.dtype), y.dtype);
  if (problem) ctx.fail(node, problem);
  const { shape, strides } = broadcastGeometry(y.shape, ins.map((v) => v.shape));
  const ptrs = ins.map((v, i) => rmIn(ctx, v, `map_${i}`));
  const out = rmOut(ctx, y, "map");
  const types = ctx.constArray("int32_t", "map_types", ins.map((v) => cDtype(v.dtype)));
  const st = ctx.constArray("int32_t", "map_strides", strides.flat());
  const sh = ctx.constArray("int32_t", "shape", shape);
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line("{");
  ctx.line(`    const void *const map_in[${ins.length}] = {${ptrs.join(", ")}};`);
  ctx.line(`    clg_map(${TYPED_MAP_OPS[node.op]}, ${cDtype(y.dtype)}, ${out.ptr}, ${ins.length}, map_in, ${types}, ${st}, ${shape.length}, ${sh});`);
  ctx.line("}");
  out.finish();
}

/** amax on any element type (clg_amax). */
function emitAmax(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  if (x.dtype !== y.dtype) ctx.fail(node, `takes ${x.dtype} to ${y.dtype}; amax keeps the element type`);
  const g = meanGeometry(x.shape, (node.attrs.dims as number[] | undefined) ?? []);
  const { starts, offsets } = reductionPlan(g.shape, g.reduce);
  const src = rmIn(ctx, x, "amax");
  const out = rmOut(ctx, y, "amax");
  const st = ctx.constArray("int32_t", "amax_starts", starts);
  const off = ctx.constArray("int32_t", "amax_offsets", offsets);
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line(`clg_amax(${cDtype(x.dtype)}, ${src}, ${out.ptr}, ${starts.length}, ${st}, ${offsets.length}, ${off});`);
  out.finish();
}

/** The float family's emitters; the table-driven rows (unary, binary, window, typed map) take their op names from kernels/float32's tables, which are keyed by spec. */
export const floatEmitters: readonly Binding<EmitFn>[] = [
  ...Object.keys(FLOAT_UNARY_OPS).map((op) => bindNode<EmitFn>(op, emitUnary)),
  ...Object.keys(FLOAT_BINARY_OPS).map((op) => bindNode<EmitFn>(op, emitBinary)),
  bindNode<EmitFn>(MEAN, emitMean),
  bindNode<EmitFn>(SOFTMAX, (n, ctx) => emitSoftmax(n, ctx, false)),
  bindNode<EmitFn>(LOG_SOFTMAX, (n, ctx) => emitSoftmax(n, ctx, true)),
  bindNode<EmitFn>(DEQUANTIZE_SOFTMAX, emitDequantizeSoftmax),
  bindNode<EmitFn>(MATMUL_OP, emitMatmul),
  bindNode<EmitFn>(LINEAR_OP, emitLinear),
  bindNode<EmitFn>(LSTM_OP, emitLstm),
  bindNode<EmitFn>(GELU, emitGelu),
  bindNode<EmitFn>(ERF, emitErf),
  bindNode<EmitFn>(SUM, emitSum),
  ...WINDOW_OPS.map((op) => bindNode<EmitFn>(op, emitWindow)),
  ...Object.keys(TYPED_MAP_OPS).map((op) => bindNode<EmitFn>(op, emitMap)),
  bindNode<EmitFn>(AMAX, emitAmax),
];
