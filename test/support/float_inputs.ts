// Test inputs for the float kernels (not a test file): the special values, the
// breakpoints of fmath.ts with their float neighbours, subnormals, and seeded
// random floats over every magnitude and over the ranges models use.
import { mulberry32 } from "../../src/ir/prng.js";
import { bitsFloat, floatBits } from "../../src/kernels/float32/fmath.js";

const f = Math.fround;

/** x and the floats just below and above it. */
export function neighbours(x: number): number[] {
  const b = floatBits(f(x));
  if (x === 0) return [0, -0, bitsFloat(1), bitsFloat(0x80000001)];
  return [bitsFloat(b - 1), f(x), bitsFloat(b + 1)];
}

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 6, -6,
  bitsFloat(1), bitsFloat(0x80000001), bitsFloat(0x007fffff), bitsFloat(0x807fffff), // smallest / largest subnormal
  bitsFloat(0x00800000), bitsFloat(0x80800000), bitsFloat(0x7f7fffff), bitsFloat(0xff7fffff)]; // smallest normal, FLT_MAX

// Where fmath.ts switches formulas or the result leaves the float range.
const BREAKPOINTS = [89, -104, 88.7228394, -87.3365479, -103.972084, -103.278931, 0.346573591, -0.346573591,
  0.55, -0.55, 9.10000038, -9.10000038, 0.000244140625, -0.000244140625, 1.41421354, 0.707106769, 16777216, 64, 65, 0.5, 1e-30];

/** `n` seeded random floats: a third any bit pattern, a third uniform in ±r, a third log-uniform magnitudes. */
export function randomFloats(seed: number, n: number, r = 20): Float32Array {
  const rnd = mulberry32(seed);
  const out = new Float32Array(n);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    if (kind === 0) u[i] = Math.floor(rnd() * 4294967296) >>> 0;
    else if (kind === 1) out[i] = (rnd() * 2 - 1) * r;
    else out[i] = (rnd() < 0.5 ? -1 : 1) * 2 ** (rnd() * 260 - 140);
  }
  return out;
}

/** Special values, every breakpoint with its neighbours, then `n` random floats. */
export function edgeFloats(seed: number, n: number, r = 20): Float32Array {
  const edges = [...SPECIAL, ...BREAKPOINTS.flatMap((x) => [...neighbours(x), ...neighbours(-x)])];
  const out = new Float32Array(edges.length + n);
  out.set(edges);
  out.set(randomFloats(seed, n, r), edges.length);
  return out;
}
