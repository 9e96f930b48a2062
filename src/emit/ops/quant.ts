// cortex_m.quantize_per_tensor / dequantize_per_tensor inside the program
// (the ones at the model's inputs/outputs are emitted by the project as the
// int8 / float API borders, from the same records). Same float32 arithmetic
// as the simulator.
import type { Node } from "../../ir/graph.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR, type DequantizeParams, type QuantizeParams } from "../../ops/cortex_m/quant.js";
import { hexFloat } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout } from "../moves.js";
import { bind } from "./common.js";

/** 1 / scale as the simulator computes it: f32(1 / f32(scale)). */
export function invScale(scale: number): number {
  return Math.fround(1 / Math.fround(scale));
}

export function quantizeCall(p: QuantizeParams, ctx: EmitContext, src: string, dst: string, n: number, wide = false): string {
  ctx.useSupport(wide ? "s16" : "support");
  return `clg_quantize_f32_${wide ? "s16" : "s8"}(${src}, ${dst}, ${n}, ${hexFloat(invScale(p.scale))}, ${p.zeroPoint}, ${p.qmin}, ${p.qmax});`;
}

export function dequantizeCall(p: DequantizeParams, ctx: EmitContext, src: string, dst: string, n: number, wide = false): string {
  ctx.useSupport(wide ? "s16" : "support");
  return `clg_dequantize_${wide ? "s16" : "s8"}_f32(${src}, ${dst}, ${n}, ${hexFloat(p.scale)}, ${p.zeroPoint});`;
}

function emitQuantize(p: QuantizeParams, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, p.operands.input, y.type, "quantize");
  ctx.line(quantizeCall(p, ctx, x, ctx.ptr(y), p.size, y.dtype === "i16"));
}

function emitDequantize(p: DequantizeParams, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, p.operands.input, y.type, "dequantize");
  ctx.line(dequantizeCall(p, ctx, x, ctx.ptr(y), p.size, p.operands.input.dtype === "i16"));
}

export const quantEmitters = [
  bind(QUANTIZE_PER_TENSOR, emitQuantize),
  bind(DEQUANTIZE_PER_TENSOR, emitDequantize),
];
