// Elementwise int8 ops over the output's physical order: quantized_add / mul
// (arm_elementwise_*_s8), quantized_maximum / _minimum (arm_maximum_s8 /
// arm_minimum_s8), clamp and the LUT activation (support loops).
import type { Node } from "../../ir/graph.js";
import type { AddS8Params, MulS8Params } from "../../kernels/index.js";
import {
  CLAMP, QUANTIZED_ACTIVATION, QUANTIZED_ADD, QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM, QUANTIZED_MUL,
  type BinaryParams, type ClampParams, type LutParams, type MinMaxParams,
} from "../../ops/cortex_m/elementwise.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout } from "../moves.js";
import { bind, callChecked, dimsInit, local } from "./common.js";

/** The output half both arm_elementwise_*_s8 calls share. */
interface OutBlock { outOffset: number; outMult: number; outShift: number; outActivationMin: number; outActivationMax: number }

/** arm_elementwise_<op>_s8(in1, in2, <input params>, out, out_offset, out_mult, out_shift, act_min, act_max, size). */
function binary<K extends OutBlock>(fn: string, tag: string, inputArgs: (k: K) => number[]) {
  return (p: BinaryParams<K>, node: Node, ctx: EmitContext): void => {
    const y = node.output;
    const a = inLayout(ctx, p.operands.a, y.type, `${tag}_a`);
    const b = inLayout(ctx, p.operands.b, y.type, `${tag}_b`);
    const k = p.kernel;
    callChecked(ctx, fn, [
      a, b, ...inputArgs(k).map(cInt),
      ctx.ptr(y), ...[k.outOffset, k.outMult, k.outShift, k.outActivationMin, k.outActivationMax].map(cInt), String(p.size),
    ]);
  };
}

function emitClamp(p: ClampParams, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, p.operands.input, y.type, "clamp");
  if (p.dtype === "i16") {
    ctx.useSupport("int_ops");
    ctx.line(`clg_clamp_s16(${x}, ${ctx.ptr(y)}, ${p.size}, ${p.activation.min}, ${p.activation.max});`);
    return;
  }
  ctx.useSupport("support");
  ctx.line(`clg_clamp_s8(${x}, ${ctx.ptr(y)}, ${p.size}, ${p.activation.min}, ${p.activation.max});`);
}

function emitLut(p: LutParams, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, p.operands.input, y.type, "lut");
  ctx.useSupport("support");
  ctx.line(`clg_lut_s8(${x}, ${ctx.ptr(y)}, ${p.size}, ${ctx.ptr(p.operands.table)});`);
}

function emitMinMax(p: MinMaxParams, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const a = inLayout(ctx, p.operands.a, y.type, "minmax_a");
  const b = p.operands.b.numel === 1 ? ctx.ptr(p.operands.b) : inLayout(ctx, p.operands.b, y.type, "minmax_b");
  ctx.line("{");
  local(ctx, "cmsis_nn_dims", "input_1_dims", dimsInit(p.input1));
  local(ctx, "cmsis_nn_dims", "input_2_dims", dimsInit(p.input2));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(p.output));
  ctx.line("const cmsis_nn_context nn_ctx = {NULL, 0};");
  callChecked(ctx, p.kernel, ["&nn_ctx", a, "&input_1_dims", b, "&input_2_dims", ctx.ptr(y), "&output_dims"]);
  ctx.line("}");
}

export const elementwiseEmitters = [
  bind(QUANTIZED_ADD, binary<AddS8Params>("arm_elementwise_add_s8", "add",
    (k) => [k.input1Offset, k.input1Mult, k.input1Shift, k.input2Offset, k.input2Mult, k.input2Shift, k.leftShift])),
  bind(QUANTIZED_MUL, binary<MulS8Params>("arm_elementwise_mul_s8", "mul", (k) => [k.input1Offset, k.input2Offset])),
  bind(CLAMP, emitClamp),
  bind(QUANTIZED_ACTIVATION, emitLut),
  bind(QUANTIZED_MAXIMUM, emitMinMax),
  bind(QUANTIZED_MINIMUM, emitMinMax),
];
