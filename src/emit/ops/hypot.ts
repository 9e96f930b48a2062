// cortex_m.quantized_hypot in C: clg_hypot (csrc/codegen_support/clg_int_ops.c, no CMSIS-NN kernel) over the
// output's physical order, the operands relaid to it first — the simulator's binding (src/runtime/ops/hypot.ts).
import type { Node } from "../../ir/graph.js";
import { HYPOT_F32, QUANTIZED_HYPOT, type HypotF32Record, type HypotRecord } from "../../ops/cortex_m/hypot.js";
import { rowMajor } from "../../ir/layout.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { bind } from "./common.js";

function emitHypot(p: HypotRecord, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const a = inLayout(ctx, p.operands.a, y.type, "hypot_a");
  const b = inLayout(ctx, p.operands.b, y.type, "hypot_b");
  const k = p.kernel;
  ctx.useSupport("int_ops");
  const args = [a, b, p.inDtype === "i16" ? "1" : "0", ctx.ptr(y), p.outDtype === "i16" ? "1" : "0", String(p.size),
    ...[k.inputOffset, k.outputOffset, k.multiplier, k.shift, k.activationMin, k.activationMax].map(cInt)];
  ctx.line(`clg_hypot(${args.join(", ")});`);
}

/** cortex_m.hypot_f32: clg_hypot_f32 (clg_float.c) on row-major runs of its operands. */
function emitHypotF32(p: HypotF32Record, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const a = inLayout(ctx, p.operands.a, rowMajor(p.operands.a.type), "hypot_a");
  const b = p.operands.b === p.operands.a ? a : inLayout(ctx, p.operands.b, rowMajor(p.operands.b.type), "hypot_b");
  const out = outLayout(ctx, y, rowMajor(y.type), "hypot");
  ctx.useSupport("float");
  ctx.line(`clg_hypot_f32((${a}) + ${p.aOffset}, (${b}) + ${p.bOffset}, ${out.ptr}, ${p.size});`);
  out.finish();
}

export const hypotEmitters = [bind(QUANTIZED_HYPOT, emitHypot)];
export const hypotF32Emitters = [bind(HYPOT_F32, emitHypotF32)];
