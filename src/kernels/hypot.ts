// The integer complex magnitude y = sqrt(a² + b²) (Silero's STFT |X| in an
// integer-only build), the simulator's twin of clg_hypot in
// csrc/codegen_support/clg_int_ops.c. No CMSIS-NN kernel computes it. Per element:
//   x = a + input_offset, z = b + input_offset            (exact int32)
//   s = x² + z²                                           (exact, < 2^32)
//   r = round(sqrt(s · 2^30)) = round(sqrt(s) · 2^15)     (exact integer sqrt, half up; ties cannot occur)
//   y = clamp(requantize(r, multiplier, shift) + output_offset, act_min, act_max)
// with multiplier/shift the quantized s_in / (s_out · 2^15) (arm_nn_requantize, double rounding).
// The sum of squares is never rounded: it spans twice the dB range of |X|, which neither
// int8 nor int16 holds; only the square root's 15 fractional bits and the output are rounded.
import { requantize } from "./requantize.js";

/** Fractional bits of the square root before requantization (sqrt(s · 2^(2·15)) < 2^31 for s < 2^32). */
export const HYPOT_FRAC_BITS = 15;

export interface HypotParams {
  inputOffset: number;
  outputOffset: number;
  multiplier: number;
  shift: number;
  activationMin: number;
  activationMax: number;
}

const SCALE = 2 ** HYPOT_FRAC_BITS;
const FRAC2 = BigInt(2 * HYPOT_FRAC_BITS);

/** round(sqrt(s · 2^30)) for an integer 0 ≤ s < 2^32, exactly (round half up; a tie would need s·2^30 = q² + q + 1/4). */
export function sqrtRoundQ15(s: number): number {
  if (s === 0) return 0;
  const n = BigInt(s) << FRAC2;
  // The double estimate is within one of floor(sqrt(n)); settle it exactly.
  let q = BigInt(Math.floor(Math.sqrt(s) * SCALE));
  while (q * q > n) q -= 1n;
  while ((q + 1n) * (q + 1n) <= n) q += 1n;
  // n − q² > q ⇔ n ≥ (q + 1/2)² for integers: round up.
  if (n - q * q > q) q += 1n;
  return Number(q);
}

/** y[i] = the quantized sqrt(a[i]² + b[i]²) over `size` elements (int8 or int16 in and out, independently). */
export function hypotS(a: Int8Array | Int16Array, b: Int8Array | Int16Array, p: HypotParams, out: Int8Array | Int16Array, size: number): void {
  const { inputOffset, outputOffset, multiplier, shift, activationMin, activationMax } = p;
  for (let i = 0; i < size; i++) {
    const x = a[i]! + inputOffset;
    const z = b[i]! + inputOffset;
    const r = sqrtRoundQ15(x * x + z * z);
    let y = requantize(r, multiplier, shift) + outputOffset;
    if (y < activationMin) y = activationMin;
    if (y > activationMax) y = activationMax;
    out[i] = y;
  }
}
