// cortex_m.quantized_max_pool2d / quantized_avg_pool2d → arm_max_pool_s8 / arm_avgpool_s8.
import type { Node } from "../../ir/graph.js";
import { QUANTIZED_AVG_POOL2D, QUANTIZED_MAX_POOL2D, type PoolParams } from "../../ops/cortex_m/pool.js";
import type { EmitContext } from "../context.js";
import { actInit, bind, callChecked, dimsInit, local, scratchCtx, tileInit } from "./common.js";

function emitPool(p: PoolParams, node: Node, ctx: EmitContext): void {
  ctx.line("{");
  local(ctx, "cmsis_nn_pool_params", "params",
    `{${tileInit(p.stride)}, ${tileInit(p.padding)}, ${actInit(p.activation.min, p.activation.max)}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", dimsInit(p.input));
  local(ctx, "cmsis_nn_dims", "filter_dims", dimsInit({ n: 1, h: p.window.h, w: p.window.w, c: 1 }));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(p.output));
  ctx.line(`const cmsis_nn_context nn_ctx = ${scratchCtx(ctx, p.operands.scratch)};`);
  callChecked(ctx, p.kernel, ["&nn_ctx", "&params", "&input_dims", ctx.ptr(p.operands.input), "&filter_dims", "&output_dims", ctx.ptr(node.output)]);
  ctx.line("}");
}

export const poolEmitters = [
  bind(QUANTIZED_MAX_POOL2D, emitPool),
  bind(QUANTIZED_AVG_POOL2D, emitPool),
];
