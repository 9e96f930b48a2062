/**
 * arm_softmax_s16 and the two 513-entry int16 tables it interpolates in (cmsis_nn_softmax_lut_s16):
 *  - exp(x) for x uniform on [−10, 0], output range [−1, 1) ⇒ Q0.15;
 *  - 1/(1 + x) for x uniform on [0, 1], same output range.
 * 512 steps are indexed by the top 9 bits of a symmetric int16 and the low 7 bits interpolate (the 513th entry is
 * only the end of the last slope). The tables are TFLite Micro's (gen_lut in float32, int16 in and out): every
 * entry is the rounded sample minus half the rounded error the interpolation makes at the step's midpoint.
 *
 * Caller parameters (TFLite Micro's int16 softmax): the diff to the row max is scaled by (mult, shift) =
 * QuantizeMultiplier(input_scale · β / (10 / 65535)) so that [−65535, 0] covers [−10, 0]; the output is
 * int16 with scale 1/32768, zero point 0.
 */
import { Status } from './types.js';
import { requantize } from './requantize.js';

const f32 = Math.fround;
/** TfLiteRound = std::round: half away from zero (on a float32 value, exact in float64). */
const roundAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/** gen_lut<float, int16_t, int16_t>(func, min, max, −1, 1): every intermediate rounded to float32 like the C++. */
function genLutS16(func: (x: number) => number, inMin: number, inMax: number): Int16Array {
  const steps = 512;
  const lut = new Int16Array(steps + 1);
  const step = f32(f32(inMax - inMin) / steps);
  const halfStep = f32(step / 2);
  const scale = 32768; // (int16 max − min + 1) / (output max − min), exact in float32
  const clamp = (v: number): number => Math.min(Math.max(v, -32768), 32767);
  for (let i = 0; i < steps; i++) {
    const at = f32(inMin + f32(i * step));
    const val = f32(func(at));
    const valMid = f32(func(f32(at + halfStep)));
    const valNext = f32(func(f32(inMin + f32((i + 1) * step))));
    const sample = roundAway(f32(val * scale));
    const midInterp = roundAway(f32(f32(f32(valNext * scale) + roundAway(f32(val * scale))) / 2));
    const midVal = roundAway(f32(valMid * scale));
    const bias = roundAway(f32((midInterp - midVal) / 2));
    lut[i] = clamp(sample - bias);
  }
  lut[steps] = clamp(roundAway(f32(func(inMax) * scale)));
  return lut;
}

/** The exp table on [−10, 0] (expf, float32 throughout). */
export function softmaxS16ExpLut(): Int16Array {
  return genLutS16((x) => f32(Math.exp(x)), -10, 0);
}

/** The 1/(1 + x) table on [0, 1]. */
export function softmaxS16OneByOneLut(): Int16Array {
  return genLutS16((x) => f32(1 / f32(1 + x)), 0, 1);
}

/** Interpolates a 513-entry table at a symmetric int16 position (top 9 bits index, low 7 bits weigh the slope). */
function lookup(lut: Int16Array, pos: number): number {
  const index = 256 + (pos >> 7);
  const base = lut[index]!;
  const slope = ((lut[index + 1]! - base) << 16) >> 16; // the C int16 holding the difference
  const delta = (((slope * (pos & 0x7f) + 64) >> 7) << 16) >> 16;
  return ((base + delta) << 16) >> 16;
}

/** arm_softmax_s16(input, num_rows, row_size, mult, shift, {exp_lut, one_by_one_lut}, output). */
export function softmaxS16(input: Int16Array, numRows: number, rowSize: number, mult: number, shift: number,
  expLut: Int16Array | null, oneByOneLut: Int16Array | null, output: Int16Array): number {
  if (!expLut || !oneByOneLut) return Status.ARG_ERROR;
  const cache = new Int16Array(rowSize);
  for (let r = 0; r < numRows; r++) {
    const row = r * rowSize;
    let max = input[row]!;
    for (let c = 1; c < rowSize; c++) if (input[row + c]! > max) max = input[row + c]!;
    let sum = 0;
    for (let c = 0; c < rowSize; c++) {
      // diff ≤ 0 scaled so that −65535 is −10, re-centred to a symmetric int16 (0 ↦ 32767) and saturated.
      const scaled = requantize(input[row + c]! - max, mult, shift) + 32767;
      const e = lookup(expLut, scaled < -32768 ? -32768 : scaled > 32767 ? 32767 : scaled);
      cache[c] = e;
      sum = (sum + e) | 0;
    }
    const headroom = Math.clz32(sum);
    // sum in [1, 2) as Q1.15 with the top bit dropped (x = sum − 1), then re-centred: −65536 − 32768.
    const shiftedSum = ((Math.imul(sum, 2 ** (headroom - 1)) + (1 << 13)) | 0) >> 14;
    const inv = lookup(oneByOneLut, (((shiftedSum - 98304) << 16) >> 16));
    const rightShift = 30 - headroom;
    for (let c = 0; c < rowSize; c++) {
      const y = (cache[c]! * inv) >> rightShift;
      output[row + c] = (y + 1) >> 1;
    }
  }
  return Status.SUCCESS;
}
