// The one definition of float <-> integer quantization arithmetic, shared by
// the float reference and the int8 kernels/simulator so both round alike.
//
// quantize (ExecuTorch portable/cortex_m kernel arithmetic, all in float32):
//   inv  = f32(1 / f32(scale))          scale arrives as a float64 attribute
//   v    = f32(f32(x) * inv)            x is a float32 activation
//   q    = clamp(roundHalfEven(v) + zp, qmin, qmax)
// Each f32(...) is Math.fround of an exact-or-double result, which equals the
// correctly rounded float32 operation (a float32 product is exact in float64,
// and float64 division rounded to float32 is correctly rounded).
// roundHalfEven is C's nearbyint in the default rounding mode (torch.round).
//
// dequantize:  x = f32((q - zp) * f32(scale))   ((q - zp) is an exact integer)

/** Round to the nearest integer, ties to even (0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> -0). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v); // ties toward +inf
  if (r - v === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

export function quantizeValue(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  const inv = Math.fround(1 / Math.fround(scale));
  const v = Math.fround(Math.fround(x) * inv);
  if (Number.isNaN(v)) return Math.min(Math.max(zeroPoint, qmin), qmax);
  const q = roundHalfEven(v) + zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

export function dequantizeValue(q: number, scale: number, zeroPoint: number): number {
  return Math.fround((q - zeroPoint) * Math.fround(scale));
}

/** 1.5·2^52: (v + ROUND_MAGIC) − ROUND_MAGIC rounds |v| < 2^51 half to even without a branch. */
const ROUND_MAGIC = 6755399441055744;

/**
 * `quantizeValue` over an array, with the per-call work hoisted: the same
 * numbers for every element. v is first clamped to one past the reachable
 * range, [qmin − zp − 1, qmax − zp + 1] (anything beyond rounds outside it
 * and clamps to the same bound), which also keeps the branch-free half-even
 * rounding exact; NaN passes the clamp, becomes 0 under `| 0`, and so gives
 * clamp(zp) as in `quantizeValue`.
 */
export function quantizeArray(src: ArrayLike<number>, out: { [i: number]: number }, n: number, scale: number, zeroPoint: number, qmin: number, qmax: number): void {
  const inv = Math.fround(1 / Math.fround(scale));
  const lo = qmin - zeroPoint - 1;
  const hi = qmax - zeroPoint + 1;
  for (let i = 0; i < n; i++) {
    let v = Math.fround(Math.fround(src[i]!) * inv);
    v = v < lo ? lo : v > hi ? hi : v;
    const q = ((v + ROUND_MAGIC - ROUND_MAGIC) | 0) + zeroPoint;
    out[i] = q < qmin ? qmin : q > qmax ? qmax : q;
  }
}

/** `dequantizeValue` for every int8 code, indexed by q + 128 (a lookup gives the same float32). */
export function dequantizeTable(scale: number, zeroPoint: number): Float32Array {
  const t = new Float32Array(256);
  for (let q = -128; q < 128; q++) t[q + 128] = dequantizeValue(q, scale, zeroPoint);
  return t;
}
