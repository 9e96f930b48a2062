// The single-precision kernels of float_ops.ts against independent references: erf and
// GELU against float64 (ops/activation/erf.ts, and a converged float64 continued
// fraction for the far negative tail, where 1 + erf cancels in any precision), counted
// in floats ("ulp"); the window loop against hand-worked outputs; casts and amax against
// hand-written expectations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../ir/prng.js";
import { erf } from "../../ops/activation/erf.js";
import { amaxTyped, erfF32, ferf, fgelu, mapTyped, sumF32, windowF32, type WindowGeometry } from "./float_ops.js";
import { floatBits } from "./fmath.js";
import { reductionPlan } from "./kernels.js";

const f = Math.fround;

function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const ord = (x: number) => {
    const u = floatBits(x);
    return u & 0x80000000 ? -(u & 0x7fffffff) : u;
  };
  return Math.abs(ord(a) - ord(b));
}

/** erfc in float64: 1 − erf near 0, a 400-term continued fraction beyond 2. */
function erfc64(a: number): number {
  if (a < 2) return 1 - erf(a);
  let fr = a;
  for (let k = 400; k >= 1; k--) fr = a + k / 2 / fr;
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / fr;
}
const gelu64 = (x: number) => (x >= 0 ? 0.5 * x * (1 + erf(x / Math.SQRT2)) : 0.5 * x * erfc64(-x / Math.SQRT2));

function worst(fn: (x: number) => number, ref: (x: number) => number, lo: number, hi: number, seed: number): { w: number; at: number } {
  const rnd = mulberry32(seed);
  let w = 0, at = NaN;
  for (let i = 0; i < 100_000; i++) {
    const x = f(lo + (hi - lo) * rnd());
    const e = ulps(fn(x), f(ref(x)));
    if (e > w) [w, at] = [e, x];
  }
  return { w, at };
}

test("erf: within 4 ulp over (-6, 6), the series / continued-fraction switch at 1 included; odd; ±1 at the ends", () => {
  for (const [lo, hi] of [[-6, 6], [-1.1, 1.1], [0.9, 1.1], [1.9, 2.1]] as const) {
    const { w, at } = worst(ferf, erf, lo, hi, 41);
    assert.ok(w <= 4, `erf: ${w} ulp at ${at} in [${lo}, ${hi}]`);
  }
  assert.equal(ferf(0), 0);
  assert.ok(Object.is(ferf(-0), -0));
  assert.equal(ferf(Infinity), 1);
  assert.equal(ferf(-Infinity), -1);
  assert.equal(ferf(5), 1);
  assert.ok(Number.isNaN(ferf(NaN)));
});

test("GELU: within 2 ulp for x ≥ 0, 16 ulp over the negative tail down to -14.5 (tiny results included)", () => {
  const pos = worst(fgelu, gelu64, 0, 12, 42);
  assert.ok(pos.w <= 2, `gelu: ${pos.w} ulp at ${pos.at}`);
  for (const [lo, hi] of [[-3, 0], [-10, -3], [-14.5, -10]] as const) {
    const { w, at } = worst(fgelu, gelu64, lo, hi, 43);
    assert.ok(w <= 16, `gelu: ${w} ulp at ${at} in [${lo}, ${hi}]`);
  }
  assert.equal(fgelu(Infinity), Infinity);
  assert.ok(Object.is(fgelu(-20), -0), "underflows to -0");
  assert.ok(Number.isNaN(fgelu(NaN)) && Number.isNaN(fgelu(-Infinity)));
});

test("windowF32: hand-worked max / avg pools and a transposed conv", () => {
  // 1×1×3×3 input 1..9, 2×2 windows, stride 1, pad 1 (so corner windows hold one element).
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const g: WindowGeometry = { N: 1, C: 1, H: 3, W: 3, O: 1, OH: 4, OW: 4, KH: 2, KW: 2, groups: 1, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 };
  const y = new Float32Array(16);
  windowF32("CLG_WIN_MAX", x, null, null, y, g);
  assert.deepEqual([...y], [1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 7, 8, 9, 9]);
  windowF32("CLG_WIN_AVG", x, null, null, y, g);
  assert.deepEqual([...y.slice(0, 4)], [1, 1.5, 2.5, 3]);
  assert.equal(y[5], 3); // (1+2+4+5)/4
  windowF32("CLG_WIN_AVG_PAD", x, null, null, y, g);
  assert.deepEqual([...y.slice(0, 4)], [0.25, 0.75, 1.25, 0.75]); // every window counts 4 (clipped at H + ph = 4)
  // Transposed 1-D: input [1, 2], kernel [1, 10, 100], stride 2 → [1, 10, 102, 20, 200].
  const t = new Float32Array(5);
  windowF32("CLG_WIN_CONV_TRANSPOSED", Float32Array.of(1, 2), Float32Array.of(1, 10, 100), null, t,
    { N: 1, C: 1, H: 1, W: 2, O: 1, OH: 1, OW: 5, KH: 1, KW: 3, groups: 1, sh: 1, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 });
  assert.deepEqual([...t], [1, 10, 102, 20, 200]);
  // A NaN anywhere in a max window wins; -0 against +0 keeps the first met.
  const m = new Float32Array(2);
  windowF32("CLG_WIN_MAX", Float32Array.of(-0, 0, 3, NaN), null, null, m,
    { N: 1, C: 1, H: 1, W: 4, O: 1, OH: 1, OW: 2, KH: 1, KW: 2, groups: 1, sh: 1, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 });
  assert.ok(Object.is(m[0], -0) && Number.isNaN(m[1]));
});

test("casts truncate and wrap as the C does; where keeps float bits; amax of integers is exact", () => {
  const cast = (to: "i8" | "u8" | "i32" | "i64" | "bool", v: number[]) => {
    const out = to === "i8" ? new Int8Array(v.length) : to === "u8" || to === "bool" ? new Uint8Array(v.length) : to === "i32" ? new Int32Array(v.length) : new Float64Array(v.length);
    mapTyped("CLG_MAP_CAST", to, out, [{ dtype: "f32", data: Float32Array.from(v), strides: [1] }], [v.length]);
    return [...out];
  };
  assert.deepEqual(cast("i8", [127.9, -128.9, 128, 255.5, 300, NaN, Infinity, -1.5]), [127, -128, -128, -1, 44, 0, 0, -1]);
  assert.deepEqual(cast("u8", [-1, 256, 255.9]), [255, 0, 255]);
  assert.deepEqual(cast("i32", [2 ** 31, 2 ** 62, -(2 ** 31) - 256]), [-(2 ** 31), 0, 2 ** 31 - 256]);
  assert.deepEqual(cast("i64", [2 ** 62, -(2 ** 63), 2 ** 63, -Infinity, -7.9]), [2 ** 62, -(2 ** 63), -(2 ** 63), -(2 ** 63), -7]);
  assert.deepEqual(cast("bool", [0, -0, NaN, 1e-45]), [0, 0, 1, 1]);
  // A NaN with a payload goes through where unchanged.
  const a = new Float32Array(1);
  new Uint32Array(a.buffer)[0] = 0x7fa00001;
  const y = new Float32Array(2);
  mapTyped("CLG_MAP_WHERE", "f32", y, [{ dtype: "bool", data: [1, 0], strides: [1] }, { dtype: "f32", data: a, strides: [0] }, { dtype: "f32", data: Float32Array.of(2), strides: [0] }], [2]);
  assert.equal(new Uint32Array(y.buffer)[0], 0x7fa00001);
  assert.equal(y[1], 2);
  const m = new Float64Array(2);
  amaxTyped("i64", [-(2 ** 40), 2 ** 40 + 1, -5, -3], m, [0, 2], [0, 1]); // rows of [2, 2]
  assert.deepEqual([...m], [2 ** 40 + 1, -3]);
});

test("reductionPlan: each output's first input position and its group's offsets, in increasing input position", () => {
  assert.deepEqual(reductionPlan([2, 3, 4], [false, true, false]), { starts: [0, 1, 2, 3, 12, 13, 14, 15], offsets: [0, 4, 8] });
  assert.deepEqual(reductionPlan([2, 3, 4], [true, false, true]), { starts: [0, 4, 8], offsets: [0, 1, 2, 3, 12, 13, 14, 15] });
  assert.deepEqual(reductionPlan([5], [true]), { starts: [0], offsets: [0, 1, 2, 3, 4] });
});

test("comparisons and logic (lt, le, and, or) against hand-written truth tables; NaN compares false", () => {
  const run = (op: "CLG_MAP_LT" | "CLG_MAP_LE" | "CLG_MAP_AND" | "CLG_MAP_OR", a: number[], b: number[]) => {
    const out = new Uint8Array(a.length);
    mapTyped(op, "bool", out, [{ dtype: "f32", data: Float32Array.from(a), strides: [1] }, { dtype: "f32", data: Float32Array.from(b), strides: [1] }], [a.length]);
    return [...out];
  };
  const a = [1, 2, 3, NaN, -0, 0];
  const b = [2, 2, 2, 1, 0, NaN];
  assert.deepEqual(run("CLG_MAP_LT", a, b), [1, 0, 0, 0, 0, 0]);
  assert.deepEqual(run("CLG_MAP_LE", a, b), [1, 1, 0, 0, 1, 0]);
  assert.deepEqual(run("CLG_MAP_AND", [0, 1, 0, 2], [0, 0, 1, -1]), [0, 0, 0, 1]);
  assert.deepEqual(run("CLG_MAP_OR", [0, 1, 0, 2], [0, 0, 1, -1]), [0, 1, 1, 1]);
  // int64 operands beyond float precision keep their order (2^40 + 1 > 2^40).
  const out = new Uint8Array(1);
  mapTyped("CLG_MAP_LT", "bool", out, [{ dtype: "i64", data: [2 ** 40], strides: [0] }, { dtype: "i64", data: [2 ** 40 + 1], strides: [0] }], [1]);
  assert.equal(out[0], 1);
});

test("sumF32 adds in order with one rounding per addition; erfF32 is ferf elementwise", () => {
  const y = new Float32Array(2);
  // 2^24 + 1 + 1: each addition rounds back to 2^24 in single precision (a float64 sum would give 2^24 + 2).
  sumF32([2 ** 24, 1, 1, 1, 2, 3], y, [0, 3], [0, 1, 2]);
  assert.deepEqual([...y], [2 ** 24, 6]);
  const e = new Float32Array(3);
  erfF32([0.5, -2, 7], e);
  assert.deepEqual([...e], [ferf(0.5), ferf(-2), 1]);
  assert.ok(Math.abs(e[0]! - erf(0.5)) < 1e-7);
});
