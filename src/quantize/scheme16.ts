// The 16x8 scheme CMSIS-NN implements for its *_s16 kernels: int16
// activations symmetric per tensor (zero point 0, [-32768, 32767]), int8
// weights as in the int8 scheme, and an int64 bias with scale s_in·s_w (the
// s16 convolutions add it to a 64-bit accumulator). Scales are float32, as in
// scheme.ts, because every consumer stores them that way.
import { perChannel, perTensor, type QParams } from "../ir/quant.js";
import { quantizeValue, roundHalfEven } from "../ops/quant/rounding.js";

export const I16_MIN = -32768;
export const I16_MAX = 32767;
/** The int64 bias is held in a Float64Array (dtype.ts): exact up to 2^53, far beyond any real bias. */
const I64_EXACT = 2 ** 53;

/** Smallest scale handed out (a constant-zero tensor still needs a positive scale); as scheme.ts. */
const MIN_SCALE = 1e-8;

/**
 * int16 parameters for the observed real range [min, max]: symmetric around 0,
 * the larger magnitude mapped to 32767. Symmetric costs one bit at most
 * against an asymmetric range, and is what the s16 kernels require (they take
 * no input or output offset). When every observed value lies on a power-of-two
 * grid (PowerOfTwoGridObserver: 16-bit PCM audio on 2^-15) and the range fits
 * 32767 steps of it, the scale is that grid: the data is then held exactly.
 */
export function activationQParams16(min: number, max: number, grid: number | null = null): QParams {
  const m = Math.max(Math.abs(min), Math.abs(max));
  if (grid !== null && grid >= MIN_SCALE && m / grid <= I16_MAX) return perTensor(Math.fround(grid), 0, "i16", I16_MIN, I16_MAX);
  const scale = Math.fround(m > 0 ? Math.max(m / I16_MAX, MIN_SCALE) : 1 / I16_MAX);
  return perTensor(scale, 0, "i16", I16_MIN, I16_MAX);
}

/**
 * int64 bias of an s16 convolution: scale s_in·s_w[c], zero point 0, per
 * channel along axis 0 (one form for the lowering, as quantizeBias).
 */
export function quantizeBias64(b: Float32Array, inputScale: number, weightScales: readonly number[]): { data: Float64Array; qparams: QParams } {
  const scales = Array.from(b, (_, c) => Math.fround(inputScale * weightScales[weightScales.length === 1 ? 0 : c]!));
  const data = new Float64Array(b.length);
  for (let c = 0; c < b.length; c++) {
    const q = roundHalfEven(b[c]! / scales[c]!);
    data[c] = q < -I64_EXACT ? -I64_EXACT : q > I64_EXACT ? I64_EXACT : q;
  }
  return { data, qparams: perChannel(scales, 0, "i64", -I64_EXACT, I64_EXACT) };
}

/** A constant read as an int16 activation: the quantize node's arithmetic, folded (as quantizeConstActivation). */
export function quantizeConstActivation16(x: Float32Array, q: QParams): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = quantizeValue(x[i]!, q.scale[0]!, q.zeroPoint[0]!, q.qmin, q.qmax);
  return out;
}
