// cortex_m.requantize in C: clg_requantize_tensor (csrc/codegen_support/clg_int_ops.c) over the output's
// physical order, as the simulator's binding (src/runtime/ops/requantize.ts).
import type { Node } from "../../ir/graph.js";
import { REQUANTIZE, type RequantizeRecord } from "../../ops/cortex_m/requantize.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout } from "../moves.js";
import { bind } from "./common.js";

function emitRequantize(p: RequantizeRecord, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const x = inLayout(ctx, p.operands.input, y.type, "requant");
  const k = p.kernel;
  ctx.useSupport("int_ops");
  const args = [x, p.inDtype === "i16" ? "1" : "0", ctx.ptr(y), p.outDtype === "i16" ? "1" : "0", String(p.size),
    ...[k.inputOffset, k.outputOffset, k.multiplier, k.shift, k.activationMin, k.activationMax].map(cInt)];
  ctx.line(`clg_requantize_tensor(${args.join(", ")});`);
}

export const requantizeEmitters = [bind(REQUANTIZE, emitRequantize)];
