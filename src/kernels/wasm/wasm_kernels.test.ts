// The WebAssembly SIMD paths (and the TypeScript fallbacks) against the plain *Ref kernels, on random
// shapes with odd channel counts, padding, strides, groups, dilation, upscale, channel multipliers,
// offsets and operands at their extremes, and biases that make the int32 accumulator wrap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as K from '../index.js';
import type { ConvParams, Dims, DwConvParams } from '../index.js';
import { mulberry32 } from "../../ir/prng.js";

function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('package.json not found');
    d = up;
  }
  return d;
}

/** Seeded cases from the project's one PRNG. */
function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  /** int8 data: uniform, or mostly the extremes −128 / 127 */
  const i8 = (n: number): Int8Array => {
    const x = new Int8Array(n);
    const extreme = next() < 0.3;
    for (let i = 0; i < n; i++) x[i] = extreme ? (next() < 0.5 ? -128 : 127) : int(-128, 127);
    return x;
  };
  return { next, int, pick, i8 };
}
type R = ReturnType<typeof rng>;
const prod = (d: Dims): number => d.n * d.h * d.w * d.c;
const outSize = (i: number, k: number, s: number, p: number, d: number): number => Math.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1;

function quant(r: R, n: number, wild: boolean): K.PerChannelQuant {
  const m = new Int32Array(n), s = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (wild) { m[i] = r.int(-2147483648, 2147483647); s[i] = r.int(-31, 30); }
    else { const q = K.quantizeMultiplier(r.next() * 0.02 + 1e-5); m[i] = q.multiplier; s[i] = q.shift; }
  }
  return { multiplier: m, shift: s };
}
const offset = (r: R): number => r.pick([-128, -127, 128, 127, 0, r.int(-128, 128)]);
function act(r: R): { min: number; max: number } {
  const lo = r.int(-128, 0), hi = r.int(lo, 127);
  return r.next() < 0.5 ? { min: -128, max: 127 } : { min: lo, max: hi };
}
/** Biases near ±2^31 so that bias + Σ wraps around in int32. */
function bias(r: R, n: number): Int32Array | null {
  const mode = r.int(0, 3);
  if (mode === 0) return null;
  return Int32Array.from({ length: n }, () => mode === 1 ? r.int(-70000, 70000) : r.pick([2147483647 - r.int(0, 20000), -2147483648 + r.int(0, 20000)]));
}

/** Runs `fn` on the wasm path and on the TypeScript fallback. */
function bothPaths(fn: (path: string) => void): void {
  assert.ok(K.wasmSimdAvailable(), 'WebAssembly SIMD is available on Node >= 20, so the wasm path is what these tests exercise');
  for (const wasm of [true, false]) {
    const prev = K.setWasmKernelsEnabled(wasm);
    try { fn(wasm ? 'wasm' : 'ts'); } finally { K.setWasmKernelsEnabled(prev); }
  }
}

test('embedded wasm binaries are the assembled kernels.wat and float.wat (rerun scripts/build-wasm.mjs after editing a .wat)', async () => {
  const root = repoRoot();
  const script = await import(pathToFileURL(join(root, 'scripts', 'build-wasm.mjs')).href) as {
    assembleWat(name: string, text: string): Promise<Buffer>; generatedSource(name: string, bytes: Buffer): string;
  };
  for (const name of ['kernels', 'float']) {
    const bytes = await script.assembleWat(`${name}.wat`, readFileSync(join(root, 'src', 'kernels', 'wasm', `${name}.wat`), 'utf8'));
    const generated = readFileSync(join(root, 'src', 'kernels', 'wasm', `${name}_wasm.ts`), 'utf8');
    assert.equal(generated, script.generatedSource(`${name}.wat`, bytes), name);
  }
});

test('requantize matches a BigInt oracle at the int32 extremes', () => {
  const oracle = (v: number, m: number, s: number): number => {
    const t = BigInt.asIntN(32, BigInt(v) << BigInt(Math.max(s, 0)));
    const h = Number(BigInt.asIntN(32, (t * BigInt(m) + (1n << 30n)) >> 31n));
    const R = Math.max(-s, 0);
    if (R === 0) return h;
    const q = Math.floor(h / 2 ** R), rem = h - q * 2 ** R;
    return rem > 2 ** (R - 1) - 1 + (q < 0 ? 1 : 0) ? q + 1 : q;
  };
  const vals = [-2147483648, -2147483647, -1073741824, -65537, -65536, -1, 0, 1, 65535, 65536, 1073741823, 2147483647];
  for (const v of vals) for (const m of vals) for (let s = -31; s <= 30; s++) {
    assert.equal(K.requantize(v, m, s), oracle(v, m, s), `${v} ${m} ${s}`);
  }
});

test('doublingHighMult matches a BigInt oracle (truncating, saturating at INT32_MIN²)', () => {
  const oracle = (a: number, b: number): number => {
    if (a === -2147483648 && b === -2147483648) return 2147483647;
    const ab = BigInt(a) * BigInt(b);
    const t = ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n));
    return Number(BigInt.asIntN(32, t / (1n << 31n))); // BigInt division truncates toward zero
  };
  const vals = [-2147483648, -2147483647, -1073741824, -65537, -65536, -32768, -1, 0, 1, 32767, 65535, 65536, 1073741823, 2147483647];
  for (const a of vals) for (const b of vals) assert.equal(K.doublingHighMult(a, b), oracle(a, b), `${a} ${b}`);
  const r = rng(8);
  for (let i = 0; i < 20000; i++) {
    const a = r.int(-2147483648, 2147483647), b = i % 2 ? r.int(-2147483648, 2147483647) : r.int(-70000, 70000);
    assert.equal(K.doublingHighMult(a, b), oracle(a, b), `${a} ${b}`);
  }
});

test('conv (wasm GEMM and TS fallback) == reference: groups, dilation, padding, strides, upscale, extremes', () => {
  const r = rng(424242);
  for (let i = 0; i < 120; i++) {
    const kind = r.pick(['2d', '1x1', '1xn', 'grouped', 'dilated', 'upscale', 'wide']);
    const groups = kind === 'grouped' ? r.int(2, 4) : 1;
    const ck = kind === 'wide' ? r.int(9, 70) : r.int(1, 13), C = ck * groups, Cout = groups * r.int(1, 9);
    let KH = r.int(1, 4), KW = r.int(1, 4), H = r.int(1, 9), W = r.int(1, 9);
    if (kind === '1xn') { KH = 1; H = 1; W = r.int(3, 40); KW = r.int(1, 9); }
    if (kind === '1x1') { KH = 1; KW = 1; }
    const dh = kind === 'dilated' ? r.int(1, 3) : 1, dw = kind === 'dilated' ? r.int(1, 3) : 1;
    const sh = r.int(1, 3), sw = r.int(1, 3);
    const ph = kind === '1x1' ? 0 : r.int(0, KH), pw = kind === '1x1' ? 0 : r.int(0, KW);
    const up = kind === 'upscale' ? { h: r.int(1, 3), w: r.int(1, 3) } : null;
    const n = r.int(1, 3);
    // with upscale, inputDims is the virtual (zero-inserted) size and `input` holds the real pixels
    const inD: Dims = { n, h: H * (up ? up.h : 1), w: W * (up ? up.w : 1), c: C };
    const OH = outSize(inD.h, KH, sh, ph, dh), OW = outSize(inD.w, KW, sw, pw, dw);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const fD: Dims = { n: Cout, h: KH, w: KW, c: ck }, outD: Dims = { n, h: OH, w: OW, c: Cout };
    const p: ConvParams = { inputOffset: offset(r), outputOffset: r.int(-128, 127), stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, dilation: { h: dh, w: dw }, activation: act(r) };
    const input = r.i8(n * H * W * C), filter = r.i8(prod(fD)), q = quant(r, Cout, r.next() < 0.3), b = bias(r, Cout);
    const want = new Int8Array(prod(outD));
    assert.equal(K.convolveS8Ref(p, q, inD, input, fD, filter, b, up, outD, want), 0);
    bothPaths((path) => {
      const got = new Int8Array(prod(outD)).fill(99);
      assert.equal(K.convCoreS8(p, q, inD, input, fD, filter, b, up, outD, got), 0);
      assert.deepEqual(got, want, `${path} case ${i} ${kind} ${JSON.stringify({ inD, fD, outD, p, up })}`);
      if (!up) {
        const got2 = new Int8Array(prod(outD)).fill(99);
        const st = K.convolveWrapperS8({ buf: new Int8Array(16), size: 16 }, p, q, inD, input, fD, filter, null, b, outD, got2);
        assert.equal(st, 0);
        assert.deepEqual(got2, want, `${path} wrapper case ${i}`);
      }
    });
  }
});

test('depthwise (wasm and TS fallback) == reference: channel multipliers, odd channels, dilation, batches, extremes', () => {
  const r = rng(5150);
  for (let i = 0; i < 100; i++) {
    const Cin = r.pick([1, 2, 3, 5, 7, 8, 9, 16, 17, 33]), M = r.pick([1, 1, 1, 2, 3, 4]);
    const KH = r.int(1, 5), KW = r.int(1, 5), H = r.int(1, 10), W = r.int(1, 10);
    const dh = r.int(1, 2), dw = r.int(1, 2), sh = r.int(1, 3), sw = r.int(1, 3), ph = r.int(0, KH), pw = r.int(0, KW);
    const OH = outSize(H, KH, sh, ph, dh), OW = outSize(W, KW, sw, pw, dw);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD: Dims = { n: r.int(1, 2), h: H, w: W, c: Cin }, fD: Dims = { n: 1, h: KH, w: KW, c: Cin * M };
    const outD: Dims = { n: inD.n, h: OH, w: OW, c: Cin * M };
    const p: DwConvParams = { chMult: M, inputOffset: offset(r), outputOffset: r.int(-128, 127), stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, dilation: { h: dh, w: dw }, activation: act(r) };
    const input = r.i8(prod(inD)), filter = r.i8(prod(fD)), q = quant(r, outD.c, r.next() < 0.3), b = bias(r, outD.c);
    const want = new Int8Array(prod(outD));
    K.depthwiseConvS8Ref(p, q, inD, input, fD, filter, b, outD, want);
    bothPaths((path) => {
      for (const target of ['scalar', 'mve'] as const) {
        const got = new Int8Array(prod(outD)).fill(99);
        const sz = K.depthwiseConvWrapperS8BufferSize(target, p, inD, fD, outD);
        assert.equal(K.depthwiseConvWrapperS8({ buf: new Int8Array(Math.max(sz, 1)), size: sz }, p, q, inD, input, fD, filter, null, b, outD, got, { target }), 0);
        assert.deepEqual(got, want, `${path} ${target} case ${i} ${JSON.stringify({ inD, fD, p })}`);
      }
    });
  }
});

test('fully connected (wasm and TS fallback) == reference: 1..9 rows, odd depths, extremes', () => {
  const r = rng(777);
  for (let i = 0; i < 80; i++) {
    const N = r.int(1, 9), D = r.pick([1, 3, 7, 8, 9, 15, 16, 17, 63, 200, r.int(1, 300)]), Cout = r.int(1, 23);
    const params = { inputOffset: offset(r), filterOffset: r.next() < 0.2 ? r.int(-127, 127) : 0, outputOffset: r.int(-128, 127), activation: act(r) };
    const inD = { n: N, h: 1, w: 1, c: D }, fD = { n: D, c: Cout }, oD = { n: N, c: Cout };
    const input = r.i8(N * D), filter = r.i8(D * Cout), q = quant(r, Cout, r.next() < 0.3), b = bias(r, Cout);
    const want = new Int8Array(N * Cout), wantPt = new Int8Array(N * Cout);
    K.fullyConnectedPerChannelS8Ref(params, q, inD, input, fD, filter, b, oD, want);
    const pt = { multiplier: q.multiplier[0], shift: q.shift[0] };
    K.fullyConnectedS8Ref(params, pt, inD, input, fD, filter, b, oD, wantPt);
    bothPaths((path) => {
      const got = new Int8Array(N * Cout).fill(99);
      K.fullyConnectedPerChannelS8(null, params, q, inD, input, fD, filter, null, b, oD, got);
      assert.deepEqual(got, want, `${path} per-channel ${i}`);
      got.fill(99);
      K.fullyConnectedS8(null, params, pt, inD, input, fD, filter, null, b, oD, got);
      assert.deepEqual(got, wantPt, `${path} per-tensor ${i}`);
    });
  }
});

test('elementwise add / mul (wasm and TS fallback) == reference, long and short blocks', () => {
  const r = rng(99);
  for (let i = 0; i < 60; i++) {
    const n = r.pick([1, 5, 63, 64, 65, r.int(1, 3000)]), x = r.i8(n), y = r.i8(n);
    const wild = r.next() < 0.3;
    const mq = (): K.QuantizedMultiplier => wild ? { multiplier: r.int(-2147483648, 2147483647), shift: r.int(-31, 0) } : K.quantizeMultiplier(r.next() * 0.5 + 1e-3);
    const m1 = mq(), m2 = mq(), mo = wild ? { multiplier: r.int(-2147483648, 2147483647), shift: r.int(-31, 30) } : K.quantizeMultiplier(r.next() * 1e-5 + 1e-7);
    const a = act(r);
    const ap: K.AddS8Params = { input1Offset: offset(r), input1Mult: m1.multiplier, input1Shift: m1.shift, input2Offset: offset(r), input2Mult: m2.multiplier, input2Shift: m2.shift, leftShift: r.pick([0, 7, 20, 20]), outOffset: r.int(-128, 127), outMult: mo.multiplier, outShift: mo.shift, outActivationMin: a.min, outActivationMax: a.max };
    const want = new Int8Array(n);
    K.elementwiseAddS8Ref(x, y, ap, want, n);
    const mp: K.MulS8Params = { input1Offset: offset(r), input2Offset: offset(r), outOffset: r.int(-128, 127), outMult: mo.multiplier, outShift: mo.shift, outActivationMin: a.min, outActivationMax: a.max };
    const wantMul = new Int8Array(n);
    K.elementwiseMulS8Ref(x, y, mp, wantMul, n);
    bothPaths((path) => {
      const got = new Int8Array(n).fill(99);
      K.elementwiseAddS8(x, y, ap, got, n);
      assert.deepEqual(got, want, `${path} add ${i}`);
      got.fill(99);
      K.elementwiseMulS8(x, y, mp, got, n);
      assert.deepEqual(got, wantMul, `${path} mul ${i}`);
    });
  }
});

test('softmax reuses its scratch without leaking state between calls of different sizes', () => {
  const r = rng(3);
  for (const size of [50, 3, 200, 1, 50]) {
    const { mult, shift, diffMin } = K.softmaxParams(1, 0.05);
    const x = r.i8(2 * size), a = new Int8Array(2 * size), b = new Int8Array(2 * size);
    K.softmaxS8(x, 2, size, mult, shift, diffMin, a);
    K.softmaxS8Ref(x, 2, size, mult, shift, diffMin, b);
    assert.deepEqual(a, b, `size ${size}`);
  }
});

test('resident filters: reused by identity, refreshed when rewritten in place, dropped by clearWasmFilterCache', () => {
  const r = rng(31337);
  // a 1x1 conv whose filter (Cout·C = 300·300 bytes) is large enough to be kept resident
  const C = 300, Cout = 300;
  const inD: Dims = { n: 1, h: 1, w: 9, c: C }, fD: Dims = { n: Cout, h: 1, w: 1, c: C }, outD: Dims = { n: 1, h: 1, w: 9, c: Cout };
  const p: ConvParams = { inputOffset: 3, outputOffset: -1, stride: { h: 1, w: 1 }, padding: { h: 0, w: 0 }, dilation: { h: 1, w: 1 }, activation: { min: -128, max: 127 } };
  const input = r.i8(prod(inD)), filter = r.i8(prod(fD)), q = quant(r, Cout, false), b = bias(r, Cout);
  const check = (label: string): void => {
    const want = new Int8Array(prod(outD)), got = new Int8Array(prod(outD));
    K.convolveS8Ref(p, q, inD, input, fD, filter, b, null, outD, want);
    K.convCoreS8(p, q, inD, input, fD, filter, b, null, outD, got);
    assert.deepEqual(got, want, label);
  };
  check('first use');
  check('second use (resident copy)');
  for (let i = 0; i < filter.length; i++) filter[i] = -filter[i] - 1; // every byte changes, samples included
  check('after an in-place rewrite');
  filter[12345] ^= 0x55; // one byte that the samples may not cover
  K.clearWasmFilterCache();
  check('after clearWasmFilterCache');

  // MVE depthwise with one input channel runs as a conv on a cached transposed copy of the filter
  const dIn: Dims = { n: 1, h: 1, w: 700, c: 1 }, dF: Dims = { n: 1, h: 1, w: 256, c: 300 }, dOut: Dims = { n: 1, h: 1, w: 4, c: 300 };
  const dp: DwConvParams = { chMult: 300, inputOffset: 128, outputOffset: 5, stride: { h: 1, w: 128 }, padding: { h: 0, w: 0 }, dilation: { h: 1, w: 1 }, activation: { min: -128, max: 127 } };
  const dx = r.i8(prod(dIn)), df = r.i8(prod(dF)), dq = quant(r, 300, false), db = bias(r, 300);
  const dcheck = (label: string): void => {
    const want = new Int8Array(prod(dOut)), got = new Int8Array(prod(dOut));
    K.depthwiseConvS8Ref(dp, dq, dIn, dx, dF, df, db, dOut, want);
    const sz = K.depthwiseConvWrapperS8BufferSize('mve', dp, dIn, dF, dOut);
    assert.equal(K.depthwiseConvWrapperS8({ buf: new Int8Array(Math.max(sz, 1)), size: sz }, dp, dq, dIn, dx, dF, df, null, db, dOut, got, { target: 'mve' }), 0);
    assert.deepEqual(got, want, label);
  };
  dcheck('dw→conv first use');
  dcheck('dw→conv cached');
  for (let i = 0; i < df.length; i++) df[i] = -df[i] - 1;
  dcheck('dw→conv after an in-place rewrite');
});

test('max pool (wasm and TS fallback) == reference: odd channels, padding, strides, batches, clamps', () => {
  const r = rng(4711);
  for (let i = 0; i < 60; i++) {
    const KH = r.int(1, 5), KW = r.int(1, 5), H = r.int(1, 14), W = r.int(1, 14), sh = r.int(1, 3), sw = r.int(1, 3);
    const ph = r.int(0, KH - 1), pw = r.int(0, KW - 1);
    const OH = outSize(H, KH, sh, ph, 1), OW = outSize(W, KW, sw, pw, 1);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD = { n: r.int(1, 2), h: H, w: W, c: r.pick([1, 3, 15, 16, 17, 40, r.int(1, 70)]) }, outD = { ...inD, h: OH, w: OW };
    const p = { stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, activation: act(r) };
    const x = r.i8(prod(inD)), want = new Int8Array(prod(outD));
    K.maxPoolS8Ref(p, inD, x, { h: KH, w: KW }, outD, want);
    bothPaths((path) => {
      const got = new Int8Array(prod(outD)).fill(99);
      assert.equal(K.maxPoolS8(null, p, inD, x, { h: KH, w: KW }, outD, got), 0);
      assert.deepEqual(got, want, `${path} max pool ${i} ${JSON.stringify({ inD, KH, KW, p })}`);
    });
  }
});

test('lookup table (wasm swizzle and plain loop) == reference: every int8 input, odd lengths, random tables', () => {
  const r = rng(1234);
  for (let i = 0; i < 40; i++) {
    const n = i === 0 ? 256 : r.pick([1, 15, 16, 63, 64, 65, 257, r.int(1, 5000)]);
    const x = i === 0 ? Int8Array.from({ length: 256 }, (_, j) => j - 128) : r.i8(n);
    const lut = r.i8(256);
    const want = new Int8Array(n);
    K.lutS8Ref(x, want, lut, n);
    // the reference is the table read literally
    for (let j = 0; j < n; j++) assert.equal(want[j], lut[x[j]! + 128], `reference ${i} at ${j}`);
    bothPaths((path) => {
      const got = new Int8Array(n).fill(99);
      K.lutS8(x, got, lut, n);
      assert.deepEqual(got, want, `${path} lut ${i} (n = ${n})`);
    });
  }
});

test('LSTM gates (wasm, one f32 lane per gate) == the plain single-precision loops, bit for bit: odd sizes, no bias, wide ranges', async () => {
  const { lstmGatesF32, lstmF32 } = await import('../float32/kernels.js');
  const r = rng(4242);
  const f32 = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (r.next() * 2 - 1) * scale * 10 ** r.int(-3, 1));
  for (let c = 0; c < 25; c++) {
    const I = r.pick([1, 3, 7, 16, r.int(1, 70)]), H = r.pick([1, 2, 5, 8, r.int(1, 40)]);
    const W = f32(4 * H * I, 2), R = f32(4 * H * H, 2), B = r.next() < 0.3 ? null : f32(8 * H, 3);
    const wasm = K.lstmGatesWasm(W, R, B, I, H);
    assert.ok(wasm, 'WebAssembly SIMD is available on Node >= 20');
    const plain = lstmGatesF32(W, R, B, I, H);
    const X = f32(3 * I, 4), h = f32(2 * H, 1);
    for (const [xo, ho] of [[0, 0], [I, H], [2 * I, 0]] as const) {
      const want = new Float32Array(4 * H), got = new Float32Array(4 * H).fill(NaN);
      plain(X, xo, h, ho, want);
      wasm(X, xo, h, ho, got);
      for (let g = 0; g < 4 * H; g++) assert.ok(Object.is(got[g], want[g]), `case ${c} (I ${I}, H ${H}) gate ${g}: ${got[g]} vs ${want[g]}`);
    }
    // whole sequences (state carried, batch 2) through both gate functions
    const S = r.int(1, 4), N = 2;
    const Xs = f32(S * N * I, 3), h0 = f32(N * H, 1), c0 = f32(N * H, 1);
    const a = lstmF32(Xs, h0, c0, S, N, I, H, plain), b = lstmF32(Xs, h0, c0, S, N, I, H, wasm);
    for (const k of ['Y', 'Yh', 'Yc'] as const) assert.deepEqual(Array.from(b[k]), Array.from(a[k]), `case ${c} output ${k}`);
  }
});
