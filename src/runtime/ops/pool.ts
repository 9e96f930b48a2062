// cortex_m.quantized_max_pool2d / quantized_avg_pool2d → arm_max_pool_s8 /
// arm_avgpool_s8 on NHWC bytes; neither requantizes.
import type { Node } from "../../ir/graph.js";
import { avgpoolS8, avgpoolS8Ref, maxPoolS8, maxPoolS8Ref, type PoolParams as KernelPoolParams } from "../../kernels/index.js";
import { QUANTIZED_AVG_POOL2D, QUANTIZED_MAX_POOL2D, type PoolParams } from "../../ops/cortex_m/pool.js";
import type { PrepareContext, Step } from "../context.js";
import { bind, checker, scratchCtx } from "./common.js";

function preparePool(p: PoolParams, node: Node, ctx: PrepareContext): Step {
  const params: KernelPoolParams = { stride: p.stride, padding: p.padding, activation: p.activation };
  const input = ctx.i8(p.operands.input);
  const output = ctx.i8(node.output);
  const check = checker(node, ctx, p.kernel);
  if (ctx.reference) {
    const ref = p.max ? maxPoolS8Ref : avgpoolS8Ref;
    return () => check(ref(params, p.input, input, p.window, p.output, output));
  }
  const c = scratchCtx(ctx, p.operands.scratch);
  const kernel = p.max ? maxPoolS8 : avgpoolS8;
  return () => check(kernel(c, params, p.input, input, p.window, p.output, output));
}

export const poolBindings = [
  bind(QUANTIZED_MAX_POOL2D, preparePool),
  bind(QUANTIZED_AVG_POOL2D, preparePool),
];
