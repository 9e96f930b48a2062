/**
 * JS drivers for the WebAssembly SIMD kernels: lay the operands out in linear memory, run the
 * wasm loop, copy the int8 result out. Each returns false (having touched nothing) when the wasm
 * kernels are unavailable, so the caller falls back to its TypeScript path.
 * Results are identical to the *Ref kernels (see kernels.wat for the arithmetic argument).
 */
import type { ConvParams, Dims, DwConvParams, PerChannelQuant } from '../types.js';
import { Layout, reserve, residentBlock, residentFilter, wasmKernels, type Views, type WasmKernels } from './engine.js';

/**
 * Bytes of im2col rows per GEMM call: the block stays in L2 while each filter row pair streams
 * through L1 once per block, so bigger blocks mean fewer passes over a large filter.
 */
const A_BLOCK_BYTES = 1 << 20;

function putI32(v: Views, at: number, src: Int32Array | null, n: number): void {
  if (src) v.i32.set(src.subarray(0, n), at >> 2);
  else v.i32.fill(0, at >> 2, (at >> 2) + n);
}

/** `ranges`: address of per-row [first, end) non-zero column spans, or 0 for full rows. */
function runGemm(k: WasmKernels, a: number, rows: number, kp: number, w: number, kk: number, oc0: number, oc1: number,
  bias: number, mult: number, shift: number, out: number, ostride: number, oo: number, lo: number, hi: number, ranges: number): void {
  if (rows >= 4) k.gemm_r4c2(a, rows, kp, w, kk, oc0, oc1, bias, mult, shift, out, ostride, oo, lo, hi, ranges);
  else k.gemm_r1c4(a, rows, kp, w, kk, oc0, oc1, bias, mult, shift, out, ostride, oo, lo, hi, ranges);
}

/**
 * convCoreS8 on wasm: im2col (int16, x + input_offset, 0 for padding and upscale holes) in row
 * blocks, SIMD GEMM with fused requantization. Same arguments as convCoreS8, already validated
 * (groups > 0, K > 0).
 */
export function convCoreWasm(
  params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, upscale: { h: number; w: number } | null, outputDims: Dims, output: Int8Array, groups: number,
): boolean {
  const k = wasmKernels();
  if (!k) return false;
  const uh = upscale ? upscale.h : 1, uw = upscale ? upscale.w : 1;
  const inH = inputDims.h, inW = inputDims.w;
  const realH = Math.trunc(inH / uh), realW = Math.trunc(inW / uw);
  const C = inputDims.c, CK = filterDims.c, KH = filterDims.h, KW = filterDims.w;
  const OH = outputDims.h, OW = outputDims.w, Cout = outputDims.c, coPerG = Cout / groups;
  const sh = params.stride.h, sw = params.stride.w, ph = params.padding.h, pw = params.padding.w;
  const dh = params.dilation.h, dw = params.dilation.w, off = params.inputOffset | 0;
  const K = KH * KW * CK, Kp = (K + 7) & ~7;
  const totalRows = outputDims.n * OH * OW;
  let ROWS = Math.floor(A_BLOCK_BYTES / (2 * Kp));
  ROWS = ROWS < 4 ? 4 : ROWS & ~3;
  if (ROWS > totalRows) ROWS = totalRows;

  const inCount = outputDims.n * realH * realW * C;
  // Without padding or upscale holes every row spans all K columns: the GEMM need not look at spans.
  const everyTapIn = ph === 0 && pw === 0 && uh === 1 && uw === 1;
  const wRes = residentFilter(k, filter, Cout * K);
  const L = new Layout();
  const geoAt = L.take(128);
  const biasAt = L.take(4 * Cout), multAt = L.take(4 * Cout), shiftAt = L.take(4 * Cout);
  const wAt = wRes >= 0 ? wRes : L.take(Cout * K + 16);
  const inAt = L.take(inCount + 16);
  const aAt = L.take(ROWS * Kp * 2 + 16);
  const rangesAt = L.take(ROWS * 8);
  const outAt = L.take(totalRows * Cout);
  const v = reserve(k, L.end);
  putI32(v, biasAt, bias, Cout);
  putI32(v, multAt, quant.multiplier, Cout);
  putI32(v, shiftAt, quant.shift, Cout);
  if (wRes < 0) v.i8.set(filter.subarray(0, Cout * K), wAt);
  v.i8.set(input.subarray(0, inCount), inAt);
  const geo = v.i32, g0 = geoAt >> 2;
  const gv = [realH, realW, C, inH, inW, uh, uw, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, CK, 0, off];
  for (let i = 0; i < gv.length; i++) geo[g0 + i] = gv[i];
  for (let g = 0; g < groups; g++) {
    geo[g0 + 18] = g * CK;
    for (let r0 = 0; r0 < totalRows; r0 += ROWS) {
      const rows = Math.min(ROWS, totalRows - r0);
      k.im2col(geoAt, inAt, aAt, r0, rows, Kp, rangesAt);
      runGemm(k, aAt, rows, Kp, wAt, K, g * coPerG, (g + 1) * coPerG, biasAt, multAt, shiftAt,
        outAt + r0 * Cout, Cout, params.outputOffset, params.activation.min, params.activation.max, everyTapIn ? 0 : rangesAt);
    }
  }
  output.set(v.i8.subarray(outAt, outAt + totalRows * Cout));
  return true;
}

/** Fully connected with filter_offset 0: rows = batches, A = input + input_offset. */
export function fcWasm(inputOffset: number, outputOffset: number, lo: number, hi: number,
  mult: Int32Array | number, shift: Int32Array | number, batches: number, depth: number, cout: number,
  input: Int8Array, filter: Int8Array, bias: Int32Array | null, output: Int8Array): boolean {
  const k = wasmKernels();
  if (!k || depth === 0) return false;
  const Kp = (depth + 7) & ~7;
  const wRes = residentFilter(k, filter, cout * depth);
  const L = new Layout();
  const biasAt = L.take(4 * cout), multAt = L.take(4 * cout), shiftAt = L.take(4 * cout);
  const wAt = wRes >= 0 ? wRes : L.take(cout * depth + 16);
  const aAt = L.take(batches * Kp * 2);
  const outAt = L.take(batches * cout);
  const v = reserve(k, L.end);
  putI32(v, biasAt, bias, cout);
  if (typeof mult === 'number') v.i32.fill(mult, multAt >> 2, (multAt >> 2) + cout); else putI32(v, multAt, mult, cout);
  if (typeof shift === 'number') v.i32.fill(shift, shiftAt >> 2, (shiftAt >> 2) + cout); else putI32(v, shiftAt, shift, cout);
  if (wRes < 0) v.i8.set(filter.subarray(0, cout * depth), wAt);
  const A = v.i16, off = inputOffset | 0;
  for (let b = 0; b < batches; b++) {
    let a = (aAt >> 1) + b * Kp, src = b * depth;
    for (let j = 0; j < depth; j++) A[a++] = input[src++] + off;
    if (Kp > depth) A.fill(0, a, a + Kp - depth);
  }
  runGemm(k, aAt, batches, Kp, wAt, depth, 0, cout, biasAt, multAt, shiftAt, outAt, cout, outputOffset, lo, hi, 0);
  output.set(v.i8.subarray(outAt, outAt + batches * cout));
  return true;
}

/**
 * Depthwise conv on wasm. A channel multiplier M > 1 is handled by repeating every input channel M
 * times (output channel ic·M + m reads input channel ic), which turns it into the M = 1 kernel.
 */
export function depthwiseWasm(
  params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): boolean {
  const k = wasmKernels();
  if (!k) return false;
  const M = params.chMult, Cin = inputDims.c, Cout = outputDims.c;
  const N = outputDims.n, H = inputDims.h, W = inputDims.w, KK = filterDims.h * filterDims.w;
  const inCount = N * H * W;
  const L = new Layout();
  const geoAt = L.take(64);
  const C8 = (Cout + 7) & ~7; // tables padded to whole 8-channel steps
  const biasAt = L.take(4 * C8), lmulAt = L.take(4 * C8), multAt = L.take(4 * C8);
  const halfAt = L.take(8 * C8), negAt = L.take(8 * C8), invAt = L.take(8 * C8);
  const wAt = L.take(KK * Cout + 16);
  const inAt = L.take(inCount * Cout + 16);
  const outCount = N * outputDims.h * outputDims.w * Cout;
  const outAt = L.take(outCount + 16);
  const v = reserve(k, L.end);
  const g = geoAt >> 2;
  v.i32[g] = N; v.i32[g + 1] = H; v.i32[g + 2] = W; v.i32[g + 3] = Cout;
  v.i32[g + 4] = outputDims.h; v.i32[g + 5] = outputDims.w; v.i32[g + 6] = filterDims.h; v.i32[g + 7] = filterDims.w;
  v.i32[g + 8] = params.stride.h; v.i32[g + 9] = params.stride.w; v.i32[g + 10] = params.padding.h; v.i32[g + 11] = params.padding.w;
  v.i32[g + 12] = params.dilation.h; v.i32[g + 13] = params.dilation.w; v.i32[g + 14] = params.inputOffset | 0;
  putI32(v, biasAt, bias, Cout);
  putI32(v, multAt, quant.multiplier, Cout);
  const f64 = v.f64;
  for (let c = 0; c < C8; c++) {
    const s = c < Cout ? quant.shift[c] : 0, R = s < 0 ? -s : 0;
    v.i32[(lmulAt >> 2) + c] = 1 << (s > 0 ? s : 0);
    f64[(halfAt >> 3) + c] = R > 0 ? 2 ** (R - 1) : 0;
    f64[(negAt >> 3) + c] = R > 0 ? 1 : 0;
    f64[(invAt >> 3) + c] = 2 ** -R;
  }
  v.i8.set(filter.subarray(0, KK * Cout), wAt);
  if (M === 1) v.i8.set(input.subarray(0, inCount * Cin), inAt);
  else {
    const d = v.i8;
    let o = inAt, s = 0;
    for (let p = 0; p < inCount; p++)
      for (let ic = 0; ic < Cin; ic++, s++) {
        const x = input[s];
        for (let m = 0; m < M; m++) d[o++] = x;
      }
  }
  k.depthwise(geoAt, inAt, wAt, outAt, biasAt, lmulAt, multAt, halfAt, negAt, invAt, params.outputOffset, params.activation.min, params.activation.max);
  output.set(v.i8.subarray(outAt, outAt + outCount));
  return true;
}

/** Below this many elements the copies in and out cost more than the wasm loop saves. */
const ELEMENTWISE_MIN = 64;

/** arm_elementwise_add_s8 on wasm; `lut1` / `lut2`: requantized (x + offset) << left_shift per int8 x. */
export function addWasm(in1: Int8Array, in2: Int8Array, lut1: Int32Array, lut2: Int32Array, out: Int8Array, n: number,
  m: number, s: number, oo: number, lo: number, hi: number): boolean {
  if (n < ELEMENTWISE_MIN) return false;
  const k = wasmKernels();
  if (!k) return false;
  const L = new Layout();
  const l1 = L.take(1024), l2 = L.take(1024), a = L.take(n), b = L.take(n), o = L.take(n);
  const v = reserve(k, L.end);
  v.i32.set(lut1, l1 >> 2); v.i32.set(lut2, l2 >> 2);
  v.i8.set(in1.subarray(0, n), a); v.i8.set(in2.subarray(0, n), b);
  k.add_s8(a, b, o, n, l1, l2, m, s, oo, lo, hi);
  out.set(v.i8.subarray(o, o + n));
  return true;
}

/** arm_elementwise_mul_s8 on wasm. */
export function mulWasm(in1: Int8Array, in2: Int8Array, out: Int8Array, n: number, o1: number, o2: number,
  m: number, s: number, oo: number, lo: number, hi: number): boolean {
  if (n < ELEMENTWISE_MIN) return false;
  const k = wasmKernels();
  if (!k) return false;
  const L = new Layout();
  const a = L.take(n), b = L.take(n), o = L.take(n);
  const v = reserve(k, L.end);
  v.i8.set(in1.subarray(0, n), a); v.i8.set(in2.subarray(0, n), b);
  k.mul_s8(a, b, o, n, o1, o2, m, s, oo, lo, hi);
  out.set(v.i8.subarray(o, o + n));
  return true;
}

/** arm_max_pool_s8 on wasm (16 channels per SIMD step). */
export function maxPoolWasm(inputDims: Dims, input: Int8Array, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number,
  lo: number, hi: number, outputDims: Dims, output: Int8Array): boolean {
  const k = wasmKernels();
  if (!k) return false;
  const inCount = inputDims.n * inputDims.h * inputDims.w * inputDims.c;
  const outCount = inputDims.n * outputDims.h * outputDims.w * inputDims.c;
  if (outCount < 256) return false;
  const L = new Layout();
  const geoAt = L.take(64), inAt = L.take(inCount + 16), outAt = L.take(outCount + 16);
  const v = reserve(k, L.end);
  const g = geoAt >> 2;
  const gv = [inputDims.n, inputDims.h, inputDims.w, inputDims.c, outputDims.h, outputDims.w, kh, kw, sh, sw, ph, pw, lo, hi];
  for (let i = 0; i < gv.length; i++) v.i32[g + i] = gv[i];
  v.i8.set(input.subarray(0, inCount), inAt);
  k.max_pool(geoAt, inAt, outAt);
  output.set(v.i8.subarray(outAt, outAt + outCount));
  return true;
}

/** 256-entry table lookup on wasm for the whole multiple-of-16 prefix; returns how many elements it did. */
export function lutWasm(input: Int8Array, output: Int8Array, lut: Int8Array, n: number): number {
  const m = n & ~15;
  if (m < ELEMENTWISE_MIN) return 0;
  const k = wasmKernels();
  if (!k) return 0;
  const L = new Layout();
  const t = L.take(256), a = L.take(m), o = L.take(m);
  const v = reserve(k, L.end);
  v.i8.set(lut.subarray(0, 256), t);
  v.i8.set(input.subarray(0, m), a);
  k.lut_s8(a, o, m, t);
  output.set(v.i8.subarray(o, o + m));
  return m;
}

/**
 * aten.lstm's gate pre-activations in single precision on wasm (kernels.wat lstm_gates) for
 * constant W [4H, I], R [4H, H] and B [8H] (or null): returns gates(X, xo, h, ho, out) with the
 * numbers of the plain float loops (src/kernels/float32/kernels.ts, lstmGatesF32), or null without
 * wasm SIMD. The weights are transposed to gate-minor float32 once and kept resident in linear memory.
 */
export function lstmGatesWasm(W: ArrayLike<number>, R: ArrayLike<number>, B: ArrayLike<number> | null, I: number, H: number):
  ((X: ArrayLike<number>, xo: number, h: Float32Array, ho: number, gates: Float32Array) => void) | null {
  const k = wasmKernels();
  if (!k) return null;
  const G = 4 * H, Gp = (G + 15) & ~15;
  const owner = {};
  const wBytes = 4 * Gp * I, rBytes = 4 * Gp * H;
  const fillWeights = (v: Views, at: number): void => {
    const f32 = new Float32Array(v.i8.buffer, at, (wBytes + rBytes) >> 2);
    f32.fill(0);
    for (let g = 0; g < G; g++) {
      for (let i = 0; i < I; i++) f32[i * Gp + g] = W[g * I + i]!;
      for (let j = 0; j < H; j++) f32[Gp * I + j * Gp + g] = R[g * H + j]!;
    }
  };
  // B[g] + B[4H+g] rounded to float, as the C kernel adds them
  const fillBias = (v: Views, at: number): void => {
    const f32 = new Float32Array(v.i8.buffer, at, Gp);
    for (let g = 0; g < Gp; g++) f32[g] = B && g < G ? Math.fround(B[g]! + B[G + g]!) : 0;
  };
  const biasOwner = {};
  return (X, xo, h, ho, gates) => {
    const wAt = residentBlock(k, owner, wBytes + rBytes, fillWeights);
    const bAt = residentBlock(k, biasOwner, 4 * Gp, fillBias);
    const L = new Layout();
    const xAt = L.take(4 * I), hAt = L.take(4 * H), oAt = L.take(4 * Gp);
    const v = reserve(k, L.end);
    const f32 = new Float32Array(v.i8.buffer);
    for (let i = 0; i < I; i++) f32[(xAt >> 2) + i] = X[xo + i]!;
    f32.set(h.subarray(ho, ho + H), hAt >> 2);
    k.lstm_gates(xAt, hAt, wAt, wAt + wBytes, bAt, oAt, I, H, Gp);
    gates.set(f32.subarray(oAt >> 2, (oAt >> 2) + G));
  };
}
