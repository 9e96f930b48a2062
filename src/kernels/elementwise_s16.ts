/**
 * arm_elementwise_add_s16 / arm_elementwise_mul_s16: flat blocks of int16 (zero point 0: the library ignores every
 * offset argument, so they are not parameters here), no broadcasting.
 *  add: y = clamp(rq(rq(x1 << left_shift, m1, s1) + rq(x2 << left_shift, m2, s2), m_out, s_out))
 *  mul: y = clamp(rq(x1 · x2, m_out, s_out))
 * rq = arm_nn_requantize (the default double-rounding build). |x| ≤ 2^15 and left_shift ≤ 15 keep every shifted
 * input and product inside int32; the sum of two requantized terms wraps like the C int32 addition.
 */
import { Status } from './types.js';
import { requantize } from './requantize.js';

export interface AddS16Params {
  input1Mult: number; input1Shift: number;
  input2Mult: number; input2Shift: number;
  leftShift: number;
  outMult: number; outShift: number;
  outActivationMin: number; outActivationMax: number;
}

export function elementwiseAddS16(in1: Int16Array, in2: Int16Array, p: AddS16Params, out: Int16Array, blockSize: number): number {
  const ls = 2 ** p.leftShift, lo = p.outActivationMin, hi = p.outActivationMax;
  for (let i = 0; i < blockSize; i++) {
    const a = requantize((in1[i]! * ls) | 0, p.input1Mult, p.input1Shift);
    const b = requantize((in2[i]! * ls) | 0, p.input2Mult, p.input2Shift);
    let y = requantize((a + b) | 0, p.outMult, p.outShift);
    if (y < lo) y = lo; else if (y > hi) y = hi;
    out[i] = y;
  }
  return Status.SUCCESS;
}

export interface MulS16Params { outMult: number; outShift: number; outActivationMin: number; outActivationMax: number }

export function elementwiseMulS16(in1: Int16Array, in2: Int16Array, p: MulS16Params, out: Int16Array, blockSize: number): number {
  const lo = p.outActivationMin, hi = p.outActivationMax;
  for (let i = 0; i < blockSize; i++) {
    let y = requantize(in1[i]! * in2[i]!, p.outMult, p.outShift);
    if (y < lo) y = lo; else if (y > hi) y = hi;
    out[i] = y;
  }
  return Status.SUCCESS;
}
