/**
 * s8 fully connected: per batch row, acc[oc] = bias[oc] + Σ_j (x_j + input_offset)·(w[oc][j] + filter_offset),
 * requantize (per-tensor or per-channel), + output_offset, clamp. Weights row-major [C_OUT][accum_depth];
 * filter_dims.n = accum_depth, filter_dims.c = C_OUT; input is N × accum_depth.
 */
import { Status, type Ctx, type Dims, type FcParams, type PerChannelQuant, type PerTensorQuant } from './types.js';
import { requantize } from './requantize.js';
import { gemmS8Requant, getScratch16 } from './gemm.js';
import { fcWasm } from './wasm/simd_kernels.js';

export interface FcDims { n: number; c: number; h?: number; w?: number }

function fcRef(params: FcParams, mult: Int32Array, shift: Int32Array, batches: number, depth: number, cout: number,
  input: Int8Array, filter: Int8Array, bias: Int32Array | null, output: Int8Array): number {
  for (let b = 0; b < batches; b++)
    for (let oc = 0; oc < cout; oc++) {
      let acc = bias ? bias[oc] : 0;
      for (let j = 0; j < depth; j++)
        acc = (acc + (input[b * depth + j] + params.inputOffset) * (filter[oc * depth + j] + params.filterOffset)) | 0;
      let y = requantize(acc, mult[oc], shift[oc]) + params.outputOffset;
      y = Math.max(params.activation.min, Math.min(params.activation.max, y));
      output[b * cout + oc] = y;
    }
  return Status.SUCCESS;
}

function fcFast(params: FcParams, mult: Int32Array, shift: Int32Array, batches: number, depth: number, cout: number,
  input: Int8Array, filter: Int8Array, bias: Int32Array | null, output: Int8Array): number {
  const ioff = params.inputOffset | 0, foff = params.filterOffset | 0;
  if (foff === 0) {
    if (fcWasm(ioff, params.outputOffset, params.activation.min, params.activation.max, mult, shift, batches, depth, cout,
      input, filter, bias, output)) return Status.SUCCESS;
    const A = getScratch16(batches * depth);
    for (let i = 0; i < batches * depth; i++) A[i] = input[i] + ioff;
    gemmS8Requant(A, 0, batches, depth, filter, 0, 0, cout, bias, mult, shift, output, 0, cout,
      params.outputOffset, params.activation.min, params.activation.max);
    return Status.SUCCESS;
  }
  // Non-zero filter offset: Σ(x+io)(w+fo) = Σ(x+io)·w + fo·Σ(x+io) (exact in float64, wrapped at the end).
  const lo = params.activation.min, hi = params.activation.max, oOff = params.outputOffset;
  for (let b = 0; b < batches; b++) {
    const xb = b * depth;
    let rowSum = 0;
    for (let j = 0; j < depth; j++) rowSum += input[xb + j] + ioff;
    const extra = foff * rowSum;
    for (let oc = 0; oc < cout; oc++) {
      const wb = oc * depth;
      let s = 0;
      for (let j = 0; j < depth; j++) s += (input[xb + j] + ioff) * filter[wb + j];
      const acc = ((bias ? bias[oc] : 0) + s + extra) % 4294967296;
      let y = requantize(acc | 0, mult[oc], shift[oc]) + oOff;
      if (y < lo) y = lo; else if (y > hi) y = hi;
      output[b * cout + oc] = y;
    }
  }
  return Status.SUCCESS;
}

/** Per-tensor quant as per-channel arrays; module-level scratch reused across calls (filled per call). */
let ptMult = new Int32Array(0);
let ptShift = new Int32Array(0);
function perTensorArrays(q: PerTensorQuant, cout: number): [Int32Array, Int32Array] {
  if (ptMult.length < cout) { ptMult = new Int32Array(cout); ptShift = new Int32Array(cout); }
  ptMult.fill(q.multiplier, 0, cout);
  ptShift.fill(q.shift, 0, cout);
  return [ptMult, ptShift];
}

/** arm_fully_connected_s8 (per-tensor quant). ctx unused by the TS implementation. */
export function fullyConnectedS8(
  _ctx: Ctx | null, params: FcParams, quant: PerTensorQuant, inputDims: Dims, input: Int8Array, filterDims: FcDims, filter: Int8Array,
  _biasDims: FcDims | null, bias: Int32Array | null, outputDims: FcDims, output: Int8Array,
): number {
  const cout = outputDims.c;
  const [m, s] = perTensorArrays(quant, cout);
  return fcFast(params, m, s, inputDims.n, filterDims.n, cout, input, filter, bias, output);
}
export function fullyConnectedS8Ref(
  params: FcParams, quant: PerTensorQuant, inputDims: Dims, input: Int8Array, filterDims: FcDims, filter: Int8Array,
  bias: Int32Array | null, outputDims: FcDims, output: Int8Array,
): number {
  const [m, s] = perTensorArrays(quant, outputDims.c);
  return fcRef(params, m, s, inputDims.n, filterDims.n, outputDims.c, input, filter, bias, output);
}

/** arm_fully_connected_per_channel_s8 */
export function fullyConnectedPerChannelS8(
  _ctx: Ctx | null, params: FcParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: FcDims, filter: Int8Array,
  _biasDims: FcDims | null, bias: Int32Array | null, outputDims: FcDims, output: Int8Array,
): number {
  return fcFast(params, quant.multiplier, quant.shift, inputDims.n, filterDims.n, outputDims.c, input, filter, bias, output);
}
export function fullyConnectedPerChannelS8Ref(
  params: FcParams, quant: PerChannelQuant, inputDims: Dims, input: Int8Array, filterDims: FcDims, filter: Int8Array,
  bias: Int32Array | null, outputDims: FcDims, output: Int8Array,
): number {
  return fcRef(params, quant.multiplier, quant.shift, inputDims.n, filterDims.n, outputDims.c, input, filter, bias, output);
}

/** cmsis_nn_quant_params for the FC wrapper. */
export interface FcWrapperQuant { multiplier: Int32Array; shift: Int32Array; isPerChannel: boolean }

/** arm_fully_connected_wrapper_s8: dispatches on is_per_channel. */
export function fullyConnectedWrapperS8(
  ctx: Ctx | null, params: FcParams, quant: FcWrapperQuant, inputDims: Dims, input: Int8Array, filterDims: FcDims, filter: Int8Array,
  biasDims: FcDims | null, bias: Int32Array | null, outputDims: FcDims, output: Int8Array,
): number {
  if (quant.isPerChannel) return fullyConnectedPerChannelS8(ctx, params, quant, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
  return fullyConnectedS8(ctx, params, { multiplier: quant.multiplier[0], shift: quant.shift[0] }, inputDims, input, filterDims, filter, biasDims, bias, outputDims, output);
}
