/**
 * Exact CMSIS-NN / TFLite fixed-point helpers (no BigInt in the hot paths).
 * All products that need 63 bits are split into exact float64 partial products.
 */

const TWO31 = 2147483648;

/**
 * arm_nn_doubling_high_mult / gemmlowp SaturatingRoundingDoublingHighMul:
 * nudge = ab >= 0 ? 2^30 : 1 - 2^30; result = trunc((ab + nudge) / 2^31); INT32_MIN^2 saturates.
 */
export function doublingHighMult(a: number, b: number): number {
  a |= 0; b |= 0;
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  // Same split as requantize: ab + nudge = Z·2^16 + Yl exactly, Z = a·bh + floor(Y / 2^16), Y = a·bl + nudge.
  const neg = a !== 0 && b !== 0 && (a < 0) !== (b < 0); // ab < 0
  const y = a * (b & 0xffff) + (neg ? 1 - 1073741824 : 1073741824);
  const yh = Math.floor(y / 65536);
  const z = a * (b >> 16) + yh;
  let q = Math.floor(z / 32768);
  if (neg && (z !== q * 32768 || y !== yh * 65536)) q += 1; // truncate toward zero
  return q | 0;
}

/** arm_nn_divide_by_power_of_two / gemmlowp RoundingDivideByPOT: round half away from zero. */
export function divideByPowerOfTwo(dividend: number, exponent: number): number {
  if (exponent <= 0) return dividend | 0;
  const mask = exponent >= 31 ? 2147483647 : (1 << exponent) - 1;
  const rem = dividend & mask;
  const q = dividend >> exponent;
  let thr = mask >> 1;
  if (q < 0) thr += 1;
  return rem > thr ? q + 1 : q;
}

/**
 * arm_nn_requantize (default double-rounding build) == TFLite MultiplyByQuantizedMultiplier.
 * L = max(shift,0): val << L with int32 wrap; high mult (no sat); rounding divide by 2^R.
 */
export function requantize(val: number, multiplier: number, shift: number): number {
  const t = shift > 0 ? Math.imul(val, 1 << shift) : val | 0;
  // floor((t·m + 2^30) / 2^31) exactly in doubles: m = mh·2^16 + ml (mh signed, 0 <= ml < 2^16);
  // X = t·mh (|X| < 2^46) and Y = t·ml + 2^30 (|Y| < 2^48) are exact; with Y = Yh·2^16 + Yl
  // (0 <= Yl < 2^16) the sum is (X + Yh)·2^16 + Yl and Yl cannot carry across a multiple of 2^31.
  const x = t * (multiplier >> 16);
  const y = t * (multiplier & 0xffff) + 1073741824;
  const h = Math.floor((x + Math.floor(y / 65536)) / 32768) | 0;
  if (shift >= 0) return h;
  const R = -shift;
  const mask = R >= 31 ? 2147483647 : (1 << R) - 1;
  const q = h >> R;
  return (h & mask) > (mask >> 1) + (q < 0 ? 1 : 0) ? q + 1 : q;
}

/** REDUCE_MULTIPLIER for the s64 path. */
export function reduceMultiplier(mult: number): number {
  return mult < 0x7fff0000 ? (mult + (1 << 15)) >> 16 : 0x7fff;
}

/**
 * arm_nn_requantize_s64(val, REDUCE_MULTIPLIER(mult), shift): int64 `val` (bigint or exact-integer number).
 * r = (int32)((val*rm) >> (14 - shift)); result = (r + 1) >> 1.
 */
export function requantizeS64(val: bigint | number, multiplier: number, shift: number): number {
  const rm = BigInt(reduceMultiplier(multiplier));
  const v = typeof val === 'bigint' ? val : BigInt(val);
  const nv = BigInt.asIntN(64, v * rm);
  const r = Number(BigInt.asIntN(32, nv >> BigInt(14 - shift))) | 0;
  return (r + 1) >> 1;
}

/** arm_nn_mult_by_power_of_two (saturating left shift), exp in [0,31). */
export function multByPowerOfTwo(val: number, exp: number): number {
  const thresh = (2 ** (31 - exp)) - 1;
  if (val > thresh) return 2147483647;
  if (val < -thresh) return -2147483648;
  return (val << exp) | 0;
}

export interface QuantizedMultiplier { multiplier: number; shift: number }

/**
 * TFLite QuantizeMultiplier(double): frexp scheme. q in [0.5,1), multiplier = round(q*2^31)
 * (ties away from zero, like std::round; or half-to-even with `halfEven`), 2^31 -> halve and shift+1;
 * shift < -31 -> (0,0); M = 0 -> (0,0). `saturateShift` mimics TFLITE_SINGLE_ROUNDING (shift > 30 -> 30).
 */
export function quantizeMultiplier(real: number, opts: { halfEven?: boolean; saturateShift?: boolean } = {}): QuantizedMultiplier {
  if (real === 0 || !Number.isFinite(real)) return { multiplier: 0, shift: 0 };
  const [q, e0] = frexp(real);
  let e = e0;
  const scaled = q * TWO31; // exact (power-of-two scaling)
  let m = opts.halfEven ? roundHalfEven(scaled) : roundHalfAway(scaled);
  if (m === TWO31) { m /= 2; e += 1; }
  if (e < -31) return { multiplier: 0, shift: 0 };
  if (opts.saturateShift && e > 30) { e = 30; m = TWO31 - 1; }
  return { multiplier: m | 0, shift: e };
}

/** frexp: x = q * 2^e with |q| in [0.5, 1). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  const abs = Math.abs(x);
  let e = Math.max(-1073, Math.floor(Math.log2(abs)) + 1);
  let q = abs * 2 ** -e;
  while (q < 0.5) { q *= 2; e -= 1; }
  while (q >= 1) { q /= 2; e += 1; }
  return [x < 0 ? -q : q, e];
}

/** Round half away from zero (C round / std::round). */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
/** Round half to even (C nearbyint in default mode, numpy/torch). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
