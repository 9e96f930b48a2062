/**
 * Blocked int8 GEMM used by conv / FC: out[r][oc] for r in rows, oc in [ocStart, ocEnd):
 *   acc = bias[oc] + sum_k A[aBase + r*K + k] * W[wBase + oc*K + k]    (A already holds x + input_offset)
 *   out[outBase + r*outRowStride + oc] = clamp(requantize(acc|0, mult[oc], shift[oc]) + outOffset)
 * Products are |x*w| <= 255*128 so partial sums are exact in int32/float64 for any realistic K;
 * `|0` on the final double gives CMSIS-NN's int32 two's-complement wrap.
 */
import { requantize } from './requantize.js';

export function gemmS8Requant(
  A: Int16Array, aBase: number, rows: number, K: number,
  W: Int8Array, wBase: number, ocStart: number, ocEnd: number,
  bias: Int32Array | null,
  mult: Int32Array, shift: Int32Array,
  out: Int8Array, outBase: number, outRowStride: number,
  outOffset: number, actMin: number, actMax: number,
): void {
  let oc = ocStart;
  for (; oc + 4 <= ocEnd; oc += 4) {
    const w0 = wBase + oc * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K;
    const b0 = bias ? bias[oc] : 0, b1 = bias ? bias[oc + 1] : 0, b2 = bias ? bias[oc + 2] : 0, b3 = bias ? bias[oc + 3] : 0;
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const a0 = aBase + r * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < K; k++) {
        const y0 = W[w0 + k], y1 = W[w1 + k], y2 = W[w2 + k], y3 = W[w3 + k];
        const x0 = A[a0 + k], x1 = A[a1 + k], x2 = A[a2 + k], x3 = A[a3 + k];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      let o = outBase + r * outRowStride + oc;
      put4(out, o, s00 + b0, s01 + b1, s02 + b2, s03 + b3, oc, mult, shift, outOffset, actMin, actMax); o += outRowStride;
      put4(out, o, s10 + b0, s11 + b1, s12 + b2, s13 + b3, oc, mult, shift, outOffset, actMin, actMax); o += outRowStride;
      put4(out, o, s20 + b0, s21 + b1, s22 + b2, s23 + b3, oc, mult, shift, outOffset, actMin, actMax); o += outRowStride;
      put4(out, o, s30 + b0, s31 + b1, s32 + b2, s33 + b3, oc, mult, shift, outOffset, actMin, actMax);
    }
    for (; r < rows; r++) {
      const a0 = aBase + r * K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k];
        s0 += x0 * W[w0 + k]; s1 += x0 * W[w1 + k]; s2 += x0 * W[w2 + k]; s3 += x0 * W[w3 + k];
      }
      put4(out, outBase + r * outRowStride + oc, s0 + b0, s1 + b1, s2 + b2, s3 + b3, oc, mult, shift, outOffset, actMin, actMax);
    }
  }
  for (; oc < ocEnd; oc++) {
    const w0 = wBase + oc * K;
    const b0 = bias ? bias[oc] : 0;
    const m = mult[oc], sh = shift[oc];
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const a0 = aBase + r * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < K; k++) {
        const y = W[w0 + k];
        s0 += A[a0 + k] * y; s1 += A[a1 + k] * y; s2 += A[a2 + k] * y; s3 += A[a3 + k] * y;
      }
      const o = outBase + r * outRowStride + oc;
      out[o] = fin(s0 + b0, m, sh, outOffset, actMin, actMax);
      out[o + outRowStride] = fin(s1 + b0, m, sh, outOffset, actMin, actMax);
      out[o + 2 * outRowStride] = fin(s2 + b0, m, sh, outOffset, actMin, actMax);
      out[o + 3 * outRowStride] = fin(s3 + b0, m, sh, outOffset, actMin, actMax);
    }
    for (; r < rows; r++) {
      const a0 = aBase + r * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * W[w0 + k];
      out[outBase + r * outRowStride + oc] = fin(s + b0, m, sh, outOffset, actMin, actMax);
    }
  }
}

function fin(acc: number, m: number, sh: number, off: number, lo: number, hi: number): number {
  let y = requantize(acc | 0, m, sh) + off;
  if (y < lo) y = lo; else if (y > hi) y = hi;
  return y;
}

function put4(out: Int8Array, o: number, a0: number, a1: number, a2: number, a3: number, oc: number,
  mult: Int32Array, shift: Int32Array, off: number, lo: number, hi: number): void {
  out[o] = fin(a0, mult[oc], shift[oc], off, lo, hi);
  out[o + 1] = fin(a1, mult[oc + 1], shift[oc + 1], off, lo, hi);
  out[o + 2] = fin(a2, mult[oc + 2], shift[oc + 2], off, lo, hi);
  out[o + 3] = fin(a3, mult[oc + 3], shift[oc + 3], off, lo, hi);
}

/** Module-level growable scratch (avoids per-call allocation churn). */
let scratch16 = new Int16Array(0);
export function getScratch16(n: number): Int16Array {
  if (scratch16.length < n) scratch16 = new Int16Array(Math.max(n, scratch16.length * 2));
  return scratch16;
}
