/**
 * arm_nn_activation_s16: int16 sigmoid / tanh by linear interpolation in a 256-entry table of sigmoid(i/24) in
 * unsigned 0.16 (tanh(x) = 2·sigmoid(2x) − 1, both odd-symmetric, so only |x| is looked up). TFLite Micro's int16
 * LOGISTIC / TANH call it with the input pre-scaled: input_multiplier = 3·2^left_shift (or 3 with a right shift
 * of −left_shift, rounded), so 3·x·2^left_shift reaches the table's i/24 grid in steps of 2^-9 (sigmoid) or 2^-8 (tanh).
 */
import { Status } from './types.js';

/**
 * The library's table of sigmoid(i/24) in unsigned 0.16, i = 0..255 (tanh(x) = 2·sigmoid(2x) − 1 reads it at twice
 * the step): each node is raised by half of the linear-interpolation error at the middle of the segment that starts
 * there (sigmoid is concave for x > 0, so a chord between exact samples sits below the curve; the lift centres the
 * error), then rounded; the last node, only read as a segment's right end, is the saturation value 0xFFFF. Built from
 * that definition; test/vectors/s16 and test/vectors/lstm compare every entry with the real library's table.
 */
export function sigmoidTableU16(): Uint16Array {
  const S = (i: number) => 65536 / (1 + Math.exp(-i / 24));
  const t = new Uint16Array(256);
  for (let i = 0; i < 255; i++) t[i] = Math.round(S(i) + (S(i + 0.5) - (S(i) + S(i + 1)) / 2) / 2);
  t[255] = 0xffff;
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
