// The one seeded random source of the project (built-in weights, random inputs
// and calibration data, the planner's perturbation search, test data), so a
// model name plus a seed always means the same numbers on every machine.

/** mulberry32: a 32-bit state PRNG, small and good enough for weight init. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal (Box–Muller; one draw per call keeps the stream simple). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  uniformArray(n: number, lo: number, hi: number): Float32Array {
    // mulberry32 inlined (the same stream as next()): built-in models draw tens of millions.
    const a = new Float32Array(n);
    const span = hi - lo;
    let st = this.state;
    for (let i = 0; i < n; i++) {
      st = (st + 0x6d2b79f5) >>> 0;
      let t = Math.imul(st ^ (st >>> 15), st | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      a[i] = lo + span * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
    }
    this.state = st;
    return a;
  }

  normalArray(n: number, std = 1): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.normal() * std;
    return a;
  }

  /** An independent stream derived from this one (so adding a layer does not reshuffle later inputs). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }
}

/** The same stream as a plain function: uniform in [0, 1) per call. */
export function mulberry32(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/** Seeded standard-normal tensor data, e.g. for test inputs. */
export function randn(seed: number, n: number, std = 1): Float32Array {
  return new Rng(seed).normalArray(n, std);
}
