/**
 * arm_elementwise_add_s8 / arm_elementwise_mul_s8 (flat block, no broadcasting; offsets are −zp (inputs), +zp
 * (output)) and arm_maximum_s8 / arm_minimum_s8 (below).
 */
import { Status, type Dims } from './types.js';
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

/**
 * arm_maximum_s8 / arm_minimum_s8 (CMSIS-NN ≥ 7.0, BasicMathFunctions): elementwise max / min of two int8
 * NHWC tensors, no requantization (both inputs and the output carry one parameter set).
 *
 * Real API: arm_maximum_s8(ctx, input_1_data, input_1_dims, input_2_data, input_2_dims, output_data, output_dims);
 * ctx is unused. Broadcasting: each input dim equals the output dim or is 1 (TFLite Micro's 4-D broadcast).
 * The library handles equal shapes and a one-element operand directly; its row-level broadcast of an operand
 * whose W·C is 1 while H > 1 (e.g. [1,2,1,1] against [1,2,3,4]) reads the wrong elements in this snapshot
 * (measured with test/vectors/minmax_s8/make_vectors.c), so the lowering only ever asks for equal shapes or a
 * one-element operand; this twin computes the broadcast as specified for every shape.
 */
/** Each input dim must equal the output dim or be 1. */
function broadcastable(a: Dims, o: Dims): boolean {
  return (['n', 'h', 'w', 'c'] as const).every((k) => a[k] === o[k] || a[k] === 1);
}

function minMax(in1: Int8Array, d1: Dims, in2: Int8Array, d2: Dims, out: Int8Array, od: Dims, max: boolean): number {
  if (!broadcastable(d1, od) || !broadcastable(d2, od)) return Status.ARG_ERROR;
  // Strides of a broadcast dim are 0, so one walk over the output covers every case.
  const strides = (d: Dims): [number, number, number, number] => [
    d.n === 1 ? 0 : d.h * d.w * d.c, d.h === 1 ? 0 : d.w * d.c, d.w === 1 ? 0 : d.c, d.c === 1 ? 0 : 1,
  ];
  const [an, ah, aw, ac] = strides(d1);
  const [bn, bh, bw, bc] = strides(d2);
  let o = 0;
  for (let n = 0; n < od.n; n++) {
    for (let h = 0; h < od.h; h++) {
      for (let w = 0; w < od.w; w++) {
        let i = n * an + h * ah + w * aw;
        let j = n * bn + h * bh + w * bw;
        for (let c = 0; c < od.c; c++, i += ac, j += bc) {
          const x = in1[i]!, y = in2[j]!;
          out[o++] = max ? (x >= y ? x : y) : (x >= y ? y : x);
        }
      }
    }
  }
  return Status.SUCCESS;
}

/** arm_maximum_s8: out = max(in1, in2) with broadcasting. */
export function maximumS8(in1: Int8Array, d1: Dims, in2: Int8Array, d2: Dims, out: Int8Array, od: Dims): number {
  return minMax(in1, d1, in2, d2, out, od, true);
}

/** arm_minimum_s8: out = min(in1, in2) with broadcasting. */
export function minimumS8(in1: Int8Array, d1: Dims, in2: Int8Array, d2: Dims, out: Int8Array, od: Dims): number {
  return minMax(in1, d1, in2, d2, out, od, false);
}
