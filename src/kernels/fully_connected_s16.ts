/**
 * arm_fully_connected_s16 (16x8): int16 activations (zero point 0, so fc_params' offsets are unused), int8
 * weights [O, K], optional int64 bias [O], one per-tensor (multiplier, shift). For each batch row and each output:
 * acc = Σ x·w (+ bias), y = clamp(arm_nn_requantize_s64(acc, REDUCE_MULTIPLIER(multiplier), shift)).
 *
 * The accumulation here is exact. The library's scalar build (host, Cortex-M3) accumulates in int64 and agrees
 * always; its DSP / MVE builds sum the first 512 columns in int32, which only differs when that partial sum leaves
 * int32 (every product near ±32768·±128 over ~512 columns): the vectors keep clear of that, as does real data.
 */
import { Status } from './types.js';
import { requantizeS64 } from './requantize.js';

export interface FcS16Params { multiplier: number; shift: number; activationMin: number; activationMax: number }

/**
 * arm_fully_connected_s16(ctx, fc_params, quant_params, input_dims, input, filter_dims, kernel, bias_dims, bias,
 * output_dims, output): `batches` = input_dims.n, `depth` = filter_dims.n (K), `outDepth` = output_dims.c (O).
 */
export function fullyConnectedS16(p: FcS16Params, input: Int16Array, batches: number, depth: number, weights: Int8Array,
  bias: BigInt64Array | null, outDepth: number, output: Int16Array): number {
  const lo = p.activationMin, hi = p.activationMax;
  for (let b = 0; b < batches; b++) {
    const x = b * depth;
    for (let o = 0; o < outDepth; o++) {
      const w = o * depth;
      // |x·w| ≤ 2^22, so a float64 sum is exact for any K below 2^31.
      let acc = 0;
      for (let k = 0; k < depth; k++) acc += input[x + k]! * weights[w + k]!;
      let total: number | bigint = acc;
      if (bias) {
        const withBias = acc + Number(bias[o]!);
        total = Number.isSafeInteger(withBias) ? withBias : BigInt(acc) + bias[o]!;
      }
      let y = requantizeS64(total, p.multiplier, p.shift);
      if (y < lo) y = lo; else if (y > hi) y = hi;
      output[b * outDepth + o] = y;
    }
  }
  return Status.SUCCESS;
}

