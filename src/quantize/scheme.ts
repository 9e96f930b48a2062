// How real ranges become quantization parameters (TFLite int8 spec, the one
// CMSIS-NN implements): activations int8 asymmetric per tensor with 0 exactly
// representable; weights int8 symmetric (zp 0, [-127, 127]); bias int32 with
// scale s_in·s_w and zp 0. Scales are rounded to float32 because that is how
// every consumer (ONNX export, TFLite, the C tables) stores them.
import { perTensor, perChannel, type QParams } from "../ir/quant.js";
import { quantizeValue, roundHalfEven } from "../ops/quant/rounding.js";

export const I8_MIN = -128;
export const I8_MAX = 127;
export const W_MIN = -127;
export const W_MAX = 127;
export const I32_MIN = -2147483648;
export const I32_MAX = 2147483647;

/** Smallest scale we hand out: a tensor of zeros still needs a positive scale. */
const MIN_SCALE = 1e-8;

function clampInt(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Activation parameters for the real range [min, max] (widened to include 0). */
export function activationQParams(min: number, max: number): QParams {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  // A constant-zero tensor still needs a usable scale; any positive one represents 0 exactly.
  const scale = Math.fround(hi > lo ? Math.max((hi - lo) / 255, MIN_SCALE) : 1 / 255);
  const zp = clampInt(roundHalfEven(I8_MIN - lo / scale), I8_MIN, I8_MAX);
  return perTensor(scale, zp, "i8", I8_MIN, I8_MAX);
}

/** Fixed output ranges of TFLite's int8 softmax / logistic / tanh kernels. */
export const FIXED_QPARAMS = {
  softmax: () => perTensor(1 / 256, -128, "i8", I8_MIN, I8_MAX),
  sigmoid: () => perTensor(1 / 256, -128, "i8", I8_MIN, I8_MAX),
  tanh: () => perTensor(1 / 128, 0, "i8", I8_MIN, I8_MAX),
} as const;
export type FixedKind = keyof typeof FIXED_QPARAMS;

function symmetricScale(maxAbs: number): number {
  return Math.fround(Math.max(maxAbs / W_MAX, MIN_SCALE));
}

/** Quantize `x` symmetrically with `scale` into [-127, 127] (round half to even, like torch.round). */
function quantSym(x: number, scale: number): number {
  return clampInt(roundHalfEven(x / scale), W_MIN, W_MAX);
}

export interface QuantizedWeight {
  data: Int8Array;
  qparams: QParams;
}

/** Symmetric per-tensor int8 weights. */
export function quantizeWeightPerTensor(w: Float32Array): QuantizedWeight {
  let m = 0;
  for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i]!));
  const scale = symmetricScale(m);
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) data[i] = quantSym(w[i]!, scale);
  return { data, qparams: perTensor(scale, 0, "i8", W_MIN, W_MAX) };
}

/** Symmetric per-channel int8 weights along `axis` of row-major `shape`. */
export function quantizeWeightPerChannel(w: Float32Array, shape: readonly number[], axis: number): QuantizedWeight {
  const C = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const chan = (i: number): number => Math.floor(i / inner) % C;
  const maxAbs = new Array<number>(C).fill(0);
  for (let i = 0; i < w.length; i++) {
    const c = chan(i);
    maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(w[i]!));
  }
  const scales = maxAbs.map(symmetricScale);
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) data[i] = quantSym(w[i]!, scales[chan(i)]!);
  return { data, qparams: perChannel(scales, axis, "i8", W_MIN, W_MAX) };
}

/**
 * int32 bias with scale s_in·s_w[c] (zp 0). Always per channel along axis 0 so
 * the lowering reads one form; a per-tensor weight scale is repeated.
 */
export function quantizeBias(b: Float32Array, inputScale: number, weightScales: readonly number[]): { data: Int32Array; qparams: QParams } {
  const scales = Array.from(b, (_, c) => Math.fround(inputScale * weightScales[weightScales.length === 1 ? 0 : c]!));
  const data = new Int32Array(b.length);
  for (let c = 0; c < b.length; c++) data[c] = clampInt(roundHalfEven(b[c]! / scales[c]!), I32_MIN, I32_MAX);
  return { data, qparams: perChannel(scales, 0, "i32", I32_MIN, I32_MAX) };
}

/** A constant used as an activation operand (e.g. add(x, 0.5)): asymmetric from its own range. */
export function quantizeConstActivation(x: Float32Array, q: QParams): Int8Array {
  // Same arithmetic as the quantize_per_tensor node it replaces (constant-folded).
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = quantizeValue(x[i]!, q.scale[0]!, q.zeroPoint[0]!, q.qmin, q.qmax);
  return out;
}
