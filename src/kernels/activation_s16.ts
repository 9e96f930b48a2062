/**
 * arm_nn_activation_s16: int16 sigmoid / tanh by linear interpolation in a 256-entry table of sigmoid(i/24) in
 * unsigned 0.16 (tanh(x) = 2·sigmoid(2x) − 1, both odd-symmetric, so only |x| is looked up). TFLite Micro's int16
 * LOGISTIC / TANH call it with the input pre-scaled: input_multiplier = 3·2^left_shift (or 3 with a right shift
 * of −left_shift, rounded), so 3·x·2^left_shift reaches the table's i/24 grid in steps of 2^-9 (sigmoid) or 2^-8 (tanh).
 */
import { Status } from './types.js';

/**
 * sigmoid(i/24)·65536, i = 0..255, as the library's table holds it: the nearest integer, except at the indices
 * below where the table is one more (44 entries, up to 1.05 above the exact value; the table is TFLite's and
 * comes without its generator). Checked against the real library's `sigmoid_table_uint16` by test/vectors/s16.
 * The last entry is 65535, the largest uint16 (the nearest integer there is 65534).
 */
const ONE_ABOVE_NEAREST = [4, 8, 12, 14, 15, 16, 17, 19, 20, 21, 22, 25, 27, 28, 29, 30, 31, 33, 34, 35, 37, 39, 40, 41, 43,
  44, 45, 46, 49, 50, 54, 62, 63, 64, 66, 82, 86, 93, 100, 103, 112, 116, 135, 255];

export function sigmoidTableU16(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) t[i] = Math.round(65536 / (1 + Math.exp(-i / 24)));
  for (const i of ONE_ABOVE_NEAREST) t[i]! += 1;
  return t;
}

const TABLE = sigmoidTableU16();

export type ActivationS16 = 'sigmoid' | 'tanh';

/** arm_nn_activation_s16(input, output, size, left_shift, ARM_SIGMOID | ARM_TANH). */
export function activationS16(input: Int16Array, output: Int16Array, size: number, leftShift: number, type: ActivationS16): number {
  const sigmoid = type === 'sigmoid';
  // Table index = |x| >> 9 (sigmoid) or >> 8 (tanh: the doubled argument); the low bits interpolate.
  const absShift = sigmoid ? 9 : 8, fracMask = sigmoid ? 0x1ff : 0xff;
  const saturated = sigmoid ? 0x7fff << 10 : 0xffff << 8;
  const mult = leftShift < 0 ? 3 : 3 * 2 ** leftShift;
  const rshift = leftShift < 0 ? -leftShift : 0;
  const rounding = rshift > 0 ? 2 ** (rshift - 1) : 0;
  for (let i = 0; i < size; i++) {
    const x = ((Math.imul(input[i]!, mult) + rounding) | 0) >> rshift;
    const ax = x > 0 ? x : -x;
    const uh = ax >>> absShift;
    let r: number;
    if (uh >= 255) r = saturated;
    else {
      const ua = TABLE[uh]!, ub = TABLE[uh + 1]!;
      r = ua * 2 ** absShift + (ax & fracMask) * (ub - ua);
    }
    let y: number;
    // Below zero the function is mirrored (1 − sigmoid, −tanh); the constants round half up in both halves.
    if (sigmoid) y = (x >= 0 ? r + 512 : (1 << 25) - r + 511) >>> 10;
    else y = (x >= 0 ? r - (1 << 23) + 128 : -r + (1 << 23) + 127) >> 8;
    output[i] = y; // the C cast to int16 keeps the low 16 bits, as the Int16Array store does
  }
  return Status.SUCCESS;
}
