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
