// cortex_m.softmax → arm_softmax_s8 over rows of the last logical dim.
import type { Node, TensorType } from "../../ir/graph.js";
import { SOFTMAX, type SoftmaxParams } from "../../ops/cortex_m/softmax.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { rowMajor } from "../../ir/layout.js";
import { bind } from "./common.js";

function emitSoftmax(p: SoftmaxParams, node: Node, ctx: EmitContext): void {
  const x = p.operands.input;
  const y = node.output;
  const r = x.rank;
  // Any layout whose innermost dim is the last logical dim keeps rows contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const input = inLayout(ctx, x, want, "softmax");
  const out = outLayout(ctx, y, want, "softmax");
  ctx.require("arm_softmax_s8");
  ctx.line(`arm_softmax_s8(${input}, ${p.rows}, ${p.rowSize}, ${p.multiplier}, ${p.shift}, ${p.diffMin}, ${out.ptr});`);
  out.finish();
}

export const softmaxEmitters = [bind(SOFTMAX, emitSoftmax)];
