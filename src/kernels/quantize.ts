/**
 * Float ↔ int8/int16 per-tensor (de)quantization.
 * Rounding: round half to EVEN (like torch.quantize_per_tensor / numpy.round / C nearbyint), q = clamp(rhe(x/scale) + zp).
 * Pass `rounding: 'half-away'` for TFLite-style std::round.
 */
import { roundHalfEven, roundHalfAway } from './requantize.js';

export type Rounding = 'half-even' | 'half-away';

export function quantizeS8(x: ArrayLike<number>, scale: number, zeroPoint: number, out?: Int8Array, rounding: Rounding = 'half-even'): Int8Array {
  const o = out ?? new Int8Array(x.length);
  const r = rounding === 'half-even' ? roundHalfEven : roundHalfAway;
  for (let i = 0; i < x.length; i++) {
    let v = r(x[i] / scale) + zeroPoint;
    if (!(v >= -128)) v = -128; else if (v > 127) v = 127;
    o[i] = v;
  }
  return o;
}

/** real = scale·(q − zp) */
export function dequantize(q: ArrayLike<number>, scale: number, zeroPoint: number, out?: Float32Array): Float32Array {
  const o = out ?? new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) o[i] = scale * (q[i] - zeroPoint);
  return o;
}
