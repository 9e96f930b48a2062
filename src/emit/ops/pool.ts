// cortex_m.quantized_max_pool2d / quantized_avg_pool2d → arm_max_pool_s8 / arm_avgpool_s8.
import type { Node } from "../../ir/graph.js";
import { windowOut } from "../../ops/cortex_m/shapes.js";
import type { EmitContext } from "../context.js";
import { actInit, callChecked, callDims, dimsInit, local, nhwc, num, pair, scratchCtx, tileInit, type EmitFn } from "./common.js";

function emitPool(node: Node, ctx: EmitContext, max: boolean): void {
  const x = node.input(0);
  const y = node.output;
  const inDims = callDims(node, "input_dims", x, ctx);
  if (!node.attrs.output_dims) nhwc(node, y, ctx);
  const k = pair(node, "kernel_size", ctx);
  const stride = pair(node, "stride", ctx);
  const padding = pair(node, "padding", ctx);
  const padEnd = node.attrs.padding_end ? pair(node, "padding_end", ctx) : padding;
  const outDims = {
    n: inDims.n,
    h: windowOut(inDims.h, k.h, stride.h, padding.h, padEnd.h),
    w: windowOut(inDims.w, k.w, stride.w, padding.w, padEnd.w),
    c: inDims.c,
  };
  if (outDims.n * outDims.h * outDims.w * outDims.c !== y.numel) ctx.fail(node, `kernel output does not fill [${y.shape}]`);
  ctx.line("{");
  local(ctx, "cmsis_nn_pool_params", "params",
    `{${tileInit(stride)}, ${tileInit(padding)}, ${actInit(num(node, "activation_min", ctx), num(node, "activation_max", ctx))}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", dimsInit(inDims));
  local(ctx, "cmsis_nn_dims", "filter_dims", dimsInit({ n: 1, h: k.h, w: k.w, c: 1 }));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(outDims));
  ctx.line(`const cmsis_nn_context nn_ctx = ${scratchCtx(ctx, max ? null : (node.inputs[1] ?? null))};`);
  callChecked(ctx, max ? "arm_max_pool_s8" : "arm_avgpool_s8",
    ["&nn_ctx", "&params", "&input_dims", ctx.ptr(x), "&filter_dims", "&output_dims", ctx.ptr(y)]);
  ctx.line("}");
}

export const poolEmitters: Record<string, EmitFn> = {
  "cortex_m.quantized_max_pool2d": (n, ctx) => emitPool(n, ctx, true),
  "cortex_m.quantized_avg_pool2d": (n, ctx) => emitPool(n, ctx, false),
};
