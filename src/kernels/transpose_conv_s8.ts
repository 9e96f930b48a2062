/**
 * s8 transpose conv (arm_transpose_conv_wrapper_s8 / arm_transpose_conv_s8). Filter {C_OUT, KH, KW, C_IN}.
 * Math: out[b, iy·sh − pad_h + ky, ix·sw − pad_w + kx, oc] += (x + input_offset)·w for in-range outputs,
 * bias preloaded, then requantize / output_offset / clamp. The "reverse conv" path (stride ≤ 2, C_IN > 16)
 * = arm_convolve_s8 on the zero-upsampled input with the x/y-flipped filter — identical numbers.
 */
import { Status, type Ctx, type Dims, type PerChannelQuant, type TransposeConvParams } from './types.js';
import { requantize } from './requantize.js';
import { convCoreS8 } from './conv_s8.js';
import { isTransposeConvReverse } from './dispatch.js';

export function transposeConvS8Ref(params: TransposeConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, outputDims: Dims, output: Int8Array): number {
  const Cout = outputDims.c, Cin = inputDims.c, KH = filterDims.h, KW = filterDims.w;
  const acc = new Float64Array(outputDims.n * outputDims.h * outputDims.w * Cout);
  for (let i = 0; i < acc.length; i++) acc[i] = bias ? bias[i % Cout] : 0;
  for (let b = 0; b < inputDims.n; b++) for (let iy = 0; iy < inputDims.h; iy++) for (let ix = 0; ix < inputDims.w; ix++)
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const oy = iy * params.stride.h - params.padding.h + ky, ox = ix * params.stride.w - params.padding.w + kx;
      if (oy < 0 || ox < 0 || oy >= outputDims.h || ox >= outputDims.w) continue;
      for (let oc = 0; oc < Cout; oc++) {
        let s = 0;
        for (let ic = 0; ic < Cin; ic++)
          s += (input[((b * inputDims.h + iy) * inputDims.w + ix) * Cin + ic] + params.inputOffset) * filter[((oc * KH + ky) * KW + kx) * Cin + ic];
        acc[((b * outputDims.h + oy) * outputDims.w + ox) * Cout + oc] += s;
      }
    }
  for (let i = 0; i < acc.length; i++) {
    const oc = i % Cout;
    const y = requantize(acc[i] % 4294967296 | 0, quant.multiplier[oc], quant.shift[oc]) + params.outputOffset;
    output[i] = Math.max(params.activation.min, Math.min(params.activation.max, y));
  }
  return Status.SUCCESS;
}

/** Optimized: reverse conv formulation (flipped filter, zero-upsampled virtual input) through the im2col GEMM. */
export function transposeConvS8Fast(params: TransposeConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, outputDims: Dims, output: Int8Array): number {
  const KH = filterDims.h, KW = filterDims.w, C = filterDims.c, Cout = filterDims.n;
  const flipped = new Int8Array(filter.length);
  for (let oc = 0; oc < Cout; oc++) for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
    const s = ((oc * KH + ky) * KW + kx) * C, d = ((oc * KH + (KH - 1 - ky)) * KW + (KW - 1 - kx)) * C;
    for (let c = 0; c < C; c++) flipped[d + c] = filter[s + c];
  }
  const sh = params.stride.h, sw = params.stride.w;
  const up: Dims = { n: inputDims.n, h: inputDims.h * sh, w: inputDims.w * sw, c: inputDims.c };
  const p = {
    ...params, stride: { h: 1, w: 1 }, dilation: { h: 1, w: 1 },
    padding: { h: KH - 1 - params.padding.h, w: KW - 1 - params.padding.w },
  };
  if (p.padding.h < 0 || p.padding.w < 0) return transposeConvS8Ref(params, quant, inputDims, input, filterDims, filter, bias, outputDims, output);
  return convCoreS8(p, quant, up, input, filterDims, flipped, bias, { h: sh, w: sw }, outputDims, output);
}

/** arm_transpose_conv_s8 (row-scatter kernel in CMSIS). ARG_ERROR if ctx.buf null. */
export function transposeConvS8(ctx: Ctx, _reverseCtx: Ctx | null, params: TransposeConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array,
  filterDims: Dims, filter: Int8Array, _biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array): number {
  if (!ctx || ctx.buf === null) return Status.ARG_ERROR;
  return transposeConvS8Fast(params, quant, inputDims, input, filterDims, filter, bias, outputDims, output);
}

/**
 * arm_transpose_conv_wrapper_s8(ctx, reverse_conv_ctx, params, quant, input_dims, input, filter_dims, filter,
 * bias_dims, bias, output_dims, output). ARG_ERROR if ctx.buf null; reverse path also needs reverse_conv_ctx.buf.
 */
export function transposeConvWrapperS8(ctx: Ctx, reverseCtx: Ctx | null, params: TransposeConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array,
  filterDims: Dims, filter: Int8Array, biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array): number {
  if (!ctx || ctx.buf === null) return Status.ARG_ERROR;
  if (isTransposeConvReverse(params, inputDims) && (!reverseCtx || reverseCtx.buf === null)) return Status.ARG_ERROR;
  return transposeConvS8(ctx, reverseCtx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}
