// cortex_m.quantized_linear → arm_fully_connected_s8 over rows = numel / K.
// ctx carries the MVE kernel sums (bias folded in) when the lowering made them:
// the MVE kernel reads only those; pure C / DSP builds read `bias`.
import type { Node } from "../../ir/graph.js";
import { QUANTIZED_LINEAR, type LinearParams } from "../../ops/cortex_m/linear.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { rowMajor } from "../../ir/layout.js";
import { actInit, bind, callChecked, local, scratchCtx } from "./common.js";
import { QUANTIZED_BATCH_MATMUL, type BatchMatmulParams } from "../../ops/cortex_m/batch_matmul.js";

function emitLinear(p: LinearParams, node: Node, ctx: EmitContext): void {
  const v = p.operands;
  const y = node.output;
  const { rows, k, o } = p;
  const bias = v.bias ? ctx.ptr(v.bias) : "NULL";
  const input = inLayout(ctx, v.input, rowMajor(v.input.type), "fc");
  const out = outLayout(ctx, y, rowMajor(y.type), "fc");
  ctx.line("{");
  local(ctx, "cmsis_nn_fc_params", "params",
    `{${p.inputOffset}, ${p.filterOffset}, ${p.outputOffset}, ${actInit(p.activation.min, p.activation.max)}}`);
  local(ctx, "cmsis_nn_per_tensor_quant_params", "quant", `{${p.multiplier}, ${p.shift}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", `{${rows}, 1, 1, ${k}}`);
  local(ctx, "cmsis_nn_dims", "filter_dims", `{${k}, 1, 1, ${o}}`);
  local(ctx, "cmsis_nn_dims", "bias_dims", `{1, 1, 1, ${o}}`);
  local(ctx, "cmsis_nn_dims", "output_dims", `{${rows}, 1, 1, ${o}}`);
  ctx.line(`const cmsis_nn_context nn_ctx = ${v.kernelSums ? `{(void *)${ctx.ptr(v.kernelSums)}, ${4 * o}}` : "{NULL, 0}"};`);
  callChecked(ctx, "arm_fully_connected_s8", ["&nn_ctx", "&params", "&quant", "&input_dims", input, "&filter_dims",
    ctx.ptr(v.weight), "&bias_dims", bias, "&output_dims", out.ptr]);
  ctx.line("}");
  out.finish();
}

/**
 * arm_batch_matmul_s8(ctx, bmm_params, quant, lhs_dims, lhs, rhs_dims, rhs_transposed, out_dims, out): the
 * batches go in the h dim (n = 1), rows in w, depth in c; the fc_params' input / filter offsets are lhs / rhs.
 */
function emitBatchMatmul(p: BatchMatmulParams, node: Node, ctx: EmitContext): void {
  const v = p.operands;
  const y = node.output;
  const lhs = inLayout(ctx, v.lhs, rowMajor(v.lhs.type), "bmm_lhs");
  const rhs = inLayout(ctx, v.rhs, rowMajor(v.rhs.type), "bmm_rhs");
  const out = outLayout(ctx, y, rowMajor(y.type), "bmm");
  ctx.line("{");
  local(ctx, "cmsis_nn_bmm_params", "params",
    `{false, false, {${p.lhsOffset}, ${p.rhsOffset}, ${p.outputOffset}, ${actInit(p.activation.min, p.activation.max)}}}`);
  local(ctx, "cmsis_nn_per_tensor_quant_params", "quant", `{${p.multiplier}, ${p.shift}}`);
  local(ctx, "cmsis_nn_dims", "lhs_dims", `{1, ${p.batches}, ${p.m}, ${p.k}}`);
  local(ctx, "cmsis_nn_dims", "rhs_dims", `{1, ${p.batches}, ${p.n}, ${p.k}}`);
  local(ctx, "cmsis_nn_dims", "output_dims", `{1, ${p.batches}, ${p.m}, ${p.n}}`);
  ctx.line(`const cmsis_nn_context nn_ctx = ${scratchCtx(ctx, v.scratch)};`);
  callChecked(ctx, "arm_batch_matmul_s8", ["&nn_ctx", "&params", "&quant", "&lhs_dims", lhs, "&rhs_dims", rhs, "&output_dims", out.ptr]);
  ctx.line("}");
  out.finish();
}

export const linearEmitters = [bind(QUANTIZED_LINEAR, emitLinear), bind(QUANTIZED_BATCH_MATMUL, emitBatchMatmul)];
