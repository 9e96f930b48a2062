// cortex_m.log_softmax → the own integer loop (src/kernels/log_softmax_s8.ts) over rows of the last logical dim.
import type { Node, TensorType } from "../../ir/graph.js";
import { rowMajor } from "../../ir/layout.js";
import { logSoftmaxS8 } from "../../kernels/index.js";
import { LOG_SOFTMAX, type LogSoftmaxParams } from "../../ops/cortex_m/log_softmax.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind, checker } from "./common.js";

function prepareLogSoftmax(p: LogSoftmaxParams, node: Node, ctx: PrepareContext): Step {
  const x = p.operands.input;
  const r = x.rank;
  // Rows are independent: any order whose innermost dim is the last logical dim keeps every row contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const inp = inputIn(ctx, x, want);
  const out = outputIn(ctx, node.output, want);
  const input = inp.data as Int8Array;
  const output = out.data as Int8Array;
  const tables = { exp: ctx.i32(p.operands.expTable), diff: ctx.i32(p.operands.diffTable), log: ctx.i32(p.operands.logTable), log2Step: p.log2Step };
  const { rows, rowSize, zeroPoint } = p;
  const check = checker(node, ctx, "log_softmax_s8");
  return wrapStep([inp.pre], () => check(logSoftmaxS8(input, rows, rowSize, tables, zeroPoint, output)), [out.post]);
}

export const logSoftmaxBindings = [bind(LOG_SOFTMAX, prepareLogSoftmax)];
