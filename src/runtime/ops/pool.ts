// cortex_m.quantized_max_pool2d / quantized_avg_pool2d → arm_max_pool_s8 /
// arm_avgpool_s8 on NHWC bytes; neither requantizes.
import type { Node } from "../../ir/graph.js";
import { avgpoolS8, avgpoolS8Ref, maxPoolS8, maxPoolS8Ref, Status, STATUS_NAMES, type Dims, type PoolParams } from "../../kernels/index.js";
import { windowOut } from "../../ops/cortex_m/shapes.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { callDims, nhwcDims, numAttr, pairAttr, scratchCtx } from "./common.js";

function preparePool(node: Node, ctx: PrepareContext, max: boolean): Step {
  const x = node.input(0);
  const y = node.output;
  const inDims = callDims(ctx, node, "input_dims", x);
  if (!node.attrs.output_dims) nhwcDims(ctx, node, y);
  const k = pairAttr(node, "kernel_size", ctx);
  const stride = pairAttr(node, "stride", ctx);
  const padding = pairAttr(node, "padding", ctx);
  const padEnd = node.attrs.padding_end ? pairAttr(node, "padding_end", ctx) : padding;
  const outDims: Dims = {
    n: inDims.n,
    h: windowOut(inDims.h, k.h, stride.h, padding.h, padEnd.h),
    w: windowOut(inDims.w, k.w, stride.w, padding.w, padEnd.w),
    c: inDims.c,
  };
  if (outDims.n * outDims.h * outDims.w * outDims.c !== y.numel) ctx.fail(node, `kernel output does not fill output [${y.shape}]`);
  const p: PoolParams = {
    stride, padding,
    activation: { min: numAttr(node, "activation_min", ctx), max: numAttr(node, "activation_max", ctx) },
  };
  const input = ctx.i8(x);
  const output = ctx.i8(y);
  const name = max ? "arm_max_pool_s8" : "arm_avgpool_s8";
  const check = (st: number): void => {
    if (st !== Status.SUCCESS) ctx.fail(node, `${name} returned ${STATUS_NAMES[st] ?? st}`);
  };
  if (ctx.reference) {
    const ref = max ? maxPoolS8Ref : avgpoolS8Ref;
    return () => check(ref(p, inDims, input, k, outDims, output));
  }
  const c = scratchCtx(ctx, node.inputs[1] ?? null);
  const kernel = max ? maxPoolS8 : avgpoolS8;
  return () => check(kernel(c, p, inDims, input, k, outDims, output));
}

export const poolOps: Record<string, PrepareFn> = {
  "cortex_m.quantized_max_pool2d": (n, ctx) => preparePool(n, ctx, true),
  "cortex_m.quantized_avg_pool2d": (n, ctx) => preparePool(n, ctx, false),
};
