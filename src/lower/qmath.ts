import { quantizeMultiplier as kernelMultiplier, roundHalfAway, type QuantizedMultiplier } from "../kernels/requantize.js";
import { UserError } from "../ir/errors.js";
import type { QParams } from "../ir/quant.js";

/** Largest left shift CMSIS-NN's requantization takes (its shift range is [−31, 30]). */
export const MAX_REQUANT_SHIFT = 30;

/** A requantization scale no CMSIS-NN (multiplier, shift) expresses; LowerQuantizedOps names the node. */
export class RequantRangeError extends UserError {}

/**
 * TFLite's QuantizeMultiplier, refusing scales of 2^30 and more: the C kernels
 * shift by up to 30 (beyond, `1 << shift` is undefined behaviour in C, and the
 * simulator would wrap). Such a scale comes from a degenerate float model — an
 * output range that is tiny next to its input and weight ranges.
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  const q = kernelMultiplier(real);
  if (q.shift > MAX_REQUANT_SHIFT) {
    throw new RequantRangeError(
      `requantization scale ${real.toPrecision(3)} needs a left shift of ${q.shift}; CMSIS-NN takes at most ${MAX_REQUANT_SHIFT} ` +
        "(the output's range is tiny next to its inputs' and weights')",
    );
  }
  return q;
}

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
