// cortex_m.quantized_conv2d / quantized_depthwise_conv2d → arm_convolve_wrapper_s8 /
// arm_depthwise_conv_wrapper_s8 over NHWC bytes (as the simulator's conv step).
import type { Node } from "../../ir/graph.js";
import { windowOut } from "../../ops/cortex_m/shapes.js";
import type { EmitContext } from "../context.js";
import { actInit, callChecked, callDims, dimsInit, local, nhwc, num, pair, scratchCtx, tileInit, type EmitFn } from "./common.js";

// The MVE depthwise kernel may read up to 3 elements past bias, multiplier,
// shift and filter when C % 4 != 0: those arrays get 4 zero elements more.
const DW_OVERREAD_PAD = 4;

function emitConv(node: Node, ctx: EmitContext, depthwise: boolean): void {
  const x = node.input(0);
  const w = node.input(1);
  const y = node.output;
  const inDims = callDims(node, "input_dims", x, ctx);
  if (!node.attrs.output_dims) nhwc(node, y, ctx);
  const [wo, kh, kw, wc] = w.shape as [number, number, number, number];
  const cout = depthwise ? wc : wo;
  const filterDims = depthwise ? { n: 1, h: kh, w: kw, c: wc } : { n: wo, h: kh, w: kw, c: wc };
  const stride = pair(node, "stride", ctx);
  const padding = pair(node, "padding", ctx);
  const padEnd = node.attrs.padding_end ? pair(node, "padding_end", ctx) : padding;
  const dilation = pair(node, "dilation", ctx, [1, 1]);
  const outDims = node.attrs.output_dims ? callDims(node, "output_dims", y, ctx) : {
    n: inDims.n,
    h: windowOut(inDims.h, kh, stride.h, padding.h, padEnd.h, dilation.h),
    w: windowOut(inDims.w, kw, stride.w, padding.w, padEnd.w, dilation.w),
    c: cout,
  };
  if (outDims.n * outDims.h * outDims.w * outDims.c !== y.numel) ctx.fail(node, `kernel output does not fill [${y.shape}]`);
  const act = actInit(num(node, "activation_min", ctx), num(node, "activation_max", ctx));
  const pad = depthwise ? DW_OVERREAD_PAD : 0;
  const grouped = !depthwise && wc !== inDims.c;
  let bias = node.inputs[2] ? ctx.ptr(node.inputs[2], { pad }) : "NULL";
  if (bias === "NULL" && (depthwise || grouped)) {
    // CMSIS-NN indexes the bias per group: a NULL bias would be advanced and read.
    bias = ctx.constArray("int32_t", "zero_bias", new Array<number>(cout + DW_OVERREAD_PAD).fill(0));
  }
  const mult = ctx.ptr(node.input(3), { pad });
  const shift = ctx.ptr(node.input(4), { pad });
  const filter = ctx.ptr(w, { pad });
  ctx.line("{");
  if (depthwise) {
    const chMult = (node.attrs.depth_multiplier as number | undefined) ?? cout / inDims.c;
    local(ctx, "cmsis_nn_dw_conv_params", "params",
      `{${num(node, "input_offset", ctx)}, ${num(node, "output_offset", ctx)}, ${chMult}, ${tileInit(stride)}, ${tileInit(padding)}, ${tileInit(dilation)}, ${act}}`);
  } else {
    local(ctx, "cmsis_nn_conv_params", "params",
      `{${num(node, "input_offset", ctx)}, ${num(node, "output_offset", ctx)}, ${tileInit(stride)}, ${tileInit(padding)}, ${tileInit(dilation)}, ${act}}`);
  }
  local(ctx, "cmsis_nn_per_channel_quant_params", "quant", `{(int32_t *)${mult}, (int32_t *)${shift}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", dimsInit(inDims));
  local(ctx, "cmsis_nn_dims", "filter_dims", dimsInit(filterDims));
  local(ctx, "cmsis_nn_dims", "bias_dims", dimsInit({ n: 1, h: 1, w: 1, c: cout }));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(outDims));
  ctx.line(`const cmsis_nn_context nn_ctx = ${scratchCtx(ctx, node.inputs[5] ?? null)};`);
  // direct_call: the lowering chose arm_convolve_s8 over the wrapper's own pick (no upscaling).
  const direct = !depthwise && node.attrs.direct_call === true;
  const fn = depthwise ? "arm_depthwise_conv_wrapper_s8" : direct ? "arm_convolve_s8" : "arm_convolve_wrapper_s8";
  callChecked(ctx, fn, ["&nn_ctx", "&params", "&quant", "&input_dims", ctx.ptr(x), "&filter_dims", filter,
    "&bias_dims", bias, ...(direct ? ["NULL"] : []), "&output_dims", ctx.ptr(y)]);
  ctx.line("}");
}

export const convEmitters: Record<string, EmitFn> = {
  "cortex_m.quantized_conv2d": (n, ctx) => emitConv(n, ctx, false),
  "cortex_m.quantized_depthwise_conv2d": (n, ctx) => emitConv(n, ctx, true),
};
