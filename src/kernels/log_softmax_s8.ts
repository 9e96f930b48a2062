// int8 log_softmax over rows (cortex_m.log_softmax). No CMSIS-NN kernel
// computes it, and arm_softmax_s8 + a log table cannot: its output grid is
// 1/256, so every probability below 1/512 (a near-uniform row of 4096
// classes: all of them) becomes p = 0 and one clamped log value. This kernel
// subtracts the row's log-sum-exp from the scaled differences instead, with
// integer arithmetic only (tables built at compile time, for cores without
// an FPU); the generated C (src/emit/ops/log_softmax.ts) does the same steps.
//
// Per row, with d_j = max − x_j in [0, 255]:
//   sum = Σ exp_table[d_j]                 exp(−d·s_in) in Q16, so sum ≥ 2^16
//   e   = floor(log2 sum), k = the 8 bits below the leading one
//   lse = (e − 16)·log2_step + log_table[k] ln(sum / 2^16) / s_out in Q16
//   y_j = clamp(zp + ((diff_table[d_j] − lse + 2^15) >> 16))
//                                          diff_table[d] = −d·s_in / s_out in Q16
import { Status } from "./types.js";

/** Fraction bits of the Q16 tables (exp(0) = 1 << 16 in the exp table). */
export const LOG_SOFTMAX_FRAC_BITS = 16;
/** Mantissa bits of the sum that index the log table. */
export const LOG_SOFTMAX_LOG_BITS = 8;

export interface LogSoftmaxTables {
  /** exp(−d·s_in) in Q16, d = 0…255 (non-increasing, exp[0] = 2^16). */
  exp: Int32Array;
  /** −d·s_in / s_out in Q16, d = 0…255, floored at −2^30 (far below any output code). */
  diff: Int32Array;
  /** ln(1 + (k + ½)/256) / s_out in Q16, k = 0…255. */
  log: Int32Array;
  /** ln 2 / s_out in Q16: one octave of the sum. */
  log2Step: number;
}

/**
 * log_softmax of `rows` contiguous rows of `rowSize` int8 values into `output`
 * (output zero point `zeroPoint`, scale folded into the tables).
 */
export function logSoftmaxS8(
  input: Int8Array, rows: number, rowSize: number, t: LogSoftmaxTables, zeroPoint: number, output: Int8Array,
): number {
  const one = 1 << LOG_SOFTMAX_FRAC_BITS;
  const half = 1 << (LOG_SOFTMAX_FRAC_BITS - 1);
  for (let r = 0, base = 0; r < rows; r++, base += rowSize) {
    let max = -128;
    for (let j = 0; j < rowSize; j++) if (input[base + j]! > max) max = input[base + j]!;
    // Unsigned 32-bit in C: the decode keeps rowSize · 2^16 below 2^32, so a double holds it exactly too.
    let sum = 0;
    for (let j = 0; j < rowSize; j++) sum += t.exp[max - input[base + j]!]!;
    if (sum < one) return Status.ARG_ERROR; // the max's own term is exp(0): a table without it is not one of ours
    const e = 31 - Math.clz32(sum);
    const k = (sum >>> (e - LOG_SOFTMAX_LOG_BITS)) & ((1 << LOG_SOFTMAX_LOG_BITS) - 1);
    const lse = (e - LOG_SOFTMAX_FRAC_BITS) * t.log2Step + t.log[k]!;
    for (let j = 0; j < rowSize; j++) {
      const v = zeroPoint + ((t.diff[max - input[base + j]!]! - lse + half) >> LOG_SOFTMAX_FRAC_BITS);
      output[base + j] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
  }
  return Status.SUCCESS;
}

/** The tables for input scale `sIn` and output scale `sOut` (what the lowering stores as constants). */
export function logSoftmaxTables(sIn: number, sOut: number): LogSoftmaxTables {
  const one = 1 << LOG_SOFTMAX_FRAC_BITS;
  const exp = new Int32Array(256);
  const diff = new Int32Array(256);
  const log = new Int32Array(1 << LOG_SOFTMAX_LOG_BITS);
  for (let d = 0; d < 256; d++) {
    exp[d] = Math.round(one * Math.exp(-d * sIn));
    diff[d] = Math.max(Math.round((-d * sIn / sOut) * one), -(2 ** 30));
  }
  for (let k = 0; k < log.length; k++) log[k] = Math.round((Math.log1p((k + 0.5) / log.length) / sOut) * one);
  return { exp, diff, log, log2Step: Math.round((Math.LN2 / sOut) * one) };
}
