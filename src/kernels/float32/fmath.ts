// The project's own single-precision exp / log / tanh / sigmoid / pow, the
// twin of csrc/codegen_support/clg_fmath.c. Both sides are written with the
// same float operations in the same order, so they give the same bits: every
// +, −, ×, ÷ of two floats is rounded once to float here with Math.fround
// (a double result of such an operation, rounded to float, equals the single-
// precision result: 53 ≥ 2·24 + 2), the C is compiled with -ffp-contract=off,
// and nothing is left to a libm whose results differ between libraries.
// sqrt is IEEE's correctly rounded square root on both sides.
const f = Math.fround;

const BITS_F = new Float32Array(1);
const BITS_U = new Uint32Array(BITS_F.buffer);

export function floatBits(x: number): number {
  BITS_F[0] = x;
  return BITS_U[0]!;
}

export function bitsFloat(u: number): number {
  BITS_U[0] = u >>> 0;
  return BITS_F[0]!;
}

// Constants: the float nearest to each decimal (9 digits round-trip a float);
// clg_fmath.c spells the same decimals with an f suffix.
const LOG2E = f(1.44269502);
const LN2_HI = f(0.693145752); // 0x3f317200: 15 significant bits, so k·LN2_HI is exact for |k| < 512
const LN2_LO = f(1.42860677e-6); // ln 2 − LN2_HI
const ROUND_SHIFT = f(12582912); // 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer
// exp(r) = 1 + r + r²·(E2 + r·(E3 + …)), Taylor coefficients 1/k!, |r| ≤ ~0.35
const E2 = f(0.5), E3 = f(0.166666672), E4 = f(0.0416666679), E5 = f(0.00833333377), E6 = f(0.00138888892), E7 = f(0.000198412701);
const EXP_HI = f(89); // exp(89) > FLT_MAX
const EXP_LO = f(-104); // exp(-104) < 2^-150: rounds to 0
const SQRT2_BITS = 0x3fb504f3;
// log(1+f) = f − hfsq + s·(hfsq + R), s = f/(2+f), R = z·(L1 + z·(L2 + …)), z = s²: the series of 2·atanh(s)
const L1 = f(0.666666687), L2 = f(0.400000006), L3 = f(0.285714298), L4 = f(0.222222224);
// tanh(x) = x + x·z·(T1 + z·(T2 + …)), z = x², Taylor, |x| < TANH_POLY
const T1 = f(-0.333333343), T2 = f(0.13333334), T3 = f(-0.0539682545), T4 = f(0.0218694881), T5 = f(-0.00886323582),
  T6 = f(0.00359212793), T7 = f(-0.00145583437), T8 = f(0.000590027426);
const TANH_POLY = f(0.55);
const TANH_ONE = f(9.10000038); // 1 − tanh(9.1) < 2^-25: rounds to 1
const TANH_TINY = f(0.000244140625); // 2^-12: tanh(x) rounds to x below
const POW_BIG = 16777216; // 2^24
const POW_SQUARING = 64;

/** 2^n as a float, for −126 ≤ n ≤ 127. */
const pow2 = (n: number): number => bitsFloat((n + 127) << 23);

/** exp(x) in single precision, ≤ 2 ulp. */
export function fexp(x: number): number {
  if (x !== x) return x;
  if (x > EXP_HI) return Infinity;
  if (x < EXP_LO) return 0;
  // n = round(x / ln 2); r = x − n·ln 2 in two parts (Cody–Waite)
  const n = f(f(f(x * LOG2E) + ROUND_SHIFT) - ROUND_SHIFT);
  const r = f(f(x - f(n * LN2_HI)) - f(n * LN2_LO));
  const q = f(E2 + f(r * f(E3 + f(r * f(E4 + f(r * f(E5 + f(r * f(E6 + f(r * E7))))))))));
  const p = f(1 + f(r + f(f(r * r) * q)));
  // p·2^n, rounded once: via 2^127 above the float range, via 2^-100 into the subnormals
  if (n > 127) return f(f(p * pow2(127)) * pow2(n - 127));
  if (n < -125) return f(f(p * pow2(n + 100)) * pow2(-100));
  return f(p * pow2(n));
}

/** Natural log in single precision, ≤ 2 ulp; log(−x) = NaN, log(±0) = −∞. */
export function flog(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x < 0) return NaN;
  if (x === 0) return -Infinity;
  let ix = floatBits(x);
  let k = 0;
  if (ix < 0x00800000) {
    // subnormal: scale into the normal range (exact)
    ix = floatBits(f(x * 33554432)); // 2^25
    k = -25;
  }
  k += (ix >>> 23) - 127;
  let m = (ix & 0x7fffff) | 0x3f800000; // [1, 2)
  if (m > SQRT2_BITS) {
    m = (ix & 0x7fffff) | 0x3f000000; // [√2/2, 1)
    k += 1;
  }
  const fr = f(bitsFloat(m) - 1);
  const s = f(fr / f(2 + fr));
  const z = f(s * s);
  const R = f(z * f(L1 + f(z * f(L2 + f(z * f(L3 + f(z * L4)))))));
  const hfsq = f(f(0.5 * fr) * fr);
  const kf = k; // |k| < 2^24: exact as a float
  return f(f(kf * LN2_HI) + f(fr - f(hfsq - f(f(s * f(hfsq + R)) + f(kf * LN2_LO)))));
}

/** tanh in single precision, ≤ 3 ulp. */
export function ftanh(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < TANH_TINY) return x;
  let t: number;
  if (a > TANH_ONE) t = 1;
  else if (a >= TANH_POLY) t = f(1 - f(2 / f(fexp(f(a + a)) + 1)));
  else {
    const z = f(a * a);
    const P = f(T1 + f(z * f(T2 + f(z * f(T3 + f(z * f(T4 + f(z * f(T5 + f(z * f(T6 + f(z * f(T7 + f(z * T8))))))))))))));
    t = f(a + f(a * f(z * P)));
  }
  return x < 0 ? -t : t;
}

/** 1 / (1 + exp(−x)), written so that neither side overflows: ≤ 3 ulp. */
export function fsigmoid(x: number): number {
  if (x >= 0) return f(1 / f(1 + fexp(-x)));
  const e = fexp(x);
  return f(e / f(1 + e));
}

export function fsqrt(x: number): number {
  return f(Math.sqrt(x));
}

/**
 * pow(a, b): integral |b| ≤ 64 by square-and-multiply (one rounding per product:
 * exact where the result is, ~|b|/2 ulp at worst), b = ½ as sqrt, otherwise
 * ±exp(b·log|a|) (its error grows with |b·log a|: ~|b·log a|·2^-24 relative).
 */
export function fpow(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a !== a || b !== b) return NaN;
  const bAbs = Math.abs(b);
  const big = bAbs >= POW_BIG; // every float this large is an even integer (or ±∞)
  const integral = big || Math.trunc(b) === b;
  if (integral && bAbs <= POW_SQUARING) {
    let e = bAbs;
    let base = a;
    let r = 1;
    for (;;) {
      if (e & 1) r = f(r * base);
      e >>>= 1;
      if (e === 0) break;
      base = f(base * base);
    }
    return b < 0 ? f(1 / r) : r;
  }
  if (b === 0.5 && a > 0) return fsqrt(a);
  let m = a;
  let neg = false;
  if (a < 0) {
    if (!integral) return NaN;
    m = -a;
    neg = !big && (Math.trunc(bAbs) & 1) === 1;
  }
  const r = m === 1 ? 1 : fexp(f(b * flog(m)));
  return neg ? -r : r;
}
