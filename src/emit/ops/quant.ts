// cortex_m.quantize_per_tensor / dequantize_per_tensor inside the program
// (the ones at the model's inputs/outputs are emitted by the project as the
// int8 / float API borders). Same float32 arithmetic as the simulator.
import type { Node } from "../../ir/graph.js";
import { hexFloat } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout } from "../moves.js";
import { num, type EmitFn } from "./common.js";

/** 1 / scale as the simulator computes it: f32(1 / f32(scale)). */
export function invScale(scale: number): number {
  return Math.fround(1 / Math.fround(scale));
}

export function quantizeCall(node: Node, ctx: EmitContext, src: string, dst: string, n: number): string {
  const qmin = (node.attrs.quant_min as number | undefined) ?? -128;
  const qmax = (node.attrs.quant_max as number | undefined) ?? 127;
  ctx.useSupport("support");
  return `clg_quantize_f32_s8(${src}, ${dst}, ${n}, ${hexFloat(invScale(num(node, "scale", ctx)))}, ${num(node, "zero_point", ctx)}, ${qmin}, ${qmax});`;
}

export function dequantizeCall(node: Node, ctx: EmitContext, src: string, dst: string, n: number): string {
  ctx.useSupport("support");
  return `clg_dequantize_s8_f32(${src}, ${dst}, ${n}, ${hexFloat(num(node, "scale", ctx))}, ${num(node, "zero_point", ctx)});`;
}

export const quantEmitters: Record<string, EmitFn> = {
  "cortex_m.quantize_per_tensor": (node, ctx) => {
    const y = node.output;
    const x = inLayout(ctx, node.input(0), y.type, "quantize");
    ctx.line(quantizeCall(node, ctx, x, ctx.ptr(y), y.numel));
  },
  "cortex_m.dequantize_per_tensor": (node, ctx) => {
    const y = node.output;
    const x = inLayout(ctx, node.input(0), y.type, "dequantize");
    ctx.line(dequantizeCall(node, ctx, x, ctx.ptr(y), y.numel));
  },
};
