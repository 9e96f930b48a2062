/**
 * arm_batch_matmul_s8 (equal batch dims): for each batch b, row i of lhs and
 * row j of the transposed rhs,
 *   acc = Σ_k (lhs[b,i,k] + lhs_offset)·(rhs[b,j,k] + rhs_offset)   (no bias)
 *   out[b,i,j] = clamp(requantize(acc, multiplier, shift) + output_offset, act_min, act_max).
 * Every product fits 17 bits, so the float64 sum is exact; it is wrapped to
 * int32 as the library's accumulator would be.
 */
import { Status, type Activation } from './types.js';
import { requantize } from './requantize.js';

export interface BatchMatmulS8Params {
  lhsOffset: number;
  rhsOffset: number;
  outputOffset: number;
  activation: Activation;
  multiplier: number;
  shift: number;
}

export function batchMatmulS8(p: BatchMatmulS8Params, batches: number, m: number, n: number, k: number,
  lhs: Int8Array, rhs: Int8Array, output: Int8Array): number {
  const lo = p.lhsOffset | 0, ro = p.rhsOffset | 0;
  const amin = p.activation.min, amax = p.activation.max;
  for (let b = 0; b < batches; b++) {
    const lb = b * m * k, rb = b * n * k, ob = b * m * n;
    for (let i = 0; i < m; i++) {
      const li = lb + i * k;
      for (let j = 0; j < n; j++) {
        const rj = rb + j * k;
        let acc = 0;
        for (let t = 0; t < k; t++) acc += (lhs[li + t]! + lo) * (rhs[rj + t]! + ro);
        let y = requantize(acc | 0, p.multiplier, p.shift) + p.outputOffset;
        if (y < amin) y = amin; else if (y > amax) y = amax;
        output[ob + i * n + j] = y;
      }
    }
  }
  return Status.SUCCESS;
}
