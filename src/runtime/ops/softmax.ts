// cortex_m.softmax → arm_softmax_s8 over rows of the last logical dim.
import type { Node, TensorType } from "../../ir/graph.js";
import { softmaxS8, softmaxS8Ref } from "../../kernels/index.js";
import { SOFTMAX, type SoftmaxParams } from "../../ops/cortex_m/softmax.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { rowMajor } from "../../ir/layout.js";
import { bind, checker } from "./common.js";

function prepareSoftmax(p: SoftmaxParams, node: Node, ctx: PrepareContext): Step {
  const x = p.operands.input;
  const y = node.output;
  const r = x.rank;
  // Rows are independent: any order whose innermost dim is the last logical
  // dim keeps every row contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const inp = inputIn(ctx, x, want);
  const out = outputIn(ctx, y, want);
  const input = inp.data as Int8Array;
  const output = out.data as Int8Array;
  const { rows, rowSize, multiplier, shift, diffMin } = p;
  const kernel = ctx.reference ? softmaxS8Ref : softmaxS8;
  const check = checker(node, ctx, "arm_softmax_s8");
  return wrapStep([inp.pre], () => check(kernel(input, rows, rowSize, multiplier, shift, diffMin, output)), [out.post]);
}

export const softmaxBindings = [bind(SOFTMAX, prepareSoftmax)];
