/** arm_elementwise_add_s8 / arm_elementwise_mul_s8 (flat block, no broadcasting). Offsets are −zp (inputs), +zp (output). */
import { Status } from './types.js';
import { requantize } from './requantize.js';
import { addWasm, mulWasm } from './wasm/simd_kernels.js';

const lut1 = new Int32Array(256);
const lut2 = new Int32Array(256);

export interface AddS8Params {
  input1Offset: number; input1Mult: number; input1Shift: number;
  input2Offset: number; input2Mult: number; input2Shift: number;
  leftShift: number;
  outOffset: number; outMult: number; outShift: number;
  outActivationMin: number; outActivationMax: number;
}

/**
 * arm_elementwise_add_s8(in1, in2, in1_offset, in1_mult, in1_shift, in2_offset, in2_mult, in2_shift, left_shift,
 * out, out_offset, out_mult, out_shift, act_min, act_max, block_size) — args packed in `p`.
 */
export function elementwiseAddS8(in1: Int8Array, in2: Int8Array, p: AddS8Params, out: Int8Array, blockSize: number): number {
  // Each input is int8, so its requantized (x + offset) << left_shift takes at most 256 values: tabulate them.
  const ls = 1 << p.leftShift;
  const o1 = p.input1Offset | 0, o2 = p.input2Offset | 0;
  const t1 = lut1, t2 = lut2;
  for (let x = -128; x < 128; x++) {
    t1[x + 128] = requantize(Math.imul(x + o1, ls), p.input1Mult, p.input1Shift);
    t2[x + 128] = requantize(Math.imul(x + o2, ls), p.input2Mult, p.input2Shift);
  }
  const mo = p.outMult, so = p.outShift, lo = p.outActivationMin, hi = p.outActivationMax, oo = p.outOffset;
  if (addWasm(in1, in2, t1, t2, out, blockSize, mo, so, oo, lo, hi)) return Status.SUCCESS;
  for (let i = 0; i < blockSize; i++) {
    let y = requantize((t1[in1[i] + 128] + t2[in2[i] + 128]) | 0, mo, so) + oo;
    if (y < lo) y = lo; else if (y > hi) y = hi;
    out[i] = y;
  }
  return Status.SUCCESS;
}

export function elementwiseAddS8Ref(in1: Int8Array, in2: Int8Array, p: AddS8Params, out: Int8Array, blockSize: number): number {
  for (let i = 0; i < blockSize; i++) {
    const x1 = ((in1[i] + p.input1Offset) * 2 ** p.leftShift) | 0;
    const x2 = ((in2[i] + p.input2Offset) * 2 ** p.leftShift) | 0;
    const a = requantize(x1, p.input1Mult, p.input1Shift);
    const b = requantize(x2, p.input2Mult, p.input2Shift);
    const y = requantize((a + b) | 0, p.outMult, p.outShift) + p.outOffset;
    out[i] = Math.min(p.outActivationMax, Math.max(p.outActivationMin, y));
  }
  return Status.SUCCESS;
}

export interface MulS8Params {
  input1Offset: number; input2Offset: number;
  outOffset: number; outMult: number; outShift: number;
  outActivationMin: number; outActivationMax: number;
}

/** arm_elementwise_mul_s8: y = clamp(requantize((x1+o1)·(x2+o2), m, s) + out_offset). */
export function elementwiseMulS8(in1: Int8Array, in2: Int8Array, p: MulS8Params, out: Int8Array, blockSize: number): number {
  const o1 = p.input1Offset | 0, o2 = p.input2Offset | 0, m = p.outMult, s = p.outShift;
  const lo = p.outActivationMin, hi = p.outActivationMax, oo = p.outOffset;
  if (mulWasm(in1, in2, out, blockSize, o1, o2, m, s, oo, lo, hi)) return Status.SUCCESS;
  for (let i = 0; i < blockSize; i++) {
    let y = requantize((in1[i] + o1) * (in2[i] + o2), m, s) + oo;
    if (y < lo) y = lo; else if (y > hi) y = hi;
    out[i] = y;
  }
  return Status.SUCCESS;
}

export function elementwiseMulS8Ref(in1: Int8Array, in2: Int8Array, p: MulS8Params, out: Int8Array, blockSize: number): number {
  for (let i = 0; i < blockSize; i++) {
    const prod = ((in1[i] + p.input1Offset) * (in2[i] + p.input2Offset)) | 0;
    const y = requantize(prod, p.outMult, p.outShift) + p.outOffset;
    out[i] = Math.min(p.outActivationMax, Math.max(p.outActivationMin, y));
  }
  return Status.SUCCESS;
}
