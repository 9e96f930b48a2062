// Error-feedback rounding of int8 per-channel weights (the optimal-brain-
// quantizer step of GPTQ, Frantar et al. 2022, written here from the paper's
// equations). Round-to-nearest minimises each weight's own error; what the
// layer's readers see is the OUTPUT error Σ_p ‖(W − Ŵ)·x_p‖² over the inputs
// x_p it meets, = Σ_rows (w − ŵ)ᵀ H (w − ŵ) with H = Σ_p x_p x_pᵀ. Quantizing
// the input columns one at a time, the rounding error of column j is pushed
// onto the columns not yet quantized, in the proportion H⁻¹ says makes up for
// it on the calibration inputs (err / H⁻¹[j,j] · H⁻¹[j, j+1…]); H⁻¹ is then
// reduced by column j (one Gaussian-elimination step) for the next one.
// The scales stay those of the given quantization: only the integers move.
//
// The rows x_p are the layer's im2col patches. They come from the layer's own
// float reference, so any conv shape (stride, padding, dilation) is handled
// without a second implementation: a weight whose d output channels are the
// one-hot vectors of the d = Cin·K… weights of a row returns, at every output
// position, the patch that position reads.
import type { Node } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { getOp } from "../ir/registry.js";
import { IRError } from "../ir/errors.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import type { QuantizedWeight } from "./scheme.js";

/** Largest row length (Cin·K…) rounded this way: H is d×d, its inverse and the sweep cost about d³ each. */
export const MAX_ROW = 1024;
/** Most multiply-adds spent building H (positions × d² per sample): a few seconds; beyond it, fewer samples are used. */
const MAX_HESSIAN_WORK = 2e9;
/** Tikhonov damping of H, as a fraction of its mean diagonal (keeps H invertible on few, correlated inputs). */
const DAMP = 0.01;

/** H = Σ_p x_p x_pᵀ over the patches `n` reads in `samples` (input `xIndex`, weight `wIndex` of `shape`). */
function hessian(n: Node, xIndex: number, wIndex: number, shape: readonly number[], samples: readonly Tensor[]): Float64Array {
  const d = shape.slice(1).reduce((a, b) => a * b, 1);
  const probe = new Float32Array(d * d);
  for (let i = 0; i < d; i++) probe[i * d + i] = 1;
  const conv = n.op === CONVOLUTION.name;
  const H = new Float64Array(d * d);
  // The op's float reference itself: the node's output type says Cout channels, the probe gives d.
  const def = getOp(n.op);
  if (!def.eval) throw new IRError(`weight rounding: op ${n.op} (node ${n.name}) has no float reference`);
  for (const x of samples) {
    const ins: (Tensor | null)[] = n.inputs.map(() => null);
    ins[xIndex] = x;
    ins[wIndex] = { dtype: "f32", shape: [d, ...shape.slice(1)], data: probe };
    const y = def.eval(ins, n.attrs)[0]!;
    // Conv output N·d·spatial (channel axis 1); linear …·d (channel axis last).
    const outer = conv ? y.shape[0]! : y.data.length / d;
    const inner = conv ? y.data.length / (outer * d) : 1;
    const v = new Float64Array(d);
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        for (let i = 0; i < d; i++) v[i] = y.data[(o * d + i) * inner + s]!;
        for (let i = 0; i < d; i++) {
          const vi = v[i]!;
          if (vi === 0) continue;
          const row = i * d;
          for (let j = 0; j < d; j++) H[row + j]! += vi * v[j]!;
        }
      }
    }
  }
  return H;
}

/** In-place inverse of the symmetric positive definite d×d `a` (Gauss–Jordan; `a` is damped, so pivots are positive). */
function invertSpd(a: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let c = 0; c < d; c++) {
    const p = a[c * d + c]!;
    for (let j = 0; j < d; j++) {
      a[c * d + j]! /= p;
      inv[c * d + j]! /= p;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r * d + c]!;
      if (f === 0) continue;
      for (let j = 0; j < d; j++) {
        a[r * d + j]! -= f * a[c * d + j]!;
        inv[r * d + j]! -= f * inv[c * d + j]!;
      }
    }
  }
  return inv;
}

/**
 * The weights of `base` (per channel along axis 0, its scales kept) re-rounded
 * with error feedback on the layer inputs `samples`; null when the layer is
 * not of that form (per tensor, another axis, grouped conv) or its rows are
 * longer than MAX_ROW, or no sample is given (or one sample is already more
 * work than MAX_HESSIAN_WORK).
 */
export function errorFeedbackRound(
  n: Node, xIndex: number, wIndex: number, w: Float32Array, shape: readonly number[], base: QuantizedWeight, samples: readonly Tensor[],
): QuantizedWeight | null {
  const q = base.qparams;
  if (samples.length === 0 || q.scheme !== "per_channel" || q.axis !== 0) return null;
  if (n.op === CONVOLUTION.name && ((typeof n.attrs["groups"] === "number" && n.attrs["groups"] !== 1) || n.attrs["transposed"])) return null;
  const C = shape[0]!;
  const d = w.length / C;
  if (d > MAX_ROW || d < 2) return null;
  // Output positions per sample (the node's output holds Cout channels of them); big layers use the samples that fit.
  const perSample = (n.output.numel / C) * d * d;
  const fit = samples.slice(0, Math.floor(MAX_HESSIAN_WORK / Math.max(perSample, 1)));
  if (fit.length === 0) return null;
  const H = hessian(n, xIndex, wIndex, shape, fit);
  let mean = 0;
  for (let i = 0; i < d; i++) mean += H[i * d + i]!;
  mean /= d;
  if (!(mean > 0)) return null;
  for (let i = 0; i < d; i++) {
    // An input no sample ever excites carries no output error: a unit diagonal keeps H invertible there.
    if (H[i * d + i] === 0) H[i * d + i] = 1;
    H[i * d + i]! += DAMP * mean;
  }
  const Hinv = invertSpd(H, d);
  const W = Float64Array.from(w);
  const data = new Int8Array(w.length);
  const lo = q.qmin;
  const hi = q.qmax;
  for (let j = 0; j < d; j++) {
    const hjj = Hinv[j * d + j]!;
    for (let c = 0; c < C; c++) {
      const s = q.scale[c]!;
      const x = W[c * d + j]!;
      const k = s > 0 ? Math.min(hi, Math.max(lo, Math.round(x / s))) : 0;
      data[c * d + j] = k;
      const err = (x - k * s) / hjj;
      if (err === 0) continue;
      for (let l = j + 1; l < d; l++) W[c * d + l]! -= err * Hinv[j * d + l]!;
    }
    // Remove column j from the inverse: H⁻¹ of the remaining columns, by one elimination step.
    for (let r = j + 1; r < d; r++) {
      const f = Hinv[r * d + j]! / hjj;
      if (f === 0) continue;
      for (let l = j + 1; l < d; l++) Hinv[r * d + l]! -= f * Hinv[j * d + l]!;
    }
  }
  return { data, qparams: q };
}
