import { quantizeMultiplier, roundHalfAway } from "../kernels/requantize.js";
import type { QParams } from "../ir/quant.js";

/** Real value → quantized, clamped to the parameters' range (round half away, as TFLite). */
export function quantizeScalar(x: number, q: QParams): number {
  const v = roundHalfAway(x / q.scale[0]!) + q.zeroPoint[0]!;
  return Math.min(q.qmax, Math.max(q.qmin, v));
}

/** Per-output-channel (multiplier, shift) for s_in · s_w[c] / s_out. */
export function channelMultipliers(sIn: number, sW: readonly number[], sOut: number, channels: number): { mult: Int32Array; shift: Int32Array } {
  const mult = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = quantizeMultiplier((sIn * (sW.length === 1 ? sW[0]! : sW[c]!)) / sOut);
    mult[c] = m.multiplier;
    shift[c] = m.shift;
  }
  return { mult, shift };
}

export { quantizeMultiplier };
