// Accuracy of the project's single-precision math against float64 Math.*
// rounded to float (distance in floats, "ulp"), over dense seeded samples of
// each function's whole range, subnormal results included; and the IEEE
// special cases. A sloppy approximation (a short polynomial, a reduction that
// loses bits, a wrong constant) fails the bounds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../ir/prng.js";
import { bitsFloat, fexp, flog, floatBits, fpow, fsigmoid, fsqrt, ftanh } from "./fmath.js";
import { edgeFloats } from "../../../test/support/float_inputs.js";

const f = Math.fround;

/** Floats between a and b (same sign ordering through zero). */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  const ord = (x: number) => {
    const u = floatBits(x);
    return u & 0x80000000 ? -(u & 0x7fffffff) : u;
  };
  return Math.abs(ord(a) - ord(b));
}

function worst(fn: (x: number) => number, ref: (x: number) => number, xs: Iterable<number>) {
  let w = 0, at = NaN;
  for (const x of xs) {
    const e = ulps(fn(x), f(ref(x)));
    if (e > w) [w, at] = [e, x];
  }
  return { w, at };
}

function* uniform(seed: number, n: number, lo: number, hi: number) {
  const rnd = mulberry32(seed);
  for (let i = 0; i < n; i++) yield f(lo + (hi - lo) * rnd());
}

function* logUniform(seed: number, n: number, lo: number, hi: number) {
  const rnd = mulberry32(seed);
  for (let i = 0; i < n; i++) yield f(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rnd()));
}

const sigmoid64 = (x: number) => 1 / (1 + Math.exp(-x));
const N = 300_000;

test("exp: within 1 ulp of the correctly rounded result over (-104, 89), subnormal results included", () => {
  for (const [lo, hi] of [[-104, 89], [-1, 1], [-104, -87]] as const) {
    const { w, at } = worst(fexp, Math.exp, uniform(1, N, lo, hi));
    assert.ok(w <= 1, `exp: ${w} ulp at ${at} in [${lo}, ${hi}]`);
  }
  assert.equal(fexp(0), 1);
  assert.equal(fexp(-Infinity), 0);
  assert.equal(fexp(Infinity), Infinity);
  assert.equal(fexp(89), Infinity);
  assert.equal(fexp(88.72283), f(Math.exp(88.72283)), "largest finite result");
  assert.equal(fexp(-103.9), f(Math.exp(-103.9)), "smallest subnormal result");
  assert.ok(Number.isNaN(fexp(NaN)));
});

test("log: within 1 ulp over every positive float, subnormals included", () => {
  for (const [lo, hi] of [[1e-45, 3.4e38], [0.5, 2], [1e-44, 1e-38]] as const) {
    const { w, at } = worst(flog, Math.log, logUniform(2, N, lo, hi));
    assert.ok(w <= 1, `log: ${w} ulp at ${at} in [${lo}, ${hi}]`);
  }
  const { w, at } = worst(flog, Math.log, uniform(3, N, 0.9, 1.1));
  assert.ok(w <= 1, `log near 1: ${w} ulp at ${at}`);
  assert.equal(flog(1), 0);
  assert.equal(flog(0), -Infinity);
  assert.equal(flog(-0), -Infinity);
  assert.equal(flog(Infinity), Infinity);
  assert.ok(Number.isNaN(flog(-1)) && Number.isNaN(flog(NaN)) && Number.isNaN(flog(-Infinity)));
});

test("tanh: within 2 ulp over (-12, 12), its polynomial / exp switch at 0.55 included; odd; saturates to ±1", () => {
  for (const [lo, hi] of [[-12, 12], [-0.6, 0.6], [0.5, 0.6], [8, 10], [-0.001, 0.001]] as const) {
    const { w, at } = worst(ftanh, Math.tanh, uniform(4, N, lo, hi));
    assert.ok(w <= 2, `tanh: ${w} ulp at ${at} in [${lo}, ${hi}]`);
  }
  for (const x of edgeFloats(5, 2000)) if (x === x) assert.ok(Object.is(ftanh(-x), -ftanh(x)), `tanh(-${x})`);
  assert.equal(ftanh(Infinity), 1);
  assert.equal(ftanh(-Infinity), -1);
  assert.ok(Object.is(ftanh(-0), -0));
  assert.equal(ftanh(bitsFloat(1)), bitsFloat(1), "subnormal passes through");
});

test("sigmoid: within 2 ulp over (-110, 20), subnormal results for large negative x included", () => {
  for (const [lo, hi] of [[-110, 20], [-5, 5], [-104, -80]] as const) {
    const { w, at } = worst(fsigmoid, sigmoid64, uniform(6, N, lo, hi));
    assert.ok(w <= 2, `sigmoid: ${w} ulp at ${at} in [${lo}, ${hi}]`);
  }
  assert.equal(fsigmoid(0), 0.5);
  assert.equal(fsigmoid(Infinity), 1);
  assert.equal(fsigmoid(-Infinity), 0);
  assert.ok(Number.isNaN(fsigmoid(NaN)));
});

test("sqrt is IEEE's (correctly rounded); pow: exact small integer powers, 2 ulp for |b·ln a| ≤ 2, IEEE special cases", () => {
  for (const x of logUniform(7, 10_000, 1e-45, 3.4e38)) assert.equal(fsqrt(x), f(Math.sqrt(x)));
  for (const a of uniform(8, 20_000, -100, 100)) {
    assert.equal(fpow(a, 2), f(a * a), `pow(${a}, 2)`);
    assert.equal(fpow(a, -1), f(1 / a), `pow(${a}, -1)`);
    assert.equal(fpow(a, 1), a);
  }
  // The emitter writes pow(x, 2) as x·x: the same bits on every float.
  for (const a of edgeFloats(10, 20_000)) {
    const p = fpow(a, 2), m = f(a * a);
    assert.ok(Object.is(p, m) || (p !== p && m !== m), `pow(${a}, 2) = ${p}, x·x = ${m}`);
  }
  const rnd = mulberry32(9);
  let w = 0;
  for (let i = 0; i < 50_000; i++) {
    const a = f(Math.exp((rnd() * 2 - 1) * 4)), b = f((rnd() * 2 - 1) * 0.5);
    if (Math.abs(b * Math.log(a)) <= 2) w = Math.max(w, ulps(fpow(a, b), f(Math.pow(a, b))));
  }
  assert.ok(w <= 2, `pow: ${w} ulp`);
  assert.equal(fpow(NaN, 0), 1);
  assert.equal(fpow(1, NaN), 1);
  assert.equal(fpow(-2, 3), -8);
  assert.equal(fpow(-8, 1e30), Infinity);
  assert.equal(fpow(-1, Infinity), 1);
  assert.equal(fpow(0, -0.5), Infinity);
  assert.equal(fpow(0, 0.5), 0);
  assert.equal(fpow(4, 0.5), 2);
  assert.equal(fpow(-0, -1), -Infinity);
  assert.ok(Number.isNaN(fpow(-2, 0.5)));
  // Beyond the squaring range the error grows with |b·ln a| (69 here): documented, bounded.
  assert.ok(ulps(fpow(2, 100), f(2 ** 100)) <= 69, `pow(2, 100): ${ulps(fpow(2, 100), f(2 ** 100))} ulp`);
});
