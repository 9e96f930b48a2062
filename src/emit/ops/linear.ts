// cortex_m.quantized_linear → arm_fully_connected_s8 over rows = numel / K.
// ctx carries the MVE kernel sums (bias folded in) when the lowering made them:
// the MVE kernel reads only those; pure C / DSP builds read `bias`.
import type { Node } from "../../ir/graph.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { rowMajor } from "../../ir/layout.js";
import { actInit, callChecked, local, num, type EmitFn } from "./common.js";

function emitLinear(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const w = node.input(1);
  const y = node.output;
  const k = x.shape[x.rank - 1]!;
  const [o, wk] = w.shape as [number, number];
  if (wk !== k) ctx.fail(node, `weight [${w.shape}] does not match input [${x.shape}]`);
  const rows = k === 0 ? 0 : x.numel / k;
  const bias = node.inputs[2] ? ctx.ptr(node.inputs[2]) : "NULL";
  const sums = node.inputs[3] ?? null;
  const input = inLayout(ctx, x, rowMajor(x.type), "fc");
  const out = outLayout(ctx, y, rowMajor(y.type), "fc");
  ctx.line("{");
  local(ctx, "cmsis_nn_fc_params", "params",
    `{${num(node, "input_offset", ctx)}, ${num(node, "filter_offset", ctx)}, ${num(node, "output_offset", ctx)}, ${actInit(num(node, "activation_min", ctx), num(node, "activation_max", ctx))}}`);
  local(ctx, "cmsis_nn_per_tensor_quant_params", "quant", `{${num(node, "multiplier", ctx)}, ${num(node, "shift", ctx)}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", `{${rows}, 1, 1, ${k}}`);
  local(ctx, "cmsis_nn_dims", "filter_dims", `{${k}, 1, 1, ${o}}`);
  local(ctx, "cmsis_nn_dims", "bias_dims", `{1, 1, 1, ${o}}`);
  local(ctx, "cmsis_nn_dims", "output_dims", `{${rows}, 1, 1, ${o}}`);
  ctx.line(`const cmsis_nn_context nn_ctx = ${sums ? `{(void *)${ctx.ptr(sums)}, ${4 * o}}` : "{NULL, 0}"};`);
  callChecked(ctx, "arm_fully_connected_s8", ["&nn_ctx", "&params", "&quant", "&input_dims", input, "&filter_dims",
    ctx.ptr(w), "&bias_dims", bias, "&output_dims", out.ptr]);
  ctx.line("}");
  out.finish();
}

export const linearEmitters: Record<string, EmitFn> = {
  "cortex_m.quantized_linear": emitLinear,
};
