// cortex_m.softmax → arm_softmax_s8 over rows of the last logical dim.
import type { Node, TensorType } from "../../ir/graph.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { rowMajor } from "../../ir/layout.js";
import { num, type EmitFn } from "./common.js";

function emitSoftmax(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  const r = x.rank;
  // Any layout whose innermost dim is the last logical dim keeps rows contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const input = inLayout(ctx, x, want, "softmax");
  const out = outLayout(ctx, y, want, "softmax");
  const row = r === 0 ? 1 : x.shape[r - 1]!;
  const rows = row === 0 ? 0 : x.numel / row;
  ctx.require("arm_softmax_s8");
  ctx.line(`arm_softmax_s8(${input}, ${rows}, ${row}, ${num(node, "multiplier", ctx)}, ${num(node, "shift", ctx)}, ${num(node, "diff_min", ctx)}, ${out.ptr});`);
  out.finish();
}

export const softmaxEmitters: Record<string, EmitFn> = {
  "cortex_m.softmax": emitSoftmax,
};
