/**
 * s8 convolution (arm_convolve_s8 / _1x1_s8_fast / _1x1_s8 / _1_x_n_s8 / wrapper).
 * Arithmetic per CMSIS-NN §4.1: acc = bias + Σ (x + input_offset)·w over in-bounds taps (int32 wrap),
 * y = clamp(requantize(acc, mult[oc], shift[oc]) + output_offset). Layouts: NHWC input/output, OHWI filter.
 */
import { Status, type Ctx, type ConvParams, type Dims, type PerChannelQuant, type TargetClass } from './types.js';
import { requantize } from './requantize.js';
import { gemmS8Requant, getScratch16 } from './gemm.js';
import { isConv1x1, isConv1x1Fast, isConv1xN, mve1xNOutcome } from './dispatch.js';
import { convCoreWasm } from './wasm/simd_kernels.js';

/** upscale_dims: {h, w} zero-insertion factors of the (virtual) input; null = none. */
export type Upscale = { h: number; w: number } | null;

function groupsOf(inputDims: Dims, filterDims: Dims, outputDims: Dims): number {
  if (filterDims.c <= 0) return -1;
  const groups = Math.trunc(inputDims.c / filterDims.c);
  if (groups <= 0 || inputDims.c % groups !== 0 || outputDims.c % groups !== 0) return -1;
  return groups;
}

/**
 * Plain reference: the obviously-correct direct formula (one output element at a time).
 * Supports batches, stride, padding, dilation, groups and upscale (zero-inserted input as used by
 * the reverse transpose conv: `inputDims` is the virtual upscaled size, `input` holds the real data).
 */
export function convolveS8Ref(
  params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, upscale: Upscale, outputDims: Dims, output: Int8Array,
): number {
  const groups = groupsOf(inputDims, filterDims, outputDims);
  if (groups < 0) return Status.ARG_ERROR;
  const uh = upscale ? upscale.h : 1, uw = upscale ? upscale.w : 1;
  const realH = Math.trunc(inputDims.h / uh), realW = Math.trunc(inputDims.w / uw);
  const C = inputDims.c, CK = filterDims.c, KH = filterDims.h, KW = filterDims.w;
  const Cout = outputDims.c, coPerG = Cout / groups;
  for (let b = 0; b < outputDims.n; b++)
    for (let oy = 0; oy < outputDims.h; oy++)
      for (let ox = 0; ox < outputDims.w; ox++)
        for (let oc = 0; oc < Cout; oc++) {
          const g = Math.floor(oc / coPerG);
          let acc = bias ? bias[oc] : 0;
          for (let ky = 0; ky < KH; ky++) {
            const vy = oy * params.stride.h - params.padding.h + ky * params.dilation.h;
            if (vy < 0 || vy >= inputDims.h || vy % uh !== 0) continue;
            const iy = vy / uh;
            if (iy >= realH) continue;
            for (let kx = 0; kx < KW; kx++) {
              const vx = ox * params.stride.w - params.padding.w + kx * params.dilation.w;
              if (vx < 0 || vx >= inputDims.w || vx % uw !== 0) continue;
              const ix = vx / uw;
              if (ix >= realW) continue;
              for (let ic = 0; ic < CK; ic++) {
                const x = input[((b * realH + iy) * realW + ix) * C + g * CK + ic];
                const w = filter[((oc * KH + ky) * KW + kx) * CK + ic];
                acc = (acc + (x + params.inputOffset) * w) | 0;
              }
            }
          }
          let y = requantize(acc, quant.multiplier[oc], quant.shift[oc]) + params.outputOffset;
          y = Math.max(params.activation.min, Math.min(params.activation.max, y));
          output[((b * outputDims.h + oy) * outputDims.w + ox) * Cout + oc] = y;
        }
  return Status.SUCCESS;
}

/**
 * Optimized core: im2col of a block of output pixels into int16 (x + input_offset, 0 for padding),
 * then a register-blocked GEMM with fused requantization — the WebAssembly SIMD one when available,
 * else the 4x4 TypeScript one. Same numbers as the reference.
 */
export function convCoreS8(
  params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, upscale: Upscale, outputDims: Dims, output: Int8Array,
): number {
  const groups = groupsOf(inputDims, filterDims, outputDims);
  if (groups < 0) return Status.ARG_ERROR;
  const uh = upscale ? upscale.h : 1, uw = upscale ? upscale.w : 1;
  const inH = inputDims.h, inW = inputDims.w;
  const realH = Math.trunc(inH / uh), realW = Math.trunc(inW / uw);
  const C = inputDims.c, CK = filterDims.c, KH = filterDims.h, KW = filterDims.w;
  const OH = outputDims.h, OW = outputDims.w, Cout = outputDims.c, coPerG = Cout / groups;
  const sh = params.stride.h, sw = params.stride.w, ph = params.padding.h, pw = params.padding.w;
  const dh = params.dilation.h, dw = params.dilation.w, off = params.inputOffset | 0;
  const K = KH * KW * CK;
  const totalRows = outputDims.n * OH * OW;
  if (totalRows === 0 || Cout === 0) return Status.SUCCESS;
  if (K === 0) {
    // No taps: acc = bias only.
    const A0 = new Int16Array(0);
    for (let g = 0; g < groups; g++)
      gemmS8Requant(A0, 0, totalRows, 0, filter, 0, g * coPerG, (g + 1) * coPerG, bias, quant.multiplier, quant.shift,
        output, 0, Cout, params.outputOffset, params.activation.min, params.activation.max);
    return Status.SUCCESS;
  }
  if (convCoreWasm(params, quant, inputDims, input, filterDims, filter, bias, upscale, outputDims, output, groups)) return Status.SUCCESS;
  let ROWS = Math.floor(131072 / K);
  if (ROWS < 4) ROWS = 4; else if (ROWS > 256) ROWS = 256;
  if (ROWS > totalRows) ROWS = totalRows;
  const A = getScratch16(ROWS * K);
  const simple1x1 = KH === 1 && KW === 1 && ph === 0 && pw === 0 && uh === 1 && uw === 1;
  for (let g = 0; g < groups; g++) {
    const cBase = g * CK;
    for (let r0 = 0; r0 < totalRows; r0 += ROWS) {
      const rows = Math.min(ROWS, totalRows - r0);
      // im2col
      let a = 0;
      for (let r = 0; r < rows; r++) {
        const p = r0 + r;
        const ox = p % OW;
        const t = (p - ox) / OW;
        const oy = t % OH;
        const b = (t - oy) / OH;
        if (simple1x1) {
          const iy = oy * sh, ix = ox * sw;
          let src = ((b * inH + iy) * inW + ix) * C + cBase;
          for (let ic = 0; ic < CK; ic++) A[a++] = input[src++] + off;
          continue;
        }
        for (let ky = 0; ky < KH; ky++) {
          const vy = oy * sh - ph + ky * dh;
          const rowOk = vy >= 0 && vy < inH && vy % uh === 0;
          const iy = vy / uh;
          for (let kx = 0; kx < KW; kx++) {
            const vx = ox * sw - pw + kx * dw;
            if (rowOk && vx >= 0 && vx < inW && vx % uw === 0 && iy < realH && vx / uw < realW) {
              let src = ((b * realH + iy) * realW + vx / uw) * C + cBase;
              for (let ic = 0; ic < CK; ic++) A[a++] = input[src++] + off;
            } else {
              for (let ic = 0; ic < CK; ic++) A[a++] = 0;
            }
          }
        }
      }
      gemmS8Requant(A, 0, rows, K, filter, 0, g * coPerG, (g + 1) * coPerG, bias, quant.multiplier, quant.shift,
        output, r0 * Cout, Cout, params.outputOffset, params.activation.min, params.activation.max);
    }
  }
  return Status.SUCCESS;
}

/**
 * arm_convolve_s8(ctx, conv_params, quant_params, input_dims, input, filter_dims, filter, bias_dims, bias,
 * upscale_dims, output_dims, output). ARG_ERROR if ctx.buf is null or the group split is invalid.
 * `ctx` contents are not used by the TS implementation (it keeps its own scratch).
 */
export function convolveS8(
  ctx: Ctx, params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  _biasDims: Dims | null, bias: Int32Array | null, upscale: Upscale, outputDims: Dims, output: Int8Array,
): number {
  if (!ctx || ctx.buf === null) return Status.ARG_ERROR;
  return convCoreS8(params, quant, inputDims, input, filterDims, filter, bias, upscale, outputDims, output);
}

/** arm_convolve_1x1_s8_fast: ARG_ERROR unless padding 0 and stride 1. Input treated as (N·H·W) × C. */
export function convolve1x1S8Fast(
  _ctx: Ctx, params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  _biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): number {
  if (params.padding.w !== 0 || params.padding.h !== 0 || params.stride.w !== 1 || params.stride.h !== 1) return Status.ARG_ERROR;
  return convCoreS8({ ...params, dilation: { h: 1, w: 1 } }, quant, inputDims, input, { ...filterDims, h: 1, w: 1 }, filter,
    bias, null, outputDims, output);
}

/** arm_convolve_1x1_s8 (any stride): ARG_ERROR unless padding 0. No ctx needed. */
export function convolve1x1S8(
  _ctx: Ctx | null, params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  _biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): number {
  if (params.padding.w !== 0 || params.padding.h !== 0) return Status.ARG_ERROR;
  return convCoreS8({ ...params, dilation: { h: 1, w: 1 } }, quant, inputDims, input, { ...filterDims, h: 1, w: 1 }, filter,
    bias, null, outputDims, output);
}

/**
 * arm_convolve_1_x_n_s8: ARG_ERROR if input.h != 1, dilation.w != 1, ctx.buf null, stride.w == 0 or
 * (stride.w·input.c) % 4 != 0; then (pure C / DSP) arm_convolve_s8. With `target: 'mve'` and
 * `emulateMveDefects`, returns FAILURE exactly when the MVE kernel would (numbers are otherwise the correct ones).
 */
export function convolve1xNS8(
  ctx: Ctx, params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
  opts: { target?: TargetClass; emulateMveDefects?: boolean } = {},
): number {
  if (inputDims.h !== 1 || params.dilation.w !== 1 || !ctx || ctx.buf === null || params.stride.w === 0 ||
    (params.stride.w * inputDims.c) % 4 !== 0) return Status.ARG_ERROR;
  if (opts.target === 'mve' && opts.emulateMveDefects &&
    mve1xNOutcome(params, inputDims, filterDims, outputDims) === 'failure') return Status.FAILURE;
  return convolveS8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, null, outputDims, output);
}

/**
 * arm_convolve_wrapper_s8: 1x1 → fast (stride 1) / 1x1; else 1xN; else arm_convolve_s8.
 * Default target 'scalar' (pure C). Numbers are identical for every target.
 */
export function convolveWrapperS8(
  ctx: Ctx, params: ConvParams, quant: PerChannelQuant,
  inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
  opts: { target?: TargetClass; emulateMveDefects?: boolean } = {},
): number {
  if (isConv1x1(params, inputDims, filterDims)) {
    if (isConv1x1Fast(params)) return convolve1x1S8Fast(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
    return convolve1x1S8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
  }
  if (isConv1xN(params, inputDims, filterDims)) {
    return convolve1xNS8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output, opts);
  }
  return convolveS8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, null, outputDims, output);
}
