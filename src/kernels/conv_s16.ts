/**
 * 16x8 convolution (arm_convolve_s16 / wrapper): int16 activations (offsets ignored), int8 weights (OHWI),
 * bias int64 (requantize_s64, single rounding) or int32 (is_int32_bias: int32 acc, double-rounding requantize).
 * Accumulation is exact (int64 semantics; CMSIS's int32 partial sums only differ in pathological overflow).
 */
import { Status, type Ctx, type ConvParams, type Dims, type PerChannelQuant } from './types.js';
import { requantize, requantizeS64 } from './requantize.js';

/** cmsis_nn_bias_data */
export interface BiasData { data: BigInt64Array | Int32Array | null; isInt32Bias: boolean }

function biasAt(b: BiasData, oc: number): number {
  if (!b.data) return 0;
  return typeof b.data[oc] === 'bigint' ? Number(b.data[oc] as bigint) : (b.data[oc] as number);
}

export function finishS16(acc: number, bias: BiasData, oc: number, quant: PerChannelQuant, lo: number, hi: number): number {
  let y: number;
  if (bias.isInt32Bias) y = requantize((acc + biasAt(bias, oc)) % 4294967296 | 0, quant.multiplier[oc], quant.shift[oc]);
  else {
    const total = acc + biasAt(bias, oc);
    y = requantizeS64(Number.isSafeInteger(total) ? total : BigInt(acc) + BigInt(biasAt(bias, oc)), quant.multiplier[oc], quant.shift[oc]);
  }
  return y < lo ? lo : y > hi ? hi : y;
}

/** Reference (direct formula, BigInt accumulation). */
export function convolveS16Ref(params: ConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  bias: BiasData, outputDims: Dims, output: Int16Array): number {
  const C = inputDims.c, KH = filterDims.h, KW = filterDims.w, Cout = outputDims.c;
  for (let b = 0; b < outputDims.n; b++) for (let oy = 0; oy < outputDims.h; oy++) for (let ox = 0; ox < outputDims.w; ox++)
    for (let oc = 0; oc < Cout; oc++) {
      let acc = 0n;
      for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
        const iy = oy * params.stride.h - params.padding.h + ky * params.dilation.h;
        const ix = ox * params.stride.w - params.padding.w + kx * params.dilation.w;
        if (iy < 0 || ix < 0 || iy >= inputDims.h || ix >= inputDims.w) continue;
        for (let ic = 0; ic < C; ic++)
          acc += BigInt(input[((b * inputDims.h + iy) * inputDims.w + ix) * C + ic] * filter[((oc * KH + ky) * KW + kx) * C + ic]);
      }
      output[((b * outputDims.h + oy) * outputDims.w + ox) * Cout + oc] =
        finishS16(Number(acc), bias, oc, quant, params.activation.min, params.activation.max);
    }
  return Status.SUCCESS;
}

/** Optimized: hoisted bounds, float64 exact accumulation. */
export function convolveS16Core(params: ConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  bias: BiasData, outputDims: Dims, output: Int16Array): number {
  const C = inputDims.c, KH = filterDims.h, KW = filterDims.w, Cout = outputDims.c, H = inputDims.h, W = inputDims.w;
  const OH = outputDims.h, OW = outputDims.w, lo = params.activation.min, hi = params.activation.max;
  for (let b = 0; b < outputDims.n; b++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    const dst = ((b * OH + oy) * OW + ox) * Cout;
    for (let oc = 0; oc < Cout; oc++) {
      let acc = 0;
      for (let ky = 0; ky < KH; ky++) {
        const iy = oy * params.stride.h - params.padding.h + ky * params.dilation.h;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < KW; kx++) {
          const ix = ox * params.stride.w - params.padding.w + kx * params.dilation.w;
          if (ix < 0 || ix >= W) continue;
          const s = ((b * H + iy) * W + ix) * C, w = ((oc * KH + ky) * KW + kx) * C;
          for (let ic = 0; ic < C; ic++) acc += input[s + ic] * filter[w + ic];
        }
      }
      output[dst + oc] = finishS16(acc, bias, oc, quant, lo, hi);
    }
  }
  return Status.SUCCESS;
}

/** arm_convolve_s16(ctx, conv_params, quant, input_dims, input, filter_dims, filter, bias_dims, bias_data, output_dims, output) */
export function convolveS16(ctx: Ctx, params: ConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  _biasDims: Dims | null, bias: BiasData, outputDims: Dims, output: Int16Array): number {
  if (!ctx || ctx.buf === null) return Status.ARG_ERROR;
  return convolveS16Core(params, quant, inputDims, input, { ...filterDims, c: inputDims.c }, filter, bias, outputDims, output);
}
