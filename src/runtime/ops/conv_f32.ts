// cortex_m.conv_f32 in the simulator: windowF32 (the twin of clg_window_f32, whose operations and order
// clg_conv4_f32 keeps) on the weights put back in OIHW order once, the input and output row-major.
import type { Node } from "../../ir/graph.js";
import { convWeightsFromBy4, windowF32 } from "../../kernels/float32/float_ops.js";
import { CONV_F32, type ConvF32Record } from "../../ops/cortex_m/conv_f32.js";
import type { PrepareContext, Step } from "../context.js";
import { bind } from "./common.js";
import { prepareFloatFallback } from "./float_fallback.js";

function prepareConvF32(p: ConvF32Record, node: Node, ctx: PrepareContext): Step {
  const g = p.geometry;
  const w = convWeightsFromBy4(p.operands.w.data!, g);
  const b = p.operands.b?.data ?? null;
  const shape = [...node.output.shape];
  return prepareFloatFallback(node, ctx, (inputs) => {
    const y = new Float32Array(node.output.numel);
    windowF32("CLG_WIN_CONV", inputs[0]!.data, w, b, y, g);
    return [{ dtype: "f32", shape, data: y }];
  });
}

export const convF32Bindings = [bind(CONV_F32, prepareConvF32)];
