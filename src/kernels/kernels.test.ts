import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as K from './index.js';
import type { Dims, ConvParams, DwConvParams } from './index.js';
import { mulberry32 } from "../ir/prng.js";

/** Seeded cases (the project's one PRNG) so every run sees the same ones. */
function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const i8 = (n: number): Int8Array => { const x = new Int8Array(n); for (let i = 0; i < n; i++) x[i] = int(-128, 127); return x; };
  const pick = <T>(xs: T[]): T => xs[int(0, xs.length - 1)];
  return { next, int, i8, pick };
}
type R = ReturnType<typeof rng>;
const prod = (d: Dims): number => d.n * d.h * d.w * d.c;

function quant(r: R, n: number): K.PerChannelQuant {
  const m = new Int32Array(n), s = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const q = K.quantizeMultiplier(r.next() * 0.02 + 1e-5);
    m[i] = q.multiplier; s[i] = q.shift;
  }
  return { multiplier: m, shift: s };
}
function act(r: R): { min: number; max: number } {
  const lo = r.int(-128, 0), hi = r.int(lo, 127);
  return r.next() < 0.5 ? { min: -128, max: 127 } : { min: lo, max: hi };
}
const outSize = (i: number, k: number, s: number, p: number, d: number): number => Math.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1;

test('requantize / doublingHighMult match a BigInt oracle', () => {
  const r = rng(1);
  const oracle = (v: number, m: number, s: number): number => {
    const L = Math.max(s, 0), Rr = Math.max(-s, 0);
    const t = BigInt.asIntN(32, BigInt(v) << BigInt(L));
    const h = Number(BigInt.asIntN(32, (t * BigInt(m) + (1n << 30n)) >> 31n));
    if (Rr === 0) return h;
    const mask = 2 ** Rr - 1;
    const rem = Number(BigInt(h) & BigInt(mask));
    const q = h >> Rr;
    return rem > (Math.floor(mask / 2) + (q < 0 ? 1 : 0)) ? q + 1 : q;
  };
  for (let i = 0; i < 3000; i++) {
    const v = r.int(-2147483648, 2147483647), m = r.int(-2147483647, 2147483647), s = r.int(-31, 30);
    assert.equal(K.requantize(v, m, s), oracle(v, m, s), `${v} ${m} ${s}`);
  }
  assert.equal(K.doublingHighMult(-2147483648, -2147483648), 2147483647);
  assert.equal(K.divideByPowerOfTwo(-3, 1), -2);
  assert.equal(K.divideByPowerOfTwo(3, 1), 2);
  assert.equal(K.divideByPowerOfTwo(5, 2), 1);
  assert.deepEqual(K.quantizeMultiplier(0), { multiplier: 0, shift: 0 });
  assert.deepEqual(K.quantizeMultiplier(0.5), { multiplier: 1073741824, shift: 0 });
  assert.deepEqual(K.quantizeMultiplier(1), { multiplier: 1073741824, shift: 1 });
  assert.equal(K.requantizeS64(1000000n, 1073741824, -10), K.requantizeS64(1000000, 1073741824, -10));
});

test('conv: optimized == reference (1-D as Nx1 and 1xN, 2-D, grouped, dilated, strided, padded)', () => {
  const r = rng(20260715);
  for (let i = 0; i < 80; i++) {
    const kind = r.pick(['nx1', '1xn', '2d', 'grouped', 'dilated', '1x1']);
    const groups = kind === 'grouped' ? r.int(2, 3) : 1;
    const ck = r.int(1, 6), C = ck * groups, Cout = groups * r.int(1, 5);
    let KH = r.int(1, 4), KW = r.int(1, 4), H = r.int(1, 9), W = r.int(1, 9);
    if (kind === 'nx1') { KW = 1; W = 1; H = r.int(3, 30); KH = r.int(1, 7); }
    if (kind === '1xn') { KH = 1; H = 1; W = r.int(3, 30); KW = r.int(1, 7); }
    if (kind === '1x1') { KH = 1; KW = 1; }
    const dh = kind === 'dilated' ? r.int(1, 3) : 1, dw = kind === 'dilated' ? r.int(1, 3) : 1;
    const sh = r.int(1, 3), sw = r.int(1, 3);
    const ph = kind === '1x1' ? 0 : r.int(0, KH), pw = kind === '1x1' ? 0 : r.int(0, KW);
    const OH = outSize(H, KH, sh, ph, dh), OW = outSize(W, KW, sw, pw, dw);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD: Dims = { n: r.int(1, 3), h: H, w: W, c: C }, fD: Dims = { n: Cout, h: KH, w: KW, c: ck };
    const outD: Dims = { n: inD.n, h: OH, w: OW, c: Cout };
    const p: ConvParams = { inputOffset: r.int(-127, 128), outputOffset: r.int(-128, 127), stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, dilation: { h: dh, w: dw }, activation: act(r) };
    const input = r.i8(prod(inD)), filter = r.i8(prod(fD)), q = quant(r, Cout);
    const bias = r.next() < 0.2 ? null : Int32Array.from({ length: Cout }, () => r.int(-70000, 70000));
    const a = new Int8Array(prod(outD)), b = new Int8Array(prod(outD)), c = new Int8Array(prod(outD));
    assert.equal(K.convolveS8Ref(p, q, inD, input, fD, filter, bias, null, outD, a), 0);
    const ctx = { buf: new Int8Array(K.convolveS8BufferSize('scalar', inD, fD)), size: 0 };
    assert.equal(K.convolveS8(ctx, p, q, inD, input, fD, filter, null, bias, null, outD, b), 0);
    assert.deepEqual(b, a, `case ${i} ${kind} ${JSON.stringify({ inD, fD, outD, p })}`);
    const ws = K.convolveWrapperS8BufferSize('scalar', p, inD, fD, outD);
    const st = K.convolveWrapperS8({ buf: ws > 0 ? new Int8Array(ws) : null, size: ws }, p, q, inD, input, fD, filter, null, bias, outD, c);
    assert.equal(st, 0);
    assert.deepEqual(c, a, `wrapper case ${i}`);
  }
});

test('conv: argument checks mirror CMSIS-NN', () => {
  const p: ConvParams = { inputOffset: 0, outputOffset: 0, stride: { h: 1, w: 2 }, padding: { h: 0, w: 0 }, dilation: { h: 1, w: 1 }, activation: { min: -128, max: 127 } };
  const q = { multiplier: new Int32Array([1 << 30]), shift: new Int32Array([0]) };
  const inD = { n: 1, h: 1, w: 4, c: 1 }, fD = { n: 1, h: 1, w: 1, c: 1 }, outD = { n: 1, h: 1, w: 2, c: 1 };
  const x = new Int8Array(4), o = new Int8Array(2);
  assert.equal(K.convolve1x1S8Fast({ buf: null, size: 0 }, p, q, inD, x, fD, x, null, null, outD, o), K.Status.ARG_ERROR);
  assert.equal(K.convolveS8({ buf: null, size: 0 }, p, q, inD, x, fD, x, null, null, null, outD, o), K.Status.ARG_ERROR);
  assert.equal(K.convolve1xNS8({ buf: new Int8Array(4), size: 4 }, p, q, inD, x, fD, x, null, null, outD, o), K.Status.ARG_ERROR); // (2·1)%4 != 0
  assert.equal(K.convolve1x1S8(null, { ...p, padding: { h: 0, w: 1 } }, q, inD, x, fD, x, null, null, outD, o), K.Status.ARG_ERROR);
  // groups = 4/2 = 2 but output.c = 3 is not divisible by 2
  assert.equal(K.convolveS8({ buf: new Int8Array(4), size: 4 }, p, q, { ...inD, c: 4 }, new Int8Array(16), { n: 3, h: 1, w: 1, c: 2 }, new Int8Array(6), null, null, null, { ...outD, c: 3 }, new Int8Array(6)), K.Status.ARG_ERROR);
});

test('depthwise: optimized == reference (multipliers, one input channel to many, dilation, batches)', () => {
  const r = rng(7);
  for (let i = 0; i < 80; i++) {
    const Cin = r.pick([1, 1, 2, 3, 5, 8]), M = r.pick([1, 1, 2, 3, 4, 8]);
    const KH = r.int(1, 4), KW = r.int(1, 4), H = r.int(1, 10), W = r.int(1, 10);
    const dh = r.int(1, 2), dw = r.int(1, 2), sh = r.int(1, 3), sw = r.int(1, 3), ph = r.int(0, KH - 1), pw = r.int(0, KW - 1);
    const OH = outSize(H, KH, sh, ph, dh), OW = outSize(W, KW, sw, pw, dw);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD: Dims = { n: r.int(1, 2), h: H, w: W, c: Cin }, fD: Dims = { n: 1, h: KH, w: KW, c: Cin * M };
    const outD: Dims = { n: inD.n, h: OH, w: OW, c: Cin * M };
    const p: DwConvParams = { chMult: M, inputOffset: r.int(-127, 128), outputOffset: r.int(-128, 127), stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, dilation: { h: dh, w: dw }, activation: act(r) };
    const input = r.i8(prod(inD)), filter = r.i8(prod(fD)), q = quant(r, outD.c);
    const bias = r.next() < 0.2 ? null : Int32Array.from({ length: outD.c }, () => r.int(-70000, 70000));
    const a = new Int8Array(prod(outD)), b = new Int8Array(prod(outD));
    K.depthwiseConvS8Ref(p, q, inD, input, fD, filter, bias, outD, a);
    for (const target of ['scalar', 'dsp', 'mve'] as const) {
      b.fill(0);
      const sz = K.depthwiseConvWrapperS8BufferSize(target, p, inD, fD, outD);
      const st = K.depthwiseConvWrapperS8({ buf: new Int8Array(Math.max(sz, 1)), size: sz }, p, q, inD, input, fD, filter, null, bias, outD, b, { target });
      assert.equal(st, 0);
      assert.deepEqual(b, a, `case ${i} ${target}`);
    }
  }
});

test('fully connected: optimized == reference (per-tensor, per-channel, filter offset)', () => {
  const r = rng(11);
  for (let i = 0; i < 60; i++) {
    const N = r.int(1, 4), D = r.int(1, 70), Cout = r.int(1, 20);
    const params = { inputOffset: r.int(-127, 128), filterOffset: r.next() < 0.4 ? r.int(-127, 127) : 0, outputOffset: r.int(-128, 127), activation: act(r) };
    const inD = { n: N, h: 1, w: 1, c: D }, fD = { n: D, c: Cout }, oD = { n: N, c: Cout };
    const input = r.i8(N * D), filter = r.i8(D * Cout), q = quant(r, Cout);
    const bias = r.next() < 0.2 ? null : Int32Array.from({ length: Cout }, () => r.int(-70000, 70000));
    const a = new Int8Array(N * Cout), b = new Int8Array(N * Cout);
    K.fullyConnectedPerChannelS8Ref(params, q, inD, input, fD, filter, bias, oD, a);
    K.fullyConnectedPerChannelS8(null, params, q, inD, input, fD, filter, null, bias, oD, b);
    assert.deepEqual(b, a, `pc ${i}`);
    const pt = { multiplier: q.multiplier[0], shift: q.shift[0] };
    K.fullyConnectedS8Ref(params, pt, inD, input, fD, filter, bias, oD, a);
    K.fullyConnectedS8(null, params, pt, inD, input, fD, filter, null, bias, oD, b);
    assert.deepEqual(b, a, `pt ${i}`);
  }
});

test('elementwise add / mul: optimized == reference', () => {
  const r = rng(3);
  for (let i = 0; i < 60; i++) {
    const n = r.int(1, 200), x = r.i8(n), y = r.i8(n);
    const s1 = r.next() * 0.1 + 1e-3, s2 = r.next() * 0.1 + 1e-3, so = r.next() * 0.2 + 1e-3, tw = 2 * Math.max(s1, s2);
    const m1 = K.quantizeMultiplier(s1 / tw), m2 = K.quantizeMultiplier(s2 / tw), mo = K.quantizeMultiplier(tw / (2 ** 20 * so));
    const a = act(r);
    const ap: K.AddS8Params = { input1Offset: r.int(-127, 128), input1Mult: m1.multiplier, input1Shift: m1.shift, input2Offset: r.int(-127, 128), input2Mult: m2.multiplier, input2Shift: m2.shift, leftShift: 20, outOffset: r.int(-128, 127), outMult: mo.multiplier, outShift: mo.shift, outActivationMin: a.min, outActivationMax: a.max };
    const o1 = new Int8Array(n), o2 = new Int8Array(n);
    K.elementwiseAddS8(x, y, ap, o1, n); K.elementwiseAddS8Ref(x, y, ap, o2, n);
    assert.deepEqual(o1, o2, `add ${i}`);
    const mm = K.quantizeMultiplier(s1 * s2 / so);
    const mp: K.MulS8Params = { input1Offset: r.int(-127, 128), input2Offset: r.int(-127, 128), outOffset: r.int(-128, 127), outMult: mm.multiplier, outShift: mm.shift, outActivationMin: a.min, outActivationMax: a.max };
    K.elementwiseMulS8(x, y, mp, o1, n); K.elementwiseMulS8Ref(x, y, mp, o2, n);
    assert.deepEqual(o1, o2, `mul ${i}`);
  }
});

test('avg / max pool: optimized == reference', () => {
  const r = rng(5);
  for (let i = 0; i < 60; i++) {
    const KH = r.int(1, 4), KW = r.int(1, 4), H = r.int(1, 10), W = r.int(1, 10), sh = r.int(1, 3), sw = r.int(1, 3);
    const ph = r.int(0, KH - 1), pw = r.int(0, KW - 1);
    const OH = outSize(H, KH, sh, ph, 1), OW = outSize(W, KW, sw, pw, 1);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD = { n: r.int(1, 2), h: H, w: W, c: r.int(1, 6) }, outD = { ...inD, h: OH, w: OW };
    const p = { stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, activation: act(r) };
    const x = r.i8(prod(inD)), a = new Int8Array(prod(outD)), b = new Int8Array(prod(outD));
    assert.equal(K.avgpoolS8Ref(p, inD, x, { h: KH, w: KW }, outD, a), K.avgpoolS8(null, p, inD, x, { h: KH, w: KW }, outD, b));
    assert.deepEqual(b, a, `avg ${i}`);
    K.maxPoolS8Ref(p, inD, x, { h: KH, w: KW }, outD, a); K.maxPoolS8(null, p, inD, x, { h: KH, w: KW }, outD, b);
    assert.deepEqual(b, a, `max ${i}`);
  }
});

test('softmax: optimized == reference, and close to float softmax', () => {
  const r = rng(9);
  for (let i = 0; i < 60; i++) {
    const rows = r.int(1, 4), size = r.int(1, 40), sIn = r.next() * 0.2 + 0.01;
    const { mult, shift, diffMin } = K.softmaxParams(1, sIn);
    const x = r.i8(rows * size), a = new Int8Array(rows * size), b = new Int8Array(rows * size);
    K.softmaxS8(x, rows, size, mult, shift, diffMin, a);
    K.softmaxS8Ref(x, rows, size, mult, shift, diffMin, b);
    assert.deepEqual(a, b, `softmax ${i}`);
    for (let rr = 0; rr < rows; rr++) {
      const row = Array.from(x.subarray(rr * size, (rr + 1) * size));
      const mx = Math.max(...row), e = row.map((v) => Math.exp((v - mx) * sIn)), s = e.reduce((p, c) => p + c, 0);
      row.forEach((_, k) => assert.ok(Math.abs((a[rr * size + k] + 128) / 256 - e[k] / s) <= 2 / 256 + 1e-9, `softmax accuracy ${i}`));
    }
  }
});

test('16x8 conv / depthwise: optimized == BigInt reference', () => {
  const r = rng(13);
  for (let i = 0; i < 30; i++) {
    const C = r.int(1, 5), Cout = r.int(1, 5), KH = r.int(1, 3), KW = r.int(1, 3), H = r.int(1, 7), W = r.int(1, 7);
    const OH = outSize(H, KH, 1, 0, 1), OW = outSize(W, KW, 1, 0, 1);
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD = { n: 1, h: H, w: W, c: C }, fD = { n: Cout, h: KH, w: KW, c: C }, outD = { n: 1, h: OH, w: OW, c: Cout };
    const p: ConvParams = { inputOffset: 0, outputOffset: 0, stride: { h: 1, w: 1 }, padding: { h: 0, w: 0 }, dilation: { h: 1, w: 1 }, activation: { min: -32768, max: 32767 } };
    const x = Int16Array.from({ length: prod(inD) }, () => r.int(-32768, 32767)), f = r.i8(prod(fD)), q = quant(r, Cout);
    for (const is32 of [true, false]) {
      const bias: K.BiasData = { data: is32 ? Int32Array.from({ length: Cout }, () => r.int(-1e6, 1e6)) : BigInt64Array.from({ length: Cout }, () => BigInt(r.int(-1e7, 1e7))), isInt32Bias: is32 };
      const a = new Int16Array(prod(outD)), b = new Int16Array(prod(outD));
      K.convolveS16Ref(p, q, inD, x, fD, f, bias, outD, a);
      K.convolveS16({ buf: new Int8Array(4), size: 4 }, p, q, inD, x, fD, f, null, bias, outD, b);
      assert.deepEqual(b, a);
    }
    const M = r.int(1, 3), dfD = { n: 1, h: KH, w: KW, c: C * M }, doD = { n: 1, h: OH, w: OW, c: C * M };
    const dq = quant(r, C * M), df = r.i8(prod(dfD)), db = BigInt64Array.from({ length: C * M }, () => BigInt(r.int(-1e7, 1e7)));
    const a = new Int16Array(prod(doD)), b = new Int16Array(prod(doD));
    K.depthwiseConvS16Ref({ ...p, chMult: M }, dq, inD, x, dfD, df, db, doD, a);
    K.depthwiseConvWrapperS16(null, { ...p, chMult: M }, dq, inD, x, dfD, df, null, db, doD, b);
    assert.deepEqual(b, a);
  }
});

test('transpose conv: reverse-conv formulation == scatter reference', () => {
  const r = rng(17);
  for (let i = 0; i < 30; i++) {
    const C = r.int(1, 20), Cout = r.int(1, 4), KH = r.int(1, 4), KW = r.int(1, 4), H = r.int(1, 5), W = r.int(1, 5), sh = r.int(1, 3), sw = r.int(1, 3);
    const ph = r.int(0, KH - 1), pw = r.int(0, KW - 1);
    const OH = (H - 1) * sh + KH - 2 * ph, OW = (W - 1) * sw + KW - 2 * pw;
    if (OH <= 0 || OW <= 0) { i--; continue; }
    const inD = { n: r.int(1, 2), h: H, w: W, c: C }, fD = { n: Cout, h: KH, w: KW, c: C }, outD = { n: inD.n, h: OH, w: OW, c: Cout };
    const p = { inputOffset: r.int(-127, 128), outputOffset: r.int(-128, 127), stride: { h: sh, w: sw }, padding: { h: ph, w: pw }, dilation: { h: 1, w: 1 }, activation: act(r) };
    const x = r.i8(prod(inD)), f = r.i8(prod(fD)), q = quant(r, Cout), bias = Int32Array.from({ length: Cout }, () => r.int(-5e4, 5e4));
    const a = new Int8Array(prod(outD)), b = new Int8Array(prod(outD));
    K.transposeConvS8Ref(p, q, inD, x, fD, f, bias, outD, a);
    K.transposeConvS8Fast(p, q, inD, x, fD, f, bias, outD, b);
    assert.deepEqual(b, a, `tconv ${i}`);
  }
});

test('pad, transpose, reorder, lut, quantize', () => {
  const r = rng(19);
  for (let i = 0; i < 30; i++) {
    const inD = { n: r.int(1, 2), h: r.int(1, 4), w: r.int(1, 4), c: r.int(1, 4) };
    const pre = { n: 0, h: r.int(0, 2), w: r.int(0, 2), c: r.int(0, 1) }, post = { n: 0, h: r.int(0, 2), w: r.int(0, 2), c: r.int(0, 1) };
    const x = r.i8(prod(inD));
    const on = (inD.n) * (inD.h + pre.h + post.h) * (inD.w + pre.w + post.w) * (inD.c + pre.c + post.c);
    const a = new Int8Array(on), b = new Int8Array(on);
    K.padS8(x, a, -5, inD, pre, post); K.padS8Ref(x, b, -5, inD, pre, post);
    assert.deepEqual(a, b);
    // transpose {3,1,2,0} and reorder agree
    const t = new Int8Array(prod(inD));
    assert.equal(K.transposeS8(x, t, inD, { n: inD.c, h: inD.h, w: inD.w, c: inD.n }, { numDims: 4, permutations: [3, 1, 2, 0] }), 0);
    for (let n = 0; n < inD.n; n++) for (let h = 0; h < inD.h; h++) for (let w = 0; w < inD.w; w++) for (let c = 0; c < inD.c; c++)
      assert.equal(t[((c * inD.h + h) * inD.w + w) * inD.n + n], x[((n * inD.h + h) * inD.w + w) * inD.c + c]);
    const nchw = K.reorderDimOrder(x, [inD.n, inD.c, inD.h, inD.w], [0, 2, 3, 1], [0, 1, 2, 3]);
    for (let n = 0; n < inD.n; n++) for (let h = 0; h < inD.h; h++) for (let w = 0; w < inD.w; w++) for (let c = 0; c < inD.c; c++)
      assert.equal(nchw[((n * inD.c + c) * inD.h + h) * inD.w + w], x[((n * inD.h + h) * inD.w + w) * inD.c + c]);
    assert.deepEqual(K.reorderDimOrder(nchw, [inD.n, inD.c, inD.h, inD.w], [0, 1, 2, 3], [0, 2, 3, 1]), x);
  }
  const lut = K.buildLut(Math.tanh, 0.05, 3, 1 / 128, 0);
  const y = new Int8Array(256), src = Int8Array.from({ length: 256 }, (_, i) => i - 128);
  K.lutS8(src, y, lut, 256);
  for (let q = -128; q < 128; q++) assert.equal(y[q + 128], Math.max(-128, Math.min(127, K.roundHalfAway(Math.tanh(0.05 * (q - 3)) * 128))));
  assert.deepEqual(Array.from(K.quantizeS8([0.5, 1.5, 2.5, -0.5, -2.5, 1000], 1, 0)), [0, 2, 2, 0, -2, 127]);
  assert.deepEqual(Array.from(K.quantizeS8([0.5, 2.5, -2.5], 1, 0, undefined, 'half-away')), [1, 3, -3]);
  assert.deepEqual(Array.from(K.dequantize(Int8Array.from([1, -2]), 0.5, 1)), [0, -1.5]);
  assert.equal(K.targetClass('cortex-m55'), 'mve'); assert.equal(K.targetClass('cortex-m85'), 'mve');
  assert.equal(K.targetClass('cortex-m4'), 'dsp'); assert.equal(K.targetClass('cortex-m7'), 'dsp'); assert.equal(K.targetClass('cortex-m33'), 'dsp'); assert.equal(K.targetClass('cortex-m35p'), 'dsp');
  for (const c of ['cortex-m0', 'cortex-m0plus', 'cortex-m0+', 'cortex-m3', 'cortex-m23']) assert.equal(K.targetClass(c), 'scalar', c);
});
