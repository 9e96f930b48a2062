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
import { Status, type Dims } from './types.js';

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
