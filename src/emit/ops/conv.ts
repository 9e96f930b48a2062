// cortex_m.quantized_conv2d / quantized_depthwise_conv2d → arm_convolve_wrapper_s8 /
// arm_convolve_s8 / arm_depthwise_conv_wrapper_s8 over NHWC bytes, from the
// spec's ConvParams (the record the simulator's conv step takes).
import type { Node } from "../../ir/graph.js";
import { QUANTIZED_CONV2D, QUANTIZED_DEPTHWISE_CONV2D, type ConvParams } from "../../ops/cortex_m/conv.js";
import { QUANTIZED_TRANSPOSE_CONV2D, type TransposeConvParams } from "../../ops/cortex_m/transpose_conv.js";
import type { EmitContext } from "../context.js";
import { actInit, bind, callChecked, dimsInit, local, scratchCtx, tileInit } from "./common.js";

// The MVE depthwise kernel may read up to 3 elements past bias, multiplier,
// shift and filter when C % 4 != 0: those arrays get 4 zero elements more.
const DW_OVERREAD_PAD = 4;

function emitConv(p: ConvParams, node: Node, ctx: EmitContext): void {
  const v = p.operands;
  const y = node.output;
  const act = actInit(p.activation.min, p.activation.max);
  const pad = p.depthwise ? DW_OVERREAD_PAD : 0;
  const bias = p.bias === "operand" ? ctx.ptr(v.bias!, { pad })
    : p.bias === "zeros" ? ctx.constArray(p.s16 ? "int64_t" : "int32_t", "zero_bias", new Array<number>(p.cout + DW_OVERREAD_PAD).fill(0))
    : "NULL";
  const mult = ctx.ptr(v.multipliers, { pad });
  const shift = ctx.ptr(v.shifts, { pad });
  const filter = ctx.ptr(v.weight, { pad });
  ctx.line("{");
  if (p.depthwise) {
    local(ctx, "cmsis_nn_dw_conv_params", "params",
      `{${p.inputOffset}, ${p.outputOffset}, ${p.chMult}, ${tileInit(p.stride)}, ${tileInit(p.padding)}, ${tileInit(p.dilation)}, ${act}}`);
  } else {
    local(ctx, "cmsis_nn_conv_params", "params",
      `{${p.inputOffset}, ${p.outputOffset}, ${tileInit(p.stride)}, ${tileInit(p.padding)}, ${tileInit(p.dilation)}, ${act}}`);
  }
  local(ctx, "cmsis_nn_per_channel_quant_params", "quant", `{(int32_t *)${mult}, (int32_t *)${shift}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", dimsInit(p.input));
  local(ctx, "cmsis_nn_dims", "filter_dims", dimsInit(p.filter));
  local(ctx, "cmsis_nn_dims", "bias_dims", dimsInit({ n: 1, h: 1, w: 1, c: p.cout }));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(p.output));
  ctx.line(`const cmsis_nn_context nn_ctx = ${scratchCtx(ctx, v.scratch)};`);
  // arm_convolve_wrapper_s16 takes its int64 bias through cmsis_nn_bias_data (the depthwise one a plain pointer).
  const s16Conv = p.kernel === "arm_convolve_wrapper_s16";
  if (s16Conv) ctx.line(`const cmsis_nn_bias_data bias_data = {${bias}, false};`);
  // arm_convolve_s8 takes an upscale-dims argument the wrappers do not (NULL: none).
  const direct = p.kernel === "arm_convolve_s8";
  callChecked(ctx, p.kernel, ["&nn_ctx", "&params", "&quant", "&input_dims", ctx.ptr(v.input), "&filter_dims", filter,
    "&bias_dims", s16Conv ? "&bias_data" : bias, ...(direct ? ["NULL"] : []), "&output_dims", ctx.ptr(y)]);
  ctx.line("}");
}

/**
 * arm_transpose_conv_wrapper_s8(ctx, reverse_conv_ctx, ...): padding_offsets
 * (the bottom/right padding) is unused by the s8 kernels, the output dims
 * carry the output extent; dilation must be 1.
 */
function emitTransposeConv(p: TransposeConvParams, node: Node, ctx: EmitContext): void {
  const v = p.operands;
  const act = actInit(p.activation.min, p.activation.max);
  const bias = v.bias ? ctx.ptr(v.bias) : "NULL";
  ctx.line("{");
  local(ctx, "cmsis_nn_transpose_conv_params", "params",
    `{${p.inputOffset}, ${p.outputOffset}, ${tileInit(p.stride)}, ${tileInit(p.padding)}, ${tileInit({ h: 0, w: 0 })}, ${tileInit({ h: 1, w: 1 })}, ${act}}`);
  local(ctx, "cmsis_nn_per_channel_quant_params", "quant", `{(int32_t *)${ctx.ptr(v.multipliers)}, (int32_t *)${ctx.ptr(v.shifts)}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", dimsInit(p.input));
  local(ctx, "cmsis_nn_dims", "filter_dims", dimsInit(p.filter));
  local(ctx, "cmsis_nn_dims", "bias_dims", dimsInit({ n: 1, h: 1, w: 1, c: p.cout }));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(p.output));
  ctx.line(`const cmsis_nn_context nn_ctx = ${scratchCtx(ctx, v.scratch)};`);
  ctx.line(`const cmsis_nn_context reverse_ctx = ${scratchCtx(ctx, v.reverseScratch)};`);
  callChecked(ctx, "arm_transpose_conv_wrapper_s8", ["&nn_ctx", "&reverse_ctx", "&params", "&quant", "&input_dims", ctx.ptr(v.input),
    "&filter_dims", ctx.ptr(v.weight), "&bias_dims", bias, "&output_dims", ctx.ptr(node.output)]);
  ctx.line("}");
}

export const convEmitters = [
  bind(QUANTIZED_TRANSPOSE_CONV2D, emitTransposeConv),
  bind(QUANTIZED_CONV2D, emitConv),
  bind(QUANTIZED_DEPTHWISE_CONV2D, emitConv),
];
