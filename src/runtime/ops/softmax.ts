// cortex_m.softmax → arm_softmax_s8 over rows of the last logical dim.
import type { Node, TensorType } from "../../ir/graph.js";
import { softmaxS8, softmaxS8Ref, Status, STATUS_NAMES } from "../../kernels/index.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type PrepareFn, type Step } from "../context.js";
import { rowMajor } from "../../ir/layout.js";
import { numAttr } from "./common.js";

function prepareSoftmax(node: Node, ctx: PrepareContext): Step {
  const x = node.input(0);
  const y = node.output;
  const r = x.rank;
  // Rows are independent: any order whose innermost dim is the last logical
  // dim keeps every row contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const inp = inputIn(ctx, x, want);
  const out = outputIn(ctx, y, want);
  const rowSize = r === 0 ? 1 : x.shape[r - 1]!;
  const rows = rowSize === 0 ? 0 : x.numel / rowSize;
  const mult = numAttr(node, "multiplier", ctx);
  const shift = numAttr(node, "shift", ctx);
  const diffMin = numAttr(node, "diff_min", ctx);
  const input = inp.data as Int8Array;
  const output = out.data as Int8Array;
  const kernel = ctx.reference ? softmaxS8Ref : softmaxS8;
  const run = (): void => {
    const st = kernel(input, rows, rowSize, mult, shift, diffMin, output);
    if (st !== Status.SUCCESS) ctx.fail(node, `arm_softmax_s8 returned ${STATUS_NAMES[st] ?? st}`);
  };
  return wrapStep([inp.pre], run, [out.post]);
}

export const softmaxOps: Record<string, PrepareFn> = {
  "cortex_m.softmax": prepareSoftmax,
};
