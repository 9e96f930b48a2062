// A histogram observer: keeps a fixed number of equal-width bins over the
// range seen so far (always containing 0) and picks the clipping range that
// minimises the expected squared quantization error of an int8 affine grid:
// rounding noise step²/12 for every element inside the range plus the squared
// distance to the nearest end for every element clipped outside it.
// Deterministic: counts are redistributed proportionally when the range grows,
// and the search visits candidates in a fixed order.

export interface HistogramOptions {
  /** Number of bins (default 2048). More bins: finer choice of range, slower search. */
  bins?: number;
  /** Number of quantization steps the range is divided into (default 255 for int8). */
  levels?: number;
}

export class HistogramObserver {
  readonly bins: number;
  readonly levels: number;
  private counts: Float64Array;
  private lo = 0;
  private hi = 0;
  private total = 0;

  constructor(opts: HistogramOptions = {}) {
    this.bins = opts.bins ?? 2048;
    this.levels = opts.levels ?? 255;
    if (!Number.isInteger(this.bins) || this.bins < 16) throw new RangeError(`histogram bins must be an integer ≥ 16, got ${this.bins}`);
    this.counts = new Float64Array(this.bins);
  }

  observe(data: ArrayLike<number>): void {
    let mn = Infinity;
    let mx = -Infinity;
    let n = 0;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (!Number.isFinite(x)) continue;
      if (x < mn) mn = x;
      if (x > mx) mx = x;
      n++;
    }
    if (n === 0) return;
    const lo = Math.min(mn, this.lo);
    const hi = Math.max(mx, this.hi);
    if (lo < this.lo || hi > this.hi) this.rebin(lo, hi);
    const B = this.bins;
    if (this.hi === this.lo) {
      // Everything seen so far is exactly 0: keep it as a point mass in the zero bin.
      this.counts[0]! += n;
    } else {
      const inv = B / (this.hi - this.lo);
      for (let i = 0; i < data.length; i++) {
        const x = data[i]!;
        if (!Number.isFinite(x)) continue;
        let k = Math.floor((x - this.lo) * inv);
        if (k >= B) k = B - 1;
        else if (k < 0) k = 0;
        this.counts[k]! += 1;
      }
    }
    this.total += n;
  }

  /** Widen the histogram to [lo, hi], spreading each old bin over the new bins it overlaps. */
  private rebin(lo: number, hi: number): void {
    const B = this.bins;
    const old = this.counts;
    const oLo = this.lo;
    const oW = (this.hi - this.lo) / B;
    this.counts = new Float64Array(B);
    this.lo = lo;
    this.hi = hi;
    if (this.total === 0) return;
    const W = (hi - lo) / B;
    const binOf = (x: number): number => Math.min(B - 1, Math.max(0, Math.floor((x - lo) / W)));
    for (let k = 0; k < B; k++) {
      const c = old[k]!;
      if (c === 0) continue;
      if (oW === 0) {
        this.counts[binOf(oLo)]! += c;
        continue;
      }
      const a = oLo + k * oW;
      const b = a + oW;
      const first = binOf(a);
      const last = binOf(b);
      if (first === last) {
        this.counts[first]! += c;
        continue;
      }
      for (let m = first; m <= last; m++) {
        const s = Math.max(a, lo + m * W);
        const e = Math.min(b, lo + (m + 1) * W);
        if (e > s) this.counts[m]! += (c * (e - s)) / oW;
      }
    }
  }

  range(): [number, number] | null {
    if (this.total === 0) return null;
    if (this.hi === this.lo) return [0, 0];
    const B = this.bins;
    const w = (this.hi - this.lo) / B;
    const lo = this.lo;
    // Prefix sums of count, count·x and count·x² at bin centres.
    const S0 = new Float64Array(B + 1);
    const S1 = new Float64Array(B + 1);
    const S2 = new Float64Array(B + 1);
    for (let k = 0; k < B; k++) {
      const c = this.counts[k]!;
      const x = lo + (k + 0.5) * w;
      S0[k + 1] = S0[k]! + c;
      S1[k + 1] = S1[k]! + c * x;
      S2[k + 1] = S2[k]! + c * x * x;
    }
    const edge = (i: number): number => (i === B ? this.hi : lo + i * w);
    const steps2 = 12 * this.levels * this.levels;
    const err = (i: number, j: number): number => {
      const a = edge(i);
      const b = edge(j);
      const nIn = S0[j]! - S0[i]!;
      const below = S2[i]! - 2 * a * S1[i]! + a * a * S0[i]!;
      const aS0 = S0[B]! - S0[j]!;
      const aS1 = S1[B]! - S1[j]!;
      const aS2 = S2[B]! - S2[j]!;
      const above = aS2 - 2 * b * aS1 + b * b * aS0;
      return (nIn * (b - a) * (b - a)) / steps2 + below + above;
    };
    // The range must contain 0: lower edges at or below it, upper edges at or above it.
    const iMax = Math.min(B - 1, Math.floor(-lo / w));
    const jMin = Math.max(1, Math.min(B, Math.ceil(-lo / w)));
    const stride = Math.max(1, Math.ceil(B / 256));
    let best = Infinity;
    let bi = 0;
    let bj = B;
    const visit = (i: number, j: number): void => {
      if (i < 0 || i > iMax || j < jMin || j > B || j <= i) return;
      const e = err(i, j);
      if (e < best) {
        best = e;
        bi = i;
        bj = j;
      }
    };
    const coarse = (from: number, to: number): number[] => {
      const out: number[] = [];
      for (let x = from; x < to; x += stride) out.push(x);
      out.push(to);
      return out;
    };
    // Coarse grid first (includes the full range), then every edge near the coarse optimum.
    for (const i of coarse(0, iMax)) for (const j of coarse(jMin, B)) visit(i, j);
    const ci = bi;
    const cj = bj;
    for (let i = ci - stride; i <= ci + stride; i++) for (let j = cj - stride; j <= cj + stride; j++) visit(i, j);
    return [Math.min(edge(bi), 0), Math.max(edge(bj), 0)];
  }
}
