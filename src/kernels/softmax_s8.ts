/**
 * arm_softmax_s8 with gemmlowp fixed-point exp / reciprocal, written from the math:
 *  - exp_on_negative_values: input Q5.26 (5 integer bits) ≤ 0, output Q0.31.
 *    a mod (−1/4): Taylor expansion of exp around −1/8 on [−1/4, 0), then a barrel of multiplications by
 *    exp(−2^k) (k = −2..4) for each set bit of the remainder; exp(0) = 1 (INT32_MAX).
 *  - one_over_one_plus_x_for_x_in_0_1: 3 Newton–Raphson steps for 1/(1+x) in Q2.29, starting from 48/17 − 32/17·d.
 * SRDHM = saturating rounding doubling high multiply (arm_nn_doubling_high_mult).
 */
import { doublingHighMult as srdhm, divideByPowerOfTwo as rdivpot, multByPowerOfTwo } from './requantize.js';
import { Status } from './types.js';

const ACCUM_BITS = 12;

/** exp(−1/4), exp(−1/2), exp(−1), exp(−2), exp(−4), exp(−8), exp(−16) in Q0.31 */
const EXP_BARREL = [1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242];

/** exp(x) for x ≤ 0 given as Q5.26 raw int32; result Q0.31 raw. */
export function expOnNegativeValues(val: number): number {
  const quarter = 1 << 24;
  const valModMinusQuarter = ((val & (quarter - 1)) - quarter) | 0; // in [−2^24, 0)
  const remainder = (valModMinusQuarter - val) | 0;
  // rescale Q5.26 → Q0.31 (×2^5), then shift by +1/8 (2^28) for the expansion point
  const x = ((valModMinusQuarter << 5) + (1 << 28)) | 0;
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4over4 = rdivpot(x4, 2);
  const poly = rdivpot((srdhm((x4over4 + x3) | 0, 715827883 /* 1/3 */) + x2) | 0, 1);
  const expMinusEighth = 1895147668; // exp(−1/8) in Q0.31
  let result = (expMinusEighth + srdhm(expMinusEighth, (x + poly) | 0)) | 0;
  for (let i = 0; i < 7; i++) {
    if (remainder & (1 << (24 + i))) result = srdhm(result, EXP_BARREL[i]);
  }
  return val === 0 ? 2147483647 : result;
}

/** 1/(1+x) for x in [0,1) as Q0.31 raw; result Q0.31 raw (of 1/(1+x) / ... as gemmlowp: value/2 rescaled). */
export function oneOverOnePlusXForXIn01(val: number): number {
  const sum = val + 2147483647;
  const halfDen = Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2) | 0;
  let x = (1515870810 + srdhm(halfDen, -1010580540)) | 0; // 48/17 + (−32/17)·d in Q2.29
  const one = 1 << 29;
  for (let i = 0; i < 3; i++) {
    x = (x + Math.imul(srdhm(x, (one - srdhm(halfDen, x)) | 0), 4)) | 0;
  }
  return multByPowerOfTwo(x, 1);
}

/** Exponent cache of one row, reused across calls (grown on demand). */
let expBuf = new Int32Array(0);
/**
 * The exponent depends only on diff = x − max ∈ [−255, 0] (int8 input) for a given call's mult/shift:
 * expTab[−diff] is filled on first use in a call, marked valid by expStamp[−diff] === the call's stamp.
 */
const expTab = new Int32Array(256);
const expStamp = new Int32Array(256);
let callStamp = 0;

/**
 * arm_softmax_s8(input, num_rows, row_size, mult, shift, diff_min, output).
 * mult/shift from TFLite PreprocessSoftmaxScaling(beta, s_in, 5); diff_min = −CalculateInputRadius(5, shift).
 * Output scale 1/256, zero point −128.
 */
export function softmaxS8(input: Int8Array, numRows: number, rowSize: number, mult: number, shift: number, diffMin: number, output: Int8Array): number {
  const mask = 1 << shift;
  if (expBuf.length < rowSize) expBuf = new Int32Array(Math.max(rowSize, 2 * expBuf.length));
  const e = expBuf;
  callStamp = (callStamp + 1) | 0;
  if (callStamp === 0) { expStamp.fill(0); callStamp = 1; }
  const stamp = callStamp;
  for (let r = 0; r < numRows; r++) {
    const base = r * rowSize;
    let max = input[base];
    for (let i = 1; i < rowSize; i++) if (input[base + i] > max) max = input[base + i];
    let sum = 0;
    for (let i = 0; i < rowSize; i++) {
      const diff = input[base + i] - max;
      if (diff >= diffMin) {
        let v: number;
        if (expStamp[-diff] === stamp) v = expTab[-diff];
        else {
          v = expOnNegativeValues(srdhm(Math.imul(diff, mask), mult));
          expTab[-diff] = v; expStamp[-diff] = stamp;
        }
        e[i] = v;
        sum = (sum + rdivpot(v, ACCUM_BITS)) | 0;
      }
    }
    const headroom = Math.clz32(sum);
    const shifted = ((sum > 0 ? sum << headroom : 0) + 2147483648) | 0; // (sum << headroom) − 2^31 (int32 wrap)
    const scale = oneOverOnePlusXForXIn01(shifted);
    const bitsOverUnit = ACCUM_BITS - headroom + 23;
    for (let i = 0; i < rowSize; i++) {
      const diff = input[base + i] - max;
      if (diff >= diffMin) {
        let res = rdivpot(srdhm(scale, e[i]), bitsOverUnit) - 128;
        if (res < -128) res = -128; else if (res > 127) res = 127;
        output[base + i] = res;
      } else output[base + i] = -128;
    }
  }
  return Status.SUCCESS;
}

/** Reference: recomputes every exponent in the second pass (no caching), same formulas. */
export function softmaxS8Ref(input: Int8Array, numRows: number, rowSize: number, mult: number, shift: number, diffMin: number, output: Int8Array): number {
  for (let r = 0; r < numRows; r++) {
    const row = Array.from(input.subarray(r * rowSize, (r + 1) * rowSize));
    const max = Math.max(...row);
    const expOf = (x: number): number => expOnNegativeValues(srdhm(((x - max) * 2 ** shift) | 0, mult));
    let sum = 0;
    for (const x of row) if (x - max >= diffMin) sum = (sum + rdivpot(expOf(x), ACCUM_BITS)) | 0;
    const headroom = Math.clz32(sum);
    const scale = oneOverOnePlusXForXIn01(((sum > 0 ? sum << headroom : 0) - -2147483648) | 0);
    row.forEach((x, i) => {
      output[r * rowSize + i] = x - max >= diffMin
        ? Math.max(-128, Math.min(127, rdivpot(srdhm(scale, expOf(x)), ACCUM_BITS - headroom + 23) - 128))
        : -128;
    });
  }
  return Status.SUCCESS;
}

/** TFLite PreprocessSoftmaxScaling(beta, input_scale, input_integer_bits=5) → {mult, shift}, plus diff_min. */
export function softmaxParams(beta: number, inputScale: number, inputIntegerBits = 5): { mult: number; shift: number; diffMin: number } {
  const real = Math.min(beta * inputScale * 2 ** (31 - inputIntegerBits), 2147483647);
  // QuantizeMultiplierGreaterThanOne
  let q = real, e = 0;
  if (q !== 0) {
    e = Math.floor(Math.log2(q)) + 1;
    let f = q / 2 ** e;
    while (f < 0.5) { f *= 2; e--; }
    while (f >= 1) { f /= 2; e++; }
    q = Math.round(f * 2 ** 31);
    if (q === 2 ** 31) { q /= 2; e++; }
  }
  const shift = e;
  const maxInputRescaled = ((1 << inputIntegerBits) - 1) * 2 ** (31 - inputIntegerBits) / 2 ** shift;
  return { mult: q | 0, shift, diffMin: -Math.floor(maxInputRescaled) };
}
