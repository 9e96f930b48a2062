// cortex_m.quantized_conv2d / quantized_depthwise_conv2d → the CMSIS-NN
// wrapper calls (arm_convolve_wrapper_s8, arm_depthwise_conv_wrapper_s8), or
// their plain reference twins. Activations are NHWC bytes of NCHW-logical values.
import type { Node, Value } from "../../ir/graph.js";
import {
  convolveS8, convolveS8Ref, convolveWrapperS8, depthwiseConvS8Ref, depthwiseConvWrapperS8, Status, STATUS_NAMES,
  type Ctx, type Dims, type DwConvParams, type TargetClass,
} from "../../kernels/index.js";
import { windowOut } from "../../ops/cortex_m/shapes.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { callDims, nhwcDims, numAttr, pairAttr, scratchCtx } from "./common.js";

const TARGETS: readonly string[] = ["scalar", "dsp", "mve"];

function prepareConv(node: Node, ctx: PrepareContext, depthwise: boolean): Step {
  const x = node.input(0);
  const w = node.input(1);
  const y = node.output;
  const inDims = callDims(ctx, node, "input_dims", x);
  const [, kh, kw, wc] = w.shape as [number, number, number, number];
  const filterDims: Dims = depthwise ? { n: 1, h: kh, w: kw, c: wc } : { n: w.shape[0]!, h: kh, w: kw, c: wc };
  const stride = pairAttr(node, "stride", ctx);
  const padding = pairAttr(node, "padding", ctx);
  const padEnd = node.attrs.padding_end ? pairAttr(node, "padding_end", ctx) : padding;
  const dilation = node.attrs.dilation ? pairAttr(node, "dilation", ctx) : { h: 1, w: 1 };
  const cout = depthwise ? wc : w.shape[0]!;
  // The kernel derives its own output extent; a reinterpreting `output_shape`
  // only renames the same NHWC bytes.
  const outDims: Dims = node.attrs.output_dims ? callDims(ctx, node, "output_dims", y) : {
    n: inDims.n,
    h: windowOut(inDims.h, kh, stride.h, padding.h, padEnd.h, dilation.h),
    w: windowOut(inDims.w, kw, stride.w, padding.w, padEnd.w, dilation.w),
    c: cout,
  };
  if (outDims.n * outDims.h * outDims.w * outDims.c !== y.numel) {
    ctx.fail(node, `kernel output ${outDims.n}x${outDims.h}x${outDims.w}x${outDims.c} does not fill output [${y.shape}]`);
  }
  if (!node.attrs.output_dims) nhwcDims(ctx, node, y); // checks the output holds NHWC bytes
  const params: DwConvParams = {
    inputOffset: numAttr(node, "input_offset", ctx),
    outputOffset: numAttr(node, "output_offset", ctx),
    stride, padding, dilation,
    activation: { min: numAttr(node, "activation_min", ctx), max: numAttr(node, "activation_max", ctx) },
    chMult: depthwise ? ((node.attrs.depth_multiplier as number | undefined) ?? cout / inDims.c) : 1,
  };
  const quant = { multiplier: ctx.i32(node.input(3)), shift: ctx.i32(node.input(4)) };
  if (quant.multiplier.length !== cout || quant.shift.length !== cout) ctx.fail(node, `needs ${cout} multipliers and shifts`);
  const bias = ctx.i32OrNull(node.inputs[2] ?? null);
  const biasDims: Dims = { n: 1, h: 1, w: 1, c: cout };
  const input = ctx.i8(x);
  const filter = ctx.i8(w);
  const output = ctx.i8(y);
  const check = (st: number): void => {
    if (st !== Status.SUCCESS) ctx.fail(node, `${depthwise ? "arm_depthwise_conv_wrapper_s8" : "arm_convolve_wrapper_s8"} returned ${STATUS_NAMES[st] ?? st}`);
  };
  if (ctx.reference) {
    if (depthwise) return () => check(depthwiseConvS8Ref(params, quant, inDims, input, filterDims, filter, bias, outDims, output));
    return () => check(convolveS8Ref(params, quant, inDims, input, filterDims, filter, bias, null, outDims, output));
  }
  const scratch: Value | null = node.inputs[5] ?? null;
  const c: Ctx = scratchCtx(ctx, scratch);
  const tc = String(node.attrs.target_class ?? "scalar");
  const opts = { target: (TARGETS.includes(tc) ? tc : "scalar") as TargetClass };
  if (depthwise) return () => check(depthwiseConvWrapperS8(c, params, quant, inDims, input, filterDims, filter, biasDims, bias, outDims, output, opts));
  // The lowering chose arm_convolve_s8 over the wrapper's own pick (layout_choice.ts).
  if (node.attrs.direct_call) return () => check(convolveS8(c, params, quant, inDims, input, filterDims, filter, biasDims, bias, null, outDims, output));
  return () => check(convolveWrapperS8(c, params, quant, inDims, input, filterDims, filter, biasDims, bias, outDims, output, opts));
}

export const convOps: Record<string, PrepareFn> = {
  "cortex_m.quantized_conv2d": (n, ctx) => prepareConv(n, ctx, false),
  "cortex_m.quantized_depthwise_conv2d": (n, ctx) => prepareConv(n, ctx, true),
};
