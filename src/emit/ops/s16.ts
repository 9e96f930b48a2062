// The 16x8 ops in C: arm_fully_connected_s16 (int64 bias), arm_elementwise_add_s16 / _mul_s16 (the offset
// arguments are 0: int16 tensors are symmetric), arm_nn_activation_s16 and arm_softmax_s16 with its two tables
// (graph constants made by the lowering). Same layouts as the simulator's bindings (src/runtime/ops/s16.ts).
import type { Node, TensorType } from "../../ir/graph.js";
import { rowMajor } from "../../ir/layout.js";
import type { AddS16Params, MulS16Params } from "../../kernels/index.js";
import {
  ACTIVATION_S16, QUANTIZED_ADD_S16, QUANTIZED_LINEAR_S16, QUANTIZED_MUL_S16, SOFTMAX_S16,
  type ActivationS16Params, type BinaryS16Params, type LinearS16Params, type SoftmaxS16Params,
} from "../../ops/cortex_m/s16.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { actInit, bind, callChecked, local } from "./common.js";

function emitLinear(p: LinearS16Params, node: Node, ctx: EmitContext): void {
  const v = p.operands;
  const y = node.output;
  const { rows, k, o } = p;
  const input = inLayout(ctx, v.input, rowMajor(v.input.type), "fc_s16");
  const out = outLayout(ctx, y, rowMajor(y.type), "fc_s16");
  ctx.line("{");
  // Offsets are 0 (symmetric int16; the kernel ignores them).
  local(ctx, "cmsis_nn_fc_params", "params", `{0, 0, 0, ${actInit(p.activation.min, p.activation.max)}}`);
  local(ctx, "cmsis_nn_per_tensor_quant_params", "quant", `{${p.multiplier}, ${p.shift}}`);
  local(ctx, "cmsis_nn_dims", "input_dims", `{${rows}, 1, 1, ${k}}`);
  local(ctx, "cmsis_nn_dims", "filter_dims", `{${k}, 1, 1, ${o}}`);
  local(ctx, "cmsis_nn_dims", "bias_dims", `{1, 1, 1, ${o}}`);
  local(ctx, "cmsis_nn_dims", "output_dims", `{${rows}, 1, 1, ${o}}`);
  ctx.line("const cmsis_nn_context nn_ctx = {NULL, 0};");
  callChecked(ctx, "arm_fully_connected_s16", ["&nn_ctx", "&params", "&quant", "&input_dims", input, "&filter_dims",
    ctx.ptr(v.weight), "&bias_dims", v.bias ? ctx.ptr(v.bias) : "NULL", "&output_dims", out.ptr]);
  ctx.line("}");
  out.finish();
}

/** arm_elementwise_<op>_s16(in1, in2, <input params>, out, 0, out_mult, out_shift, act_min, act_max, size). */
function binary<K extends { outMult: number; outShift: number; outActivationMin: number; outActivationMax: number }>(
  fn: string, tag: string, inputArgs: (k: K) => number[]) {
  return (p: BinaryS16Params<K>, node: Node, ctx: EmitContext): void => {
    const y = node.output;
    const a = inLayout(ctx, p.operands.a, y.type, `${tag}_a`);
    const b = inLayout(ctx, p.operands.b, y.type, `${tag}_b`);
    const k = p.kernel;
    callChecked(ctx, fn, [
      a, b, ...inputArgs(k).map(cInt),
      ctx.ptr(y), "0", ...[k.outMult, k.outShift, k.outActivationMin, k.outActivationMax].map(cInt), String(p.size),
    ]);
  };
}

function emitActivation(p: ActivationS16Params, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, p.operands.input, y.type, "act_s16");
  callChecked(ctx, "arm_nn_activation_s16", [x, ctx.ptr(y), String(p.size), cInt(p.leftShift), p.function === "sigmoid" ? "ARM_SIGMOID" : "ARM_TANH"]);
}

function emitSoftmax(p: SoftmaxS16Params, node: Node, ctx: EmitContext): void {
  const x = p.operands.input;
  const y = node.output;
  const r = x.rank;
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const input = inLayout(ctx, x, want, "softmax_s16");
  const out = outLayout(ctx, y, want, "softmax_s16");
  ctx.line("{");
  ctx.line(`const cmsis_nn_softmax_lut_s16 luts = {${ctx.ptr(p.operands.expLut)}, ${ctx.ptr(p.operands.oneByOneLut)}};`);
  callChecked(ctx, "arm_softmax_s16", [input, String(p.rows), String(p.rowSize), cInt(p.multiplier), cInt(p.shift), "&luts", out.ptr]);
  ctx.line("}");
  out.finish();
}

export const s16Emitters = [
  bind(QUANTIZED_LINEAR_S16, emitLinear),
  bind(QUANTIZED_ADD_S16, binary<AddS16Params>("arm_elementwise_add_s16", "add_s16",
    (k) => [0, k.input1Mult, k.input1Shift, 0, k.input2Mult, k.input2Shift, k.leftShift])),
  bind(QUANTIZED_MUL_S16, binary<MulS16Params>("arm_elementwise_mul_s16", "mul_s16", () => [0, 0])),
  bind(ACTIVATION_S16, emitActivation),
  bind(SOFTMAX_S16, emitSoftmax),
];
