/**
 * CMSIS-NN get_buffer_size formulas (§8) per target class, as compiled with GCC on the host by default
 * (DSP 1x1-fast size 0; MVE DW→conv threshold 1). Pass compiler 'armclang' for the Arm Compiler 6 branches.
 */
import type { Compiler, Dims, TargetClass, Tile } from './types.js';
import { isConv1x1, isConv1x1Fast, isConv1xN, isMveDwToConv, dwToConvFilterDims, isTransposeConvReverse } from './dispatch.js';

type ConvLike = { stride: Tile; padding: Tile; dilation: Tile };

/** Cortex-M core → CMSIS-NN target class. */
export function targetClass(cpu: string): TargetClass {
  const c = cpu.toLowerCase().replace(/^arm[-_]?/, '').replace(/_/g, '-');
  const m = /cortex-?m(\d+)(p|\+)?/.exec(c);
  if (!m) throw new Error(`unknown Cortex-M cpu: ${cpu}`);
  const n = m[1];
  const plus = m[2];
  if (n === '55' || n === '85' || n === '52') return 'mve';
  if (n === '4' || n === '7' || n === '33' || (n === '35' && plus === 'p') || n === '35') return 'dsp';
  if (n === '0' || n === '3' || n === '23' || n === '1') return 'scalar';
  throw new Error(`unknown Cortex-M cpu: ${cpu}`);
}

const al4 = (x: number): number => (x + 3) & ~3;
const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b);

/** arm_convolve_s8_get_buffer_size(_dsp/_mve): rc = KH·KW·input.c */
export function convolveS8BufferSize(target: TargetClass, inputDims: Dims, filterDims: Dims): number {
  const rc = filterDims.h * filterDims.w * inputDims.c;
  return target === 'mve' ? 64 * ceilDiv(rc, 16) : 4 * al4(rc);
}

/** arm_convolve_1x1_s8_fast_get_buffer_size: DSP built with Arm Compiler 6 → 4·C, else 0. */
export function convolve1x1S8FastBufferSize(target: TargetClass, inputDims: Dims, compiler: Compiler = 'gcc'): number {
  return target === 'dsp' && compiler === 'armclang' ? 4 * inputDims.c : 0;
}

/** arm_convolve_1_x_n_s8_get_buffer_size */
export function convolve1xNS8BufferSize(target: TargetClass, params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims): number {
  if (target !== 'mve') return convolveS8BufferSize(target, inputDims, filterDims);
  const C = inputDims.c, KW = filterDims.w, pw = params.padding.w, sw = params.stride.w;
  const total = (outputDims.w - 1) * sw + KW - inputDims.w;
  const a = total % 2;
  const rp = pw + a !== 0 ? Math.max(1, Math.trunc((pw + a + sw - 1) / sw)) : 0;
  const lp = pw !== 0 ? Math.max(1, Math.trunc((pw + sw - 1) / sw)) : 0;
  const np = Math.max(outputDims.w - rp - lp, 0);
  if (rp + np + lp !== outputDims.w) return convolveS8BufferSize('mve', inputDims, filterDims);
  return Math.max(KW * C + pw * C, (KW - 1) * C + (a !== 0 ? rp * C : pw * C));
}

/** arm_convolve_wrapper_s8_get_buffer_size (+ _dsp / _mve) following the wrapper dispatch. */
export function convolveWrapperS8BufferSize(target: TargetClass, params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims, compiler: Compiler = 'gcc'): number {
  if (isConv1x1(params, inputDims, filterDims)) {
    return isConv1x1Fast(params) ? convolve1x1S8FastBufferSize(target, inputDims, compiler) : 0;
  }
  if (isConv1xN(params, inputDims, filterDims)) return convolve1xNS8BufferSize(target, params, inputDims, filterDims, outputDims);
  return convolveS8BufferSize(target, inputDims, filterDims);
}

/** arm_depthwise_conv_s8_opt_get_buffer_size */
export function depthwiseConvS8OptBufferSize(target: TargetClass, inputDims: Dims, filterDims: Dims): number {
  if (target === 'scalar') return 0;
  if (target === 'dsp') return 2 * inputDims.c * filterDims.h * filterDims.w;
  return 4 * 124 * filterDims.h * filterDims.w;
}

/**
 * arm_depthwise_conv_wrapper_s8_get_buffer_size (+ _dsp / _mve).
 * MVE host variant: max(base, conv) where conv is the DW→conv size (conv wrapper MVE size + C_OUT·KH·KW).
 * `mveHostVariant = false` gives the value of the target build (conv size when converted).
 */
export function depthwiseConvWrapperS8BufferSize(target: TargetClass, params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims,
  compiler: Compiler = 'gcc', mveHostVariant = true): number {
  const optCase = inputDims.c === outputDims.c && inputDims.n === 1 && params.dilation.w === 1 && params.dilation.h === 1;
  if (target === 'scalar') return 0;
  if (target === 'dsp') {
    if (!optCase) return 0;
    if (filterDims.w === 3 && filterDims.h === 3 && params.padding.h <= 1 && params.padding.w <= 1) return 0;
    return depthwiseConvS8OptBufferSize('dsp', inputDims, filterDims);
  }
  const base = optCase ? depthwiseConvS8OptBufferSize('mve', inputDims, filterDims) : 0;
  if (isMveDwToConv(inputDims, outputDims, compiler)) {
    const fd = dwToConvFilterDims(filterDims);
    const conv = convolveWrapperS8BufferSize('mve', params, inputDims, fd, outputDims, compiler) + outputDims.c * filterDims.h * filterDims.w;
    return mveHostVariant ? Math.max(base, conv) : conv;
  }
  return base;
}

/** arm_convolve_wrapper_s16_get_buffer_size (= arm_convolve_s16_get_buffer_size) */
export function convolveWrapperS16BufferSize(target: TargetClass, inputDims: Dims, filterDims: Dims): number {
  const rc = inputDims.c * filterDims.h * filterDims.w;
  return target === 'mve' ? 64 * ceilDiv(rc, 8) : 4 * rc;
}

/** arm_depthwise_conv_fast_s16_get_buffer_size */
export function depthwiseConvFastS16BufferSize(target: TargetClass, inputDims: Dims, filterDims: Dims): number {
  const k = inputDims.c * filterDims.h * filterDims.w;
  if (target === 'scalar') return 0;
  if (target === 'dsp') return 2 * k;
  return 8 * k + 8;
}

/** arm_depthwise_conv_wrapper_s16_get_buffer_size */
export function depthwiseConvWrapperS16BufferSize(target: TargetClass, params: ConvLike & { chMult: number }, inputDims: Dims, filterDims: Dims): number {
  const fast = params.chMult === 1 && params.dilation.w === 1 && params.dilation.h === 1 && filterDims.h * filterDims.w < 512;
  return fast ? depthwiseConvFastS16BufferSize(target, inputDims, filterDims) : 0;
}

/** arm_transpose_conv_s8_get_buffer_size (filter dims {C_OUT, KH, KW, C_IN}) */
export function transposeConvS8BufferSize(target: TargetClass, params: { stride: Tile }, inputDims: Dims, filterDims: Dims, _outputDims?: Dims): number {
  const sh = params.stride.h, sw = params.stride.w;
  if (isTransposeConvReverse(params, inputDims)) {
    const up: Dims = { n: inputDims.n, h: inputDims.h * sh, w: inputDims.w * sw, c: inputDims.c };
    return convolveS8BufferSize(target, up, filterDims);
  }
  // quirk: the width term uses stride.h
  return 4 * ((inputDims.w - 1) * sw + Math.max(filterDims.w, sh)) * filterDims.n * Math.max(filterDims.h, sh);
}

/** arm_transpose_conv_s8_get_reverse_conv_buffer_size */
export function transposeConvS8ReverseConvBufferSize(params: { stride: Tile }, inputDims: Dims, filterDims: Dims): number {
  return isTransposeConvReverse(params, inputDims) ? inputDims.c * filterDims.h * filterDims.w * filterDims.n : 0;
}

/** arm_fully_connected_s8_get_buffer_size(filter_dims): MVE 4·C_OUT (filter_dims.c = C_OUT) */
export function fullyConnectedS8BufferSize(target: TargetClass, filterDims: { c: number }): number {
  return target === 'mve' ? 4 * filterDims.c : 0;
}

/** arm_avgpool_s8_get_buffer_size(output_w, C) (also _s16) */
export function avgpoolS8BufferSize(target: TargetClass, _outputW: number, C: number): number {
  return target === 'dsp' ? 4 * C : 0;
}
/** arm_max_pool_s8 uses no scratch. */
export function maxPoolS8BufferSize(_target: TargetClass): number { return 0; }
