/** 16x8 depthwise conv (arm_depthwise_conv_s16 / _fast_s16 / wrapper): int64 bias, requantize_s64. */
import { Status, type Ctx, type Dims, type DwConvParams, type PerChannelQuant } from './types.js';
import { requantizeS64 } from './requantize.js';
import { depthwiseWrapperS16Dispatch } from './dispatch.js';

function fin(acc: number, bias: BigInt64Array | null, oc: number, q: PerChannelQuant, lo: number, hi: number): number {
  const b = bias ? bias[oc] : 0n;
  const t = acc + Number(b);
  const y = requantizeS64(Number.isSafeInteger(t) ? t : BigInt(acc) + b, q.multiplier[oc], q.shift[oc]);
  return y < lo ? lo : y > hi ? hi : y;
}

export function depthwiseConvS16Ref(params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  bias: BigInt64Array | null, outputDims: Dims, output: Int16Array): number {
  const M = params.chMult, Cin = inputDims.c, Cout = outputDims.c;
  for (let b = 0; b < outputDims.n; b++) for (let oy = 0; oy < outputDims.h; oy++) for (let ox = 0; ox < outputDims.w; ox++)
    for (let oc = 0; oc < Cout; oc++) {
      const ic = Math.floor(oc / M);
      let acc = 0n;
      for (let ky = 0; ky < filterDims.h; ky++) for (let kx = 0; kx < filterDims.w; kx++) {
        const iy = oy * params.stride.h - params.padding.h + ky * params.dilation.h;
        const ix = ox * params.stride.w - params.padding.w + kx * params.dilation.w;
        if (iy < 0 || ix < 0 || iy >= inputDims.h || ix >= inputDims.w) continue;
        acc += BigInt(input[((b * inputDims.h + iy) * inputDims.w + ix) * Cin + ic] * filter[(ky * filterDims.w + kx) * Cout + oc]);
      }
      output[((b * outputDims.h + oy) * outputDims.w + ox) * Cout + oc] = fin(Number(acc), bias, oc, quant, params.activation.min, params.activation.max);
    }
  return Status.SUCCESS;
}

let acc64 = new Float64Array(0);
export function depthwiseConvS16Core(params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  bias: BigInt64Array | null, outputDims: Dims, output: Int16Array): number {
  const M = params.chMult, Cin = inputDims.c, Cout = outputDims.c, H = inputDims.h, W = inputDims.w, KH = filterDims.h, KW = filterDims.w;
  if (Cout !== Cin * M) return Status.ARG_ERROR;
  if (acc64.length < Cout) acc64 = new Float64Array(Cout);
  const acc = acc64;
  for (let b = 0; b < outputDims.n; b++) for (let oy = 0; oy < outputDims.h; oy++) for (let ox = 0; ox < outputDims.w; ox++) {
    acc.fill(0, 0, Cout);
    for (let ky = 0; ky < KH; ky++) {
      const iy = oy * params.stride.h - params.padding.h + ky * params.dilation.h;
      if (iy < 0 || iy >= H) continue;
      for (let kx = 0; kx < KW; kx++) {
        const ix = ox * params.stride.w - params.padding.w + kx * params.dilation.w;
        if (ix < 0 || ix >= W) continue;
        const s = ((b * H + iy) * W + ix) * Cin, wb = (ky * KW + kx) * Cout;
        let oc = 0;
        for (let ic = 0; ic < Cin; ic++) { const x = input[s + ic]; for (let m = 0; m < M; m++, oc++) acc[oc] += x * filter[wb + oc]; }
      }
    }
    const dst = ((b * outputDims.h + oy) * outputDims.w + ox) * Cout;
    for (let oc = 0; oc < Cout; oc++) output[dst + oc] = fin(acc[oc], bias, oc, quant, params.activation.min, params.activation.max);
  }
  return Status.SUCCESS;
}

/** arm_depthwise_conv_s16 (generic) */
export function depthwiseConvS16(_ctx: Ctx | null, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  _biasDims: Dims | null, bias: BigInt64Array | null, outputDims: Dims, output: Int16Array): number {
  return depthwiseConvS16Core(params, quant, inputDims, input, filterDims, filter, bias, outputDims, output);
}
/** arm_depthwise_conv_fast_s16: ARG_ERROR if in.c != out.c (ch_mult 1 only) */
export function depthwiseConvFastS16(ctx: Ctx | null, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: BigInt64Array | null, outputDims: Dims, output: Int16Array): number {
  if (inputDims.c !== outputDims.c) return Status.ARG_ERROR;
  return depthwiseConvS16(ctx, { ...params, chMult: 1 }, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}
/** arm_depthwise_conv_wrapper_s16 */
export function depthwiseConvWrapperS16(ctx: Ctx | null, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int16Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: BigInt64Array | null, outputDims: Dims, output: Int16Array): number {
  if (depthwiseWrapperS16Dispatch(params, filterDims) === 'arm_depthwise_conv_fast_s16')
    return depthwiseConvFastS16(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
  return depthwiseConvS16(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}
