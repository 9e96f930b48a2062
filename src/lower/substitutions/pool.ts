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
import { MEAN } from "../../ops/reduce/reduce.js";
import { QUANTIZED_AVG_POOL2D, QUANTIZED_MAX_POOL2D } from "../../ops/cortex_m/pool.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import { VIEW_COPY } from "../../ops/shape/reshape.js";

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
    y = g.op(QUANTIZED_MAX_POOL2D.name, [x4], attrs, { before: node, name: node.name });
  } else {
    const bytes = avgpoolS8BufferSize(opts.targetClass, node.output.shape[3]!, x4.shape[1]!);
    const scratch = g.op(SCRATCH.name, [], { bytes }, { before: node, name: `${node.name}_scratch` });
    y = g.op(QUANTIZED_AVG_POOL2D.name, [x4, scratch], attrs, { before: node, name: node.name });
  }
  y.type.qparams = m.outQ;
  const out = g.op(CLONE_DIM_ORDER.name, [y], { dim_order: [0, 1, 2, 3] }, { before: node, name: `${node.name}_out_nchw` });
  replacePattern(g, m, out);
  return null;
}

/**
 * Quantized aten.mean over trailing dims (ONNX GlobalAveragePool, ReduceMean over
 * the spatial axes, torch's x.mean((2, 3))) → cortex_m.quantized_avg_pool2d whose
 * window is the whole reduced extent: the input seen as [N, C, H, W] with the
 * reduced dims flattened into H·W and the kept ones after the first into C.
 * arm_avgpool_s8 does not requantize; the quantizer gives mean its input's
 * parameters (a mean stays inside its input's range), which is checked here.
 */
function lowerMean(g: Graph, node: Node, opts: LowerOptions): string | null {
  const m = matchQuantized(g, node, [0]);
  if (!m) return "not a quantized int8 pattern";
  const x = m.inputs[0]!;
  if (!qparamsEq({ ...x.q, qmin: m.outQ.qmin, qmax: m.outQ.qmax }, m.outQ)) return "mean input and output quantization differ (the kernel does not requantize)";
  const shape = x.value.shape;
  const r = shape.length;
  const given = ((node.attrs.dims as number[] | undefined) ?? []).map((d) => (d < 0 ? d + r : d));
  const dims = given.length ? [...new Set(given)].sort((a, b) => a - b) : shape.map((_, i) => i);
  const k = dims[0]!;
  if (dims.some((d, i) => d !== k + i) || dims[dims.length - 1] !== r - 1) return `mean over dims [${given}] of rank ${r} is not lowered (trailing dims only)`;
  const prod = (a: readonly number[]): number => a.reduce((p, d) => p * d, 1);
  const n = k >= 1 ? shape[0]! : 1;
  const c = prod(shape.slice(1, Math.max(k, 1)));
  const h = prod(shape.slice(k, r - 1));
  const w = shape[r - 1]!;
  let x4 = x.value;
  if (x4.shape.join() !== [n, c, h, w].join()) {
    x4 = g.op(VIEW_COPY.name, [x4], { size: [n, c, h, w] }, { before: node, name: `${node.name}_in_view` });
    x4.type.qparams = x.q;
  }
  if (c > 1 && x4.type.dimOrder.join() !== CHANNELS_LAST.join()) {
    x4 = g.op(CLONE_DIM_ORDER.name, [x4], { dim_order: CHANNELS_LAST }, { before: node, name: `${node.name}_in_nhwc` });
    x4.type.qparams = x.q;
  }
  const attrs = {
    kernel_size: [h, w], stride: [1, 1], padding: [0, 0],
    input_dims: [n, h, w, c], output_dims: [n, 1, 1, c],
    activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
  };
  const scratch = g.op(SCRATCH.name, [], { bytes: avgpoolS8BufferSize(opts.targetClass, 1, c) }, { before: node, name: `${node.name}_scratch` });
  let y = g.op(QUANTIZED_AVG_POOL2D.name, [x4, scratch], attrs, { before: node, name: node.name });
  y.type.qparams = m.outQ;
  y = g.op(CLONE_DIM_ORDER.name, [y], { dim_order: [0, 1, 2, 3] }, { before: node, name: `${node.name}_out_nchw` });
  if (y.shape.join() !== node.output.shape.join()) {
    y.type.qparams = m.outQ;
    y = g.op(VIEW_COPY.name, [y], { size: [...node.output.shape] }, { before: node, name: `${node.name}_out_view` });
  }
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(MAX_POOL2D, lowerPool);
registerSubstitution(AVG_POOL2D, lowerPool);
registerSubstitution(MEAN, lowerMean);
