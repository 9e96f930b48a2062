// Observers watch the float values of one quantization group during
// calibration and propose its real range. Both kinds are deterministic: the
// same tensors in the same order give bit-identical ranges.
import { UserError } from "../ir/errors.js";
import { HistogramObserver, type HistogramOptions } from "./histogram.js";

export interface Observer {
  observe(data: ArrayLike<number>): void;
  /** The chosen real range, or null if nothing finite was observed. */
  range(): [number, number] | null;
}

/** Running min/max over every finite element. */
export class MinMaxObserver implements Observer {
  private lo = Infinity;
  private hi = -Infinity;
  observe(data: ArrayLike<number>): void {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    // NaN never passes the comparisons; ±Inf would make every scale useless.
    if (Number.isFinite(lo)) this.lo = lo;
    if (Number.isFinite(hi)) this.hi = hi;
  }
  range(): [number, number] | null {
    return this.lo <= this.hi ? [this.lo, this.hi] : null;
  }
}

/** Coarsest power of two tried, and finest: below 2^-24 a grid is float32's own spacing, not the data's. */
const GRID_MAX_EXP = 15;
const GRID_MIN_EXP = -24;

/**
 * The coarsest power of two g such that every observed value is an integer
 * multiple of g, or null when none down to 2^-24 is (or nothing non-zero was
 * seen). Audio read from 16-bit PCM lies on 2^-15: an int16 tensor with that
 * scale holds it exactly, where the max-abs scale (a little finer, not a
 * multiple) rounds every sample once more. Quiet frames of a VAD are a few
 * such steps, so that rounding is not negligible there (Silero v5: int16 input
 * at the max-abs scale alone moves p by 0.04 on a −60 dB gap between words).
 */
export class PowerOfTwoGridObserver {
  private exp: number | null = GRID_MAX_EXP;
  private seen = false;
  observe(data: ArrayLike<number>): void {
    let e = this.exp;
    if (e === null) return;
    let g = 2 ** e;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x === 0 || !Number.isFinite(x)) continue;
      this.seen = true;
      while (!Number.isInteger(x / g)) {
        if (--e < GRID_MIN_EXP) {
          this.exp = null;
          return;
        }
        g = 2 ** e;
      }
    }
    this.exp = e;
  }
  grid(): number | null {
    return this.seen && this.exp !== null ? 2 ** this.exp : null;
  }
}

export type ObserverKind = "minmax" | "histogram";

export interface ObserverOptions {
  /** Range observer for activations (default "histogram", as the reference quantizer). */
  kind?: ObserverKind;
  histogram?: HistogramOptions;
}

export function createObserver(opts: ObserverOptions = {}): Observer {
  const kind = opts.kind ?? "histogram";
  switch (kind) {
    case "minmax": return new MinMaxObserver();
    case "histogram": return new HistogramObserver(opts.histogram);
    default: throw new UserError(`--observer: unknown observer ${JSON.stringify(kind)} (expected minmax or histogram)`);
  }
}
