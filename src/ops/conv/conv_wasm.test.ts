import { test } from "node:test";
import assert from "node:assert/strict";
import { setWasmKernelsEnabled, wasmSimdAvailable } from "../../kernels/wasm/engine.js";
import { mulberry32 } from "../../ir/prng.js";
import { run1, t } from "../../../test/support/op_run.js";
import { conv2dWasm } from "./conv_wasm.js";
import { conv2dForward, type Dims2 } from "./kernels.js";
import { convParams } from "./params.js";

const CONV = "aten.convolution";

interface Case { xs: number[]; ws: number[]; s: number[]; p0: number[]; p1: number[]; d: number[]; g: number; bias: boolean }

/**
 * The float conv contract written out one output at a time: start at the bias, then for every
 * (input channel, kh, kw) tap inside the input add f32(w·x), rounding the sum to f32 each time.
 */
function scalarConv(x: Float32Array, w: Float32Array, b: Float32Array | null, c: Case): { data: Float32Array; f64: Float64Array; mag: Float64Array; shape: number[] } {
  const [N, C, H, W] = c.xs as [number, number, number, number];
  const [O, CG, KH, KW] = c.ws as [number, number, number, number];
  const OH = Math.floor((H + c.p0[0]! + c.p1[0]! - c.d[0]! * (KH - 1) - 1) / c.s[0]!) + 1;
  const OW = Math.floor((W + c.p0[1]! + c.p1[1]! - c.d[1]! * (KW - 1) - 1) / c.s[1]!) + 1;
  const data = new Float32Array(N * O * OH * OW), f64 = new Float64Array(data.length), mag = new Float64Array(data.length);
  let i = 0;
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, i++) {
    let acc = b ? b[o]! : 0, wide = acc, abs = Math.abs(acc);
    const grp = Math.floor(o / (O / c.g));
    for (let cg = 0; cg < CG; cg++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const ih = oh * c.s[0]! - c.p0[0]! + kh * c.d[0]!, iw = ow * c.s[1]! - c.p0[1]! + kw * c.d[1]!;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      const xv = x[((n * C + grp * CG + cg) * H + ih) * W + iw]!, wv = w[((o * CG + cg) * KH + kh) * KW + kw]!;
      acc = Math.fround(acc + Math.fround(xv * wv));
      wide += xv * wv;
      abs += Math.abs(xv * wv);
    }
    data[i] = acc;
    f64[i] = wide;
    mag[i] = abs;
  }
  return { data, f64, mag, shape: [N, O, OH, OW] };
}

/** Element by element; +0 and −0 count as equal (a padding tap adds w·0, the loops skip it). */
function assertSameBits(got: Float32Array, want: Float32Array, msg: string): void {
  assert.equal(got.length, want.length, `${msg}: length`);
  for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) assert.fail(`${msg} [${i}]: got ${got[i]}, expected ${want[i]}`);
}

function randomCase(rnd: () => number): Case {
  const pick = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const g = [1, 1, 2, 3][pick(0, 3)]!;
  const cg = pick(1, 5), og = pick(1, 9);
  const KH = pick(1, 4), KW = pick(1, 5);
  const d = [pick(1, 2), pick(1, 3)], s = [pick(1, 3), pick(1, 3)];
  const p0 = [pick(0, 2), pick(0, 3)], p1 = [pick(0, 2), pick(0, 3)];
  // Inputs big enough for at least one output position.
  const H = Math.max(1, d[0]! * (KH - 1) + 1 - p0[0]! - p1[0]!) + pick(0, 6);
  const W = Math.max(1, d[1]! * (KW - 1) + 1 - p0[1]! - p1[1]!) + pick(0, 12);
  return { xs: [pick(1, 3), cg * g, H, W], ws: [og * g, cg, KH, KW], s, p0, p1, d, g, bias: rnd() < 0.7 };
}

const FIXED: Case[] = [
  // Wav2Letter-like: batch folded into few columns, long filter rows (several panels of columns).
  { xs: [10, 250, 1, 7], ws: [36, 250, 1, 7], s: [1, 1], p0: [0, 3], p1: [0, 3], d: [1, 1], g: 1, bias: true },
  { xs: [3, 40, 1, 400], ws: [5, 40, 1, 32], s: [1, 2], p0: [0, 16], p1: [0, 16], d: [1, 1], g: 1, bias: true },
  // Depthwise (one row per group) and a pointwise conv with M mod 4 = 3.
  { xs: [1, 6, 9, 11], ws: [6, 1, 3, 3], s: [2, 1], p0: [1, 1], p1: [1, 0], d: [1, 2], g: 6, bias: false },
  { xs: [2, 13, 5, 5], ws: [7, 13, 1, 1], s: [1, 1], p0: [0, 0], p1: [0, 0], d: [1, 1], g: 1, bias: true },
  // Pointwise with panels of 872 columns over 900-position planes: panels start and end mid-plane.
  { xs: [3, 300, 30, 30], ws: [9, 300, 1, 1], s: [1, 1], p0: [0, 0], p1: [0, 0], d: [1, 1], g: 1, bias: true },
];

test("float conv: wasm SIMD GEMM gives the bits of the TypeScript loops and of the scalar contract (random shapes)", () => {
  assert.ok(wasmSimdAvailable(), "this Node has WebAssembly SIMD; without it the comparison below would test nothing");
  const rnd = mulberry32(7);
  const cases = [...FIXED, ...Array.from({ length: 40 }, () => randomCase(rnd))];
  for (const c of cases) {
    const msg = JSON.stringify(c);
    const x = Float32Array.from({ length: c.xs.reduce((a, b) => a * b) }, () => rnd() * 2 - 1);
    const w = Float32Array.from({ length: c.ws.reduce((a, b) => a * b) }, () => rnd() * 2 - 1);
    const b = c.bias ? Float32Array.from({ length: c.ws[0]! }, () => rnd() - 0.5) : null;
    const want = scalarConv(x, w, b, c);
    const attrs = { stride: c.s, padding: c.p0, padding_end: c.p1, dilation: c.d, groups: c.g, transposed: false, output_padding: [0, 0] };
    const p = convParams(attrs, 2);
    const [N, C, H, W] = c.xs as [number, number, number, number];
    const [, , OH, OW] = want.shape as [number, number, number, number];
    const dims: Dims2 = { N, C, H, W, O: c.ws[0]!, KH: c.ws[2]!, KW: c.ws[3]!, OH, OW };
    const viaWasm = conv2dWasm(x, w, b, dims, p);
    assert.ok(viaWasm, "conv2dWasm ran");
    assertSameBits(viaWasm, want.data, `wasm ${msg}`);
    assertSameBits(conv2dForward(x, w, b, dims, p), want.data, `ts ${msg}`);
    // f32 accumulation of n terms stays within the recursive-summation bound n·2^-24·Σ|terms| of the double sum.
    const n = (c.ws[1]! * c.ws[2]! * c.ws[3]! + 1) * 2 ** -24;
    for (let i = 0; i < want.data.length; i++) {
      if (!(Math.abs(want.data[i]! - want.f64[i]!) <= n * want.mag[i]!)) assert.fail(`f64 ${msg} [${i}]: ${want.data[i]} vs ${want.f64[i]}`);
    }
  }
});

test("float conv op: same output with the wasm kernels on and off (1-D conv through the op's eval)", () => {
  const rnd = mulberry32(11);
  const x = t([4, 8, 50], Float32Array.from({ length: 4 * 8 * 50 }, () => rnd() * 2 - 1));
  const w = t([12, 4, 5], Float32Array.from({ length: 12 * 4 * 5 }, () => rnd() * 2 - 1));
  const b = t([12], Float32Array.from({ length: 12 }, () => rnd()));
  const attrs = { stride: [2], padding: [3], padding_end: [1], dilation: [2], groups: 2, transposed: false, output_padding: [0] };
  const on = run1(CONV, [x, w, b], attrs);
  const prev = setWasmKernelsEnabled(false);
  try {
    const off = run1(CONV, [x, w, b], attrs);
    assert.deepEqual(on.shape, off.shape);
    assertSameBits(on.data as Float32Array, off.data as Float32Array, "wasm on vs off");
  } finally {
    setWasmKernelsEnabled(prev);
  }
});

test("float conv: a large filter kept resident in wasm memory is refreshed when rewritten in place", () => {
  const rnd = mulberry32(5);
  const c: Case = { xs: [2, 64, 1, 9], ws: [48, 64, 1, 7], s: [1, 1], p0: [0, 3], p1: [0, 3], d: [1, 1], g: 1, bias: false };
  const x = Float32Array.from({ length: 2 * 64 * 9 }, () => rnd() * 2 - 1);
  const w = Float32Array.from({ length: 48 * 64 * 7 }, () => rnd() * 2 - 1); // 21504 floats: kept resident
  const p = convParams({ stride: c.s, padding: c.p0, padding_end: c.p1, dilation: c.d, groups: 1, transposed: false, output_padding: [0, 0] }, 2);
  const dims: Dims2 = { N: 2, C: 64, H: 1, W: 9, O: 48, KH: 1, KW: 7, OH: 1, OW: 9 };
  assertSameBits(conv2dWasm(x, w, null, dims, p)!, scalarConv(x, w, null, c).data, "first use");
  for (let i = 0; i < w.length; i++) w[i] = -w[i]! * 0.5;
  assertSameBits(conv2dWasm(x, w, null, dims, p)!, scalarConv(x, w, null, c).data, "after an in-place rewrite");
});
