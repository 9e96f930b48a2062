// cortex_m.quantized_max_pool2d / quantized_avg_pool2d → arm_max_pool_s8 /
// arm_avgpool_s8 on NHWC bytes. Neither requantizes (input and output share
// their parameters). Operands: [input, scratch | null (average only)].
import type { Node, Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { Activation, Dims, Tile } from "../../kernels/types.js";
import { activationAttr, callDims, fail, operand, optionalOperand, tileAttr, windowAttrs, windowOutputDims, type Window } from "./decode.js";
import { need, nums, windowOutput } from "./shapes.js";

export interface PoolParams extends Window {
  max: boolean;
  kernel: "arm_max_pool_s8" | "arm_avgpool_s8";
  /** Window extent (kernel_size). */
  window: Tile;
  input: Dims;
  output: Dims;
  activation: Activation;
  operands: { input: Value; scratch: Value | null };
}

function decodePool(node: Node, max: boolean): PoolParams {
  const x = operand(node, 0, "input", "i8");
  const input = callDims(node, "input_dims", x);
  const window = tileAttr(node, "kernel_size");
  const win = windowAttrs(node);
  if (win.dilation.h !== 1 || win.dilation.w !== 1) fail(node, "pooling kernels take no dilation");
  const output = windowOutputDims(node, input, window, win, input.c);
  // arm_max_pool_s8 takes no buffer; the average pool's is a cortex_m.scratch slice.
  const scratch = max ? null : optionalOperand(node, 1, "scratch", "u8");
  return {
    max, kernel: max ? "arm_max_pool_s8" : "arm_avgpool_s8",
    window, input, output, ...win,
    activation: activationAttr(node),
    operands: { input: x, scratch },
  };
}

function poolSpec(name: string, max: boolean) {
  return defineOp<PoolParams>({
    name,
    // A max pool only selects input bytes (quantized graphs give it its input's parameters).
    dataMovement: max,
    // The cmsis_nn_dims are attributes, so values may be redeclared with any shape holding the same bytes.
    traits: { reinterpretable: true },
    infer: ([x], a) => {
      const t = need(x, "x");
      const k = nums(a.kernel_size, "kernel_size");
      return [windowOutput(t, t.shape[1]!, k[0]!, k[1]!, a)];
    },
    decode: (node) => decodePool(node, max),
  });
}

export const QUANTIZED_AVG_POOL2D = poolSpec("cortex_m.quantized_avg_pool2d", false);
export const QUANTIZED_MAX_POOL2D = poolSpec("cortex_m.quantized_max_pool2d", true);
