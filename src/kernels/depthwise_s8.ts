/**
 * s8 depthwise convolution. Filter layout 1HWC {1, KH, KW, C_OUT}, C_OUT = C_IN·ch_mult,
 * out channel oc = ic·ch_mult + m, weight index (ky·KW + kx)·C_OUT + oc. Arithmetic per §4.1.
 */
import { Status, type Ctx, type Dims, type DwConvParams, type PerChannelQuant, type TargetClass, type Compiler } from './types.js';
import { requantize } from './requantize.js';
import { isMveDwToConv, dwToConvFilterDims } from './dispatch.js';
import { convolveWrapperS8 } from './conv_s8.js';
import { depthwiseConvS8OptBufferSize } from './buffer_sizes.js';
import { depthwiseWasm } from './wasm/simd_kernels.js';
import { sameSample } from './wasm/engine.js';

/** Plain reference (direct formula). */
export function depthwiseConvS8Ref(
  params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): number {
  const M = params.chMult, Cin = inputDims.c, Cout = outputDims.c, KH = filterDims.h, KW = filterDims.w;
  for (let b = 0; b < outputDims.n; b++)
    for (let oy = 0; oy < outputDims.h; oy++)
      for (let ox = 0; ox < outputDims.w; ox++)
        for (let ic = 0; ic < Cin; ic++)
          for (let m = 0; m < M; m++) {
            const oc = ic * M + m;
            let acc = bias ? bias[oc] : 0;
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * params.stride.h - params.padding.h + ky * params.dilation.h;
              if (iy < 0 || iy >= inputDims.h) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * params.stride.w - params.padding.w + kx * params.dilation.w;
                if (ix < 0 || ix >= inputDims.w) continue;
                const x = input[((b * inputDims.h + iy) * inputDims.w + ix) * Cin + ic];
                acc = (acc + (x + params.inputOffset) * filter[(ky * KW + kx) * Cout + oc]) | 0;
              }
            }
            let y = requantize(acc, quant.multiplier[oc], quant.shift[oc]) + params.outputOffset;
            y = Math.max(params.activation.min, Math.min(params.activation.max, y));
            output[((b * outputDims.h + oy) * outputDims.w + ox) * Cout + oc] = y;
          }
  return Status.SUCCESS;
}

let accBuf = new Float64Array(0);

/**
 * Optimized core: per output pixel, accumulate all output channels in a float64 row buffer
 * (exact), iterating taps outermost with hoisted in-bounds ranges; channel loop innermost.
 */
export function depthwiseCoreS8(
  params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): number {
  const M = params.chMult, Cin = inputDims.c, Cout = outputDims.c, KH = filterDims.h, KW = filterDims.w;
  if (Cout !== Cin * M) return Status.ARG_ERROR;
  if (depthwiseWasm(params, quant, inputDims, input, filterDims, filter, bias, outputDims, output)) return Status.SUCCESS;
  const H = inputDims.h, W = inputDims.w, OH = outputDims.h, OW = outputDims.w;
  const sh = params.stride.h, sw = params.stride.w, ph = params.padding.h, pw = params.padding.w;
  const dh = params.dilation.h, dw = params.dilation.w, off = params.inputOffset | 0;
  const mult = quant.multiplier, shift = quant.shift, oOff = params.outputOffset, lo = params.activation.min, hi = params.activation.max;
  if (accBuf.length < Cout) accBuf = new Float64Array(Cout);
  const acc = accBuf;
  for (let b = 0; b < outputDims.n; b++) {
    for (let oy = 0; oy < OH; oy++) {
      const iy0 = oy * sh - ph;
      for (let ox = 0; ox < OW; ox++) {
        const ix0 = ox * sw - pw;
        for (let oc = 0; oc < Cout; oc++) acc[oc] = bias ? bias[oc] : 0;
        for (let ky = 0; ky < KH; ky++) {
          const iy = iy0 + ky * dh;
          if (iy < 0 || iy >= H) continue;
          const rowBase = (b * H + iy) * W;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ix0 + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const src = (rowBase + ix) * Cin;
            const wb = (ky * KW + kx) * Cout;
            if (M === 1) {
              for (let c = 0; c < Cin; c++) acc[c] += (input[src + c] + off) * filter[wb + c];
            } else {
              let oc = 0;
              for (let ic = 0; ic < Cin; ic++) {
                const x = input[src + ic] + off;
                for (let m = 0; m < M; m++, oc++) acc[oc] += x * filter[wb + oc];
              }
            }
          }
        }
        const dst = ((b * OH + oy) * OW + ox) * Cout;
        for (let oc = 0; oc < Cout; oc++) {
          let y = requantize(acc[oc] | 0, mult[oc], shift[oc]) + oOff;
          if (y < lo) y = lo; else if (y > hi) y = hi;
          output[dst + oc] = y;
        }
      }
    }
  }
  return Status.SUCCESS;
}

/** arm_depthwise_conv_s8 (generic: ch_mult, batches, dilation). ctx unused. */
export function depthwiseConvS8(
  _ctx: Ctx | null, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  _biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): number {
  return depthwiseCoreS8(params, quant, inputDims, input, filterDims, filter, bias, outputDims, output);
}

/** arm_depthwise_conv_3x3_s8: ARG_ERROR if in.c != out.c, pad.w > 1, or filter not 3x3. */
export function depthwiseConv3x3S8(
  ctx: Ctx | null, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
): number {
  if (inputDims.c !== outputDims.c || params.padding.w > 1 || filterDims.w !== 3 || filterDims.h !== 3) return Status.ARG_ERROR;
  return depthwiseConvS8(ctx, { ...params, chMult: 1 }, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}

/**
 * arm_depthwise_conv_s8_opt: ARG_ERROR if in.c != out.c, or ctx.buf null while the target's
 * required size is non-zero (pure C: size 0). Pure C then calls arm_depthwise_conv_s8.
 */
export function depthwiseConvS8Opt(
  ctx: Ctx | null, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array, target: TargetClass = 'scalar',
): number {
  if (inputDims.c !== outputDims.c) return Status.ARG_ERROR;
  if ((!ctx || ctx.buf === null) && depthwiseConvS8OptBufferSize(target, inputDims, filterDims) > 0) return Status.ARG_ERROR;
  return depthwiseConvS8(ctx, { ...params, chMult: 1 }, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}

/**
 * The DW→conv filter {C_OUT, KH·KW} built once per (constant) depthwise filter and reused, guarded by
 * the same sampled-bytes check as the resident wasm filters (rebuilt when the source changed).
 */
const dwToConvFilters = new WeakMap<Int8Array, { tf: Int8Array; kk: number; sample: Int8Array }>();
function transposedFilter(filter: Int8Array, KK: number, Cout: number): Int8Array {
  let e = dwToConvFilters.get(filter);
  if (e && e.kk === KK && e.tf.length === Cout * KK && sameSample(filter, Cout * KK, e.sample)) return e.tf;
  const tf = new Int8Array(Cout * KK);
  for (let k = 0; k < KK; k++) for (let oc = 0; oc < Cout; oc++) tf[oc * KK + k] = filter[k * Cout + oc];
  e = { tf, kk: KK, sample: new Int8Array(64) };
  sameSample(filter, Cout * KK, e.sample);
  dwToConvFilters.set(filter, e);
  return tf;
}

/**
 * arm_depthwise_conv_wrapper_s8. Default target 'scalar'. With target 'mve' and input.c == 1 && output.c > T
 * the DW conv is converted to a regular conv (filter transposed to {C_OUT, KH, KW, 1}) and run through
 * convolveWrapperS8 (MVE defects emulated only when `emulateMveDefects`).
 */
export function depthwiseConvWrapperS8(
  ctx: Ctx, params: DwConvParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: Dims, filter: Int8Array,
  biasDims: Dims | null, bias: Int32Array | null, outputDims: Dims, output: Int8Array,
  opts: { target?: TargetClass; compiler?: Compiler; emulateMveDefects?: boolean } = {},
): number {
  const target = opts.target ?? 'scalar';
  if (target === 'mve' && isMveDwToConv(inputDims, outputDims, opts.compiler ?? 'gcc')) {
    if (filterDims.n !== 1) return Status.ARG_ERROR;
    // 1HWC with C_IN = 1 → OHWI with I = 1 is the same memory order {KH·KW, C_OUT} → {C_OUT, KH·KW}
    const fd = dwToConvFilterDims(filterDims);
    const KK = filterDims.h * filterDims.w, Cout = filterDims.c;
    const tf = transposedFilter(filter, KK, Cout);
    return convolveWrapperS8({ buf: ctx?.buf ?? new Int8Array(1), size: ctx?.size ?? 1 }, params, quant, inputDims, input, fd, tf, biasDims, bias, outputDims, output,
      { target, emulateMveDefects: opts.emulateMveDefects });
  }
  if (params.chMult === 1 && inputDims.n === 1 && params.dilation.w === 1 && params.dilation.h === 1) {
    if (target !== 'mve' && filterDims.w === 3 && filterDims.h === 3 && params.padding.h <= 1 && params.padding.w <= 1)
      return depthwiseConv3x3S8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
    return depthwiseConvS8Opt(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output, target);
  }
  return depthwiseConvS8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}
