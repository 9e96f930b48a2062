// cortex_m.quantized_conv2d / quantized_depthwise_conv2d → the CMSIS-NN
// wrapper calls (arm_convolve_wrapper_s8, arm_depthwise_conv_wrapper_s8),
// arm_convolve_s8 when the lowering chose it, or their plain reference twins.
// Activations are NHWC bytes of NCHW-logical values; the spec's ConvParams
// holds every decoded rule.
import type { Node } from "../../ir/graph.js";
import {
  transposeConvS8Ref, transposeConvWrapperS8,
  convolveS16, convolveS8, convolveS8Ref, convolveWrapperS8, depthwiseConvS8Ref, depthwiseConvWrapperS16, depthwiseConvWrapperS8, type DwConvParams,
} from "../../kernels/index.js";
import { QUANTIZED_CONV2D, QUANTIZED_DEPTHWISE_CONV2D, type ConvParams } from "../../ops/cortex_m/conv.js";
import { QUANTIZED_TRANSPOSE_CONV2D, type TransposeConvParams } from "../../ops/cortex_m/transpose_conv.js";
import type { PrepareContext, Step } from "../context.js";
import { bind, checker, scratchCtx } from "./common.js";

/** The 16x8 convs: int16 activations, the int64 bias (held as float64, exact) as BigInt64. */
function prepareConvS16(p: ConvParams, node: Node, ctx: PrepareContext): Step {
  const v = p.operands;
  const params: DwConvParams = {
    inputOffset: 0, outputOffset: 0, stride: p.stride, padding: p.padding, dilation: p.dilation, activation: p.activation, chMult: p.chMult,
  };
  const quant = { multiplier: ctx.i32(v.multipliers), shift: ctx.i32(v.shifts) };
  const b64 = v.bias ? BigInt64Array.from(ctx.view(v.bias) as Float64Array, (x) => BigInt(x)) : null;
  const bias = p.bias === "zeros" ? new BigInt64Array(p.cout) : b64;
  const biasDims = { n: 1, h: 1, w: 1, c: p.cout };
  const input = ctx.view(v.input) as Int16Array;
  const filter = ctx.i8(v.weight);
  const output = ctx.view(node.output) as Int16Array;
  const check = checker(node, ctx, p.kernel);
  const c = scratchCtx(ctx, v.scratch);
  if (p.depthwise) return () => check(depthwiseConvWrapperS16(c, params, quant, p.input, input, p.filter, filter, biasDims, bias, p.output, output));
  const bd = { data: bias, isInt32Bias: false };
  return () => check(convolveS16(c, params, quant, p.input, input, p.filter, filter, biasDims, bd, p.output, output));
}

function prepareConv(p: ConvParams, node: Node, ctx: PrepareContext): Step {
  if (p.s16) return prepareConvS16(p, node, ctx);
  const v = p.operands;
  const params: DwConvParams = {
    inputOffset: p.inputOffset, outputOffset: p.outputOffset,
    stride: p.stride, padding: p.padding, dilation: p.dilation,
    activation: p.activation, chMult: p.chMult,
  };
  const quant = { multiplier: ctx.i32(v.multipliers), shift: ctx.i32(v.shifts) };
  // The same bias the C passes: the operand, cout zeros (per-group kernels), or NULL.
  const bias = p.bias === "zeros" ? new Int32Array(p.cout) : ctx.i32OrNull(v.bias);
  const biasDims = { n: 1, h: 1, w: 1, c: p.cout };
  const input = ctx.i8(v.input);
  const filter = ctx.i8(v.weight);
  const output = ctx.i8(node.output);
  const check = checker(node, ctx, p.kernel);
  if (ctx.reference) {
    if (p.depthwise) return () => check(depthwiseConvS8Ref(params, quant, p.input, input, p.filter, filter, bias, p.output, output));
    return () => check(convolveS8Ref(params, quant, p.input, input, p.filter, filter, bias, null, p.output, output));
  }
  const c = scratchCtx(ctx, v.scratch);
  const opts = { target: p.targetClass };
  switch (p.kernel) {
    case "arm_depthwise_conv_wrapper_s8":
      return () => check(depthwiseConvWrapperS8(c, params, quant, p.input, input, p.filter, filter, biasDims, bias, p.output, output, opts));
    case "arm_convolve_s8":
      return () => check(convolveS8(c, params, quant, p.input, input, p.filter, filter, biasDims, bias, null, p.output, output));
    case "arm_convolve_wrapper_s8":
      return () => check(convolveWrapperS8(c, params, quant, p.input, input, p.filter, filter, biasDims, bias, p.output, output, opts));
    default:
      throw new Error(`${node.name}: ${p.kernel} is not an int8 kernel`);
  }
}

/** arm_transpose_conv_wrapper_s8 with the two buffers the lowering sized (the reference loops when asked). */
function prepareTransposeConv(p: TransposeConvParams, node: Node, ctx: PrepareContext): Step {
  const v = p.operands;
  const params = {
    inputOffset: p.inputOffset, outputOffset: p.outputOffset,
    stride: p.stride, padding: p.padding, dilation: { h: 1, w: 1 }, activation: p.activation,
  };
  const quant = { multiplier: ctx.i32(v.multipliers), shift: ctx.i32(v.shifts) };
  const bias = ctx.i32OrNull(v.bias);
  const biasDims = { n: 1, h: 1, w: 1, c: p.cout };
  const input = ctx.i8(v.input);
  const filter = ctx.i8(v.weight);
  const output = ctx.i8(node.output);
  const kernel = "arm_transpose_conv_wrapper_s8";
  const check = checker(node, ctx, kernel);
  if (ctx.reference) return () => check(transposeConvS8Ref(params, quant, p.input, input, p.filter, filter, bias, p.output, output));
  const c = scratchCtx(ctx, v.scratch);
  const rc = scratchCtx(ctx, v.reverseScratch);
  return () => check(transposeConvWrapperS8(c, rc, params, quant, p.input, input, p.filter, filter, biasDims, bias, p.output, output));
}

export const convBindings = [
  bind(QUANTIZED_TRANSPOSE_CONV2D, prepareTransposeConv),
  bind(QUANTIZED_CONV2D, prepareConv),
  bind(QUANTIZED_DEPTHWISE_CONV2D, prepareConv),
];
