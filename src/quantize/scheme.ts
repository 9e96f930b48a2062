// How real ranges become quantization parameters (TFLite int8 spec, the one
// CMSIS-NN implements): activations int8 asymmetric per tensor with 0 exactly
// representable; weights int8 symmetric (zp 0, [-127, 127]); bias int32 with
// scale s_in·s_w and zp 0. Scales are rounded to float32 because that is how
// every consumer (ONNX export, TFLite, the C tables) stores them.
import { perTensor, perChannel, type QParams } from "../ir/quant.js";
import type { FixedOutput } from "../ir/registry.js";
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

/** int8 parameters of a fixed output range (softmax / logistic / tanh kernels; the values are in their specs). */
export function fixedQParams(f: FixedOutput): QParams {
  return perTensor(f.scale, f.zeroPoint, "i8", I8_MIN, I8_MAX);
}

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

/**
 * How a symmetric weight scale is chosen: "maxabs" maps the largest |w| to 127;
 * "mse" picks, from a fixed grid of clipping ratios, the scale that minimises
 * Σ(w − ŵ)² (clipping a few outliers buys a finer step for all the others).
 */
export type WeightRange = "maxabs" | "mse";

/** 1.5·2^52: (y + ROUND_MAGIC) − ROUND_MAGIC rounds |y| < 2^51 half to even without a branch. */
const ROUND_MAGIC = 6755399441055744;

/** Squared error of quantizing `w` symmetrically with `scale`. */
function symmetricSse(w: Float32Array, scale: number): number {
  // Branch-free rounding: Math.round's tie test mispredicts on random weights and made this 3× slower.
  // |w·inv| ≤ 254 here (scales are at least max|w|/254), far inside the trick's range.
  const inv = 1 / scale;
  let e = 0;
  for (let k = 0; k < w.length; k++) {
    const x = w[k]!;
    const q = Math.min(W_MAX, Math.max(W_MIN, x * inv + ROUND_MAGIC - ROUND_MAGIC));
    const d = x - q * scale;
    e += d * d;
  }
  return e;
}

/** Most weights the clipping search looks at per channel (compile time grows with every one). */
const SEARCH_SAMPLE = 512;

/**
 * A deterministic strided subsample of a large channel for the clipping
 * search, always holding the largest |w| (at index `at`) so the unclipped
 * range stays a candidate. Small channels are searched whole.
 */
function searchSample(w: Float32Array, at: number): Float32Array {
  if (w.length <= SEARCH_SAMPLE) return w;
  const s = new Float32Array(SEARCH_SAMPLE);
  for (let i = 0; i < SEARCH_SAMPLE; i++) s[i] = w[Math.floor((i * w.length) / SEARCH_SAMPLE)]!;
  s[0] = w[at]!;
  return s;
}

/**
 * The scale for the weights `w` under `rule`. "mse" searches clipping ratios
 * r of max|w| in [0.5, 1]: every 0.05, then every 0.01 around the best
 * (about 20 passes over the weights instead of 51). Ties keep the wider range,
 * so r = 1 (max-abs) wins unless clipping strictly lowers the error.
 */
function chooseScale(w: Float32Array, rule: WeightRange): number {
  let m = 0;
  let at = 0;
  for (let k = 0; k < w.length; k++) {
    const a = Math.abs(w[k]!);
    if (a > m) {
      m = a;
      at = k;
    }
  }
  if (rule === "maxabs" || m === 0) return symmetricScale(m);
  w = searchSample(w, at);
  let bestR = 1;
  let bestErr = Infinity;
  const visit = (r: number): void => {
    const e = symmetricSse(w, symmetricScale(m * r));
    if (e < bestErr || (e === bestErr && r > bestR)) {
      bestErr = e;
      bestR = r;
    }
  };
  for (let i = 0; i <= 10; i++) visit(1 - i * 0.05);
  const centre = Math.round(bestR * 100);
  for (let c = Math.min(100, centre + 4); c >= Math.max(50, centre - 4); c--) if (c % 5 !== 0) visit(c / 100);
  return symmetricScale(m * bestR);
}

/** Symmetric per-tensor int8 weights. */
export function quantizeWeightPerTensor(w: Float32Array, rule: WeightRange = "maxabs"): QuantizedWeight {
  const scale = chooseScale(w, rule);
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) data[i] = quantSym(w[i]!, scale);
  return { data, qparams: perTensor(scale, 0, "i8", W_MIN, W_MAX) };
}

/** Symmetric per-channel int8 weights along `axis` of row-major `shape`. */
export function quantizeWeightPerChannel(w: Float32Array, shape: readonly number[], axis: number, rule: WeightRange = "maxabs"): QuantizedWeight {
  const C = shape[axis]!;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const outer = C > 0 ? w.length / (C * inner) : 0;
  // Each channel's weights, gathered contiguously (already contiguous when nothing precedes the axis).
  const channel = (c: number): Float32Array => {
    if (outer === 1) return w.subarray(c * inner, (c + 1) * inner);
    const buf = new Float32Array(outer * inner);
    for (let o = 0; o < outer; o++) buf.set(w.subarray((o * C + c) * inner, (o * C + c + 1) * inner), o * inner);
    return buf;
  };
  const scales = Array.from({ length: C }, (_, c) => chooseScale(channel(c), rule));
  const data = new Int8Array(w.length);
  // Same numbers as quantSym element by element (x / scale, ties to even, clamp), with the
  // channel walk hoisted: Wav2Letter quantizes 34 M weights here.
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const scale = scales[c]!;
      for (let k = 0; k < inner; k++, i++) {
        const v = w[i]! / scale;
        const q = v > 1e9 ? W_MAX : v < -1e9 ? W_MIN : v + ROUND_MAGIC - ROUND_MAGIC;
        data[i] = q < W_MIN ? W_MIN : q > W_MAX ? W_MAX : q;
      }
    }
  }
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
