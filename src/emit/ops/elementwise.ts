// Elementwise int8 ops over the output's physical order: quantized_add / mul
// (arm_elementwise_*_s8), clamp and the LUT activation (support loops).
import type { Node } from "../../ir/graph.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout } from "../moves.js";
import { callChecked, num, type EmitFn } from "./common.js";

function emitAdd(node: Node, ctx: EmitContext): void {
  const y = node.output;
  const a = inLayout(ctx, node.input(0), y.type, "add_a");
  const b = inLayout(ctx, node.input(1), y.type, "add_b");
  const n = (k: string): string => cInt(num(node, k, ctx));
  callChecked(ctx, "arm_elementwise_add_s8", [
    a, b, n("input1_offset"), n("input1_multiplier"), n("input1_shift"),
    n("input2_offset"), n("input2_multiplier"), n("input2_shift"), n("left_shift"),
    ctx.ptr(y), n("output_offset"), n("output_multiplier"), n("output_shift"),
    n("activation_min"), n("activation_max"), String(y.numel),
  ]);
}

function emitMul(node: Node, ctx: EmitContext): void {
  const y = node.output;
  const a = inLayout(ctx, node.input(0), y.type, "mul_a");
  const b = inLayout(ctx, node.input(1), y.type, "mul_b");
  const n = (k: string): string => cInt(num(node, k, ctx));
  callChecked(ctx, "arm_elementwise_mul_s8", [
    a, b, n("input1_offset"), n("input2_offset"), ctx.ptr(y), n("output_offset"), n("output_multiplier"),
    n("output_shift"), n("activation_min"), n("activation_max"), String(y.numel),
  ]);
}

function emitClamp(node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, node.input(0), y.type, "clamp");
  ctx.useSupport("support");
  ctx.line(`clg_clamp_s8(${x}, ${ctx.ptr(y)}, ${y.numel}, ${num(node, "activation_min", ctx)}, ${num(node, "activation_max", ctx)});`);
}

function emitLut(node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, node.input(0), y.type, "lut");
  const lut = node.input(1);
  if (lut.numel !== 256) ctx.fail(node, `the table must hold 256 entries, has ${lut.numel}`);
  ctx.useSupport("support");
  ctx.line(`clg_lut_s8(${x}, ${ctx.ptr(y)}, ${y.numel}, ${ctx.ptr(lut)});`);
}

export const elementwiseEmitters: Record<string, EmitFn> = {
  "cortex_m.quantized_add": emitAdd,
  "cortex_m.quantized_mul": emitMul,
  "cortex_m.clamp": emitClamp,
  "cortex_m.quantized_activation": emitLut,
};
