// cortex_m.log_softmax → its own integer loop in the step (no CMSIS-NN kernel
// computes log_softmax): the steps of src/kernels/log_softmax_s8.ts, line for
// line, on int8 rows, uint32 sums and int32 Q16 tables.
import type { Node, TensorType } from "../../ir/graph.js";
import { rowMajor } from "../../ir/layout.js";
import { LOG_SOFTMAX_FRAC_BITS, LOG_SOFTMAX_LOG_BITS } from "../../kernels/log_softmax_s8.js";
import { LOG_SOFTMAX, type LogSoftmaxParams } from "../../ops/cortex_m/log_softmax.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { bind } from "./common.js";

function emitLogSoftmax(p: LogSoftmaxParams, node: Node, ctx: EmitContext): void {
  const x = p.operands.input;
  const r = x.rank;
  // Any layout whose innermost dim is the last logical dim keeps rows contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const input = inLayout(ctx, x, want, "log_softmax");
  const out = outLayout(ctx, node.output, want, "log_softmax");
  const F = LOG_SOFTMAX_FRAC_BITS;
  ctx.line("{");
  ctx.line(`const int8_t *x = ${input};`);
  ctx.line(`int8_t *y = ${out.ptr};`);
  ctx.line(`const int32_t *exp_q16 = ${ctx.ptr(p.operands.expTable)};`);
  ctx.line(`const int32_t *diff_q16 = ${ctx.ptr(p.operands.diffTable)};`);
  ctx.line(`const int32_t *log_q16 = ${ctx.ptr(p.operands.logTable)};`);
  ctx.line(`for (int32_t r = 0; r < ${p.rows}; r++, x += ${p.rowSize}, y += ${p.rowSize})`);
  ctx.line("{");
  ctx.line("int32_t mx = -128;");
  ctx.line(`for (int32_t j = 0; j < ${p.rowSize}; j++)`);
  ctx.line("    mx = x[j] > mx ? x[j] : mx;");
  ctx.line("/* sum >= exp_q16[0] = 1 << 16 (the max's own term), below 2^32 for these rows */");
  ctx.line("uint32_t sum = 0;");
  ctx.line(`for (int32_t j = 0; j < ${p.rowSize}; j++)`);
  ctx.line("    sum += (uint32_t)exp_q16[mx - x[j]];");
  ctx.line("const int32_t e = 31 - __builtin_clz(sum);");
  ctx.line(`const int32_t k = (int32_t)((sum >> (e - ${LOG_SOFTMAX_LOG_BITS})) & ${(1 << LOG_SOFTMAX_LOG_BITS) - 1}u);`);
  ctx.line(`const int32_t lse = (e - ${F}) * ${p.log2Step} + log_q16[k];`);
  ctx.line(`for (int32_t j = 0; j < ${p.rowSize}; j++)`);
  ctx.line("{");
  ctx.line(`const int32_t v = ${p.zeroPoint} + ((diff_q16[mx - x[j]] - lse + ${1 << (F - 1)}) >> ${F});`);
  ctx.line("y[j] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));");
  ctx.line("}");
  ctx.line("}");
  ctx.line("}");
  out.finish();
}

export const logSoftmaxEmitters = [bind(LOG_SOFTMAX, emitLogSoftmax)];
