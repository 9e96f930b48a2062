// cortex_m.log_softmax → an own integer loop (no CMSIS-NN kernel computes
// log_softmax): rows of the last logical dim, the row's log-sum-exp taken
// from compile-time tables (src/kernels/log_softmax_s8.ts has the arithmetic).
import { makeType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { LOG_SOFTMAX_FRAC_BITS, LOG_SOFTMAX_LOG_BITS } from "../../kernels/log_softmax_s8.js";
import { fail, intAttr, operand } from "./decode.js";
import { need } from "./shapes.js";

export interface LogSoftmaxParams {
  /** Rows (every dim but the last, flattened) and their length. */
  rows: number;
  rowSize: number;
  /** ln 2 / s_out in Q16 (one octave of the row's sum). */
  log2Step: number;
  zeroPoint: number;
  operands: { input: Value; expTable: Value; diffTable: Value; logTable: Value };
}

/** A constant int32 table of `n` entries. */
function table(node: Parameters<typeof operand>[0], i: number, what: string, n: number): Value {
  const v = operand(node, i, what, "i32");
  if (!v.isConst() || v.numel !== n) fail(node, `${what} must be a constant of ${n} int32 entries`);
  return v;
}

export const LOG_SOFTMAX = defineOp<LogSoftmaxParams>({
  name: "cortex_m.log_softmax",
  infer: ([x]) => {
    const t = need(x, "x");
    return [makeType(t.dtype, t.shape, t.dimOrder)];
  },
  decode: (node) => {
    const input = operand(node, 0, "input", "i8");
    if (node.output.dtype !== "i8") fail(node, `output must be i8, got ${node.output.dtype}`);
    const r = input.rank;
    const rowSize = r === 0 ? 1 : input.shape[r - 1]!;
    // The row's sum of Q16 exponentials is an unsigned 32-bit integer in the C.
    if (rowSize >= 2 ** (32 - LOG_SOFTMAX_FRAC_BITS)) fail(node, `rows of ${rowSize} overflow the 32-bit sum`);
    const log2Step = intAttr(node, "log2_step");
    // lse ≤ 16 octaves: with the diff table's floor of −2^30 every step stays inside int32.
    if (log2Step <= 0 || log2Step > 2 ** 26) fail(node, `log2_step ${log2Step} is outside (0, 2^26]`);
    const zeroPoint = intAttr(node, "zero_point");
    if (zeroPoint < -128 || zeroPoint > 127) fail(node, `zero_point ${zeroPoint} is not an int8`);
    return {
      rows: rowSize === 0 ? 0 : input.numel / rowSize,
      rowSize,
      log2Step,
      zeroPoint,
      operands: {
        input,
        expTable: table(node, 1, "exp table", 256),
        diffTable: table(node, 2, "diff table", 256),
        logTable: table(node, 3, "log table", 1 << LOG_SOFTMAX_LOG_BITS),
      },
    };
  },
});
