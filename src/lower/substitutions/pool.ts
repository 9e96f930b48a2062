import type { Graph, Node } from "../../ir/graph.js";
import { qparamsEq } from "../../ir/quant.js";
import { CHANNELS_LAST } from "../../ops/cortex_m/shapes.js";
import { avgpoolS8BufferSize } from "../../kernels/buffer_sizes.js";
import { matchQuantized, replacePattern } from "../match.js";
import type { LowerOptions } from "../options.js";
import { registerSubstitution } from "./registry.js";
import { clampTails, foldTail } from "./tails.js";
import { AVG_POOL2D, MAX_POOL2D } from "../../ops/pool/pools.js";
import { CLONE_DIM_ORDER } from "../../ops/layout/clone_dim_order.js";

/**
 * Quantized 2-D max / average pooling → cortex_m pools (arm_max_pool_s8,
 * arm_avgpool_s8), wrapped to channels-last like conv2d. Neither kernel
 * requantizes, so input and output must share their parameters.
 */
function lowerPool(g: Graph, node: Node, opts: LowerOptions): string | null {
  const isMax = node.op === MAX_POOL2D.name;
  const m = matchQuantized(g, node, [0], isMax ? clampTails() : []);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  if (x.value.rank !== 4) return "only 4-D pooling is lowered";
  const k = node.attrs.kernel_size as number[];
  const dil = (node.attrs.dilation as number[] | undefined) ?? [1, 1];
  if (dil.some((d) => d !== 1)) return "dilated pooling is not lowered";
  if (node.attrs.ceil_mode) return "ceil_mode pooling is not lowered";
  const padding = node.attrs.padding as number[];
  if (node.attrs.padding_end && (node.attrs.padding_end as number[]).some((p, i) => p !== padding[i])) return "asymmetric pool padding is not lowered";
  if (!isMax && node.attrs.count_include_pad && padding.some((p) => p > 0)) return "avg_pool2d with count_include_pad and padding is not lowered";
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  if (!qparamsEq({ ...x.q, qmin: m.outQ.qmin, qmax: m.outQ.qmax }, m.outQ)) return "pool input and output quantization differ (the kernel does not requantize)";
  let x4 = x.value;
  if (x4.shape[1]! > 1 && x4.type.dimOrder.join() !== CHANNELS_LAST.join()) {
    x4 = g.op(CLONE_DIM_ORDER.name, [x4], { dim_order: CHANNELS_LAST }, { before: node, name: `${node.name}_in_nhwc` });
    x4.type.qparams = x.q;
  }
  const [n, c, h, w] = x4.shape as [number, number, number, number];
  const [, , ho, wo] = node.output.shape as [number, number, number, number];
  const attrs = {
    kernel_size: k, stride: node.attrs.stride as number[], padding,
    input_dims: [n, h, w, c], output_dims: [n, ho, wo, c],
    activation_min: folded.activationMin, activation_max: folded.activationMax,
  };
  let y;
  if (isMax) {
    y = g.op("cortex_m.quantized_max_pool2d", [x4], attrs, { before: node, name: node.name });
  } else {
    const bytes = avgpoolS8BufferSize(opts.targetClass, node.output.shape[3]!, x4.shape[1]!);
    const scratch = g.op("cortex_m.scratch", [], { bytes }, { before: node, name: `${node.name}_scratch` });
    y = g.op("cortex_m.quantized_avg_pool2d", [x4, scratch], attrs, { before: node, name: node.name });
  }
  y.type.qparams = m.outQ;
  const out = g.op(CLONE_DIM_ORDER.name, [y], { dim_order: [0, 1, 2, 3] }, { before: node, name: `${node.name}_out_nchw` });
  replacePattern(g, m, out);
  return null;
}

registerSubstitution(MAX_POOL2D, lowerPool);
registerSubstitution(AVG_POOL2D, lowerPool);
