// Recognizes a convolution whose weights are a windowed real DFT basis — the STFT front end of audio models
// (Silero VAD's `stft.forward_basis_buffer`): row k (0 ≤ k ≤ N/2) is window[n]·cos(2πkn/N), row N/2+1+k is
// ±window[n]·sin(2πkn/N). Such a conv is an FFT per frame; the lowering runs it as cortex_m.stft_f32 and the
// quantizer's cost model counts it as one.
import type { Attrs } from "../../ir/graph.js";
import type { Tensor } from "../../ir/tensor.js";
import { IRError } from "../../ir/errors.js";
import { convParams } from "./params.js";

export interface DftBasis {
  /** Frame length N (a power of two ≥ 16). */
  n: number;
  /** N/2 + 1: the conv's output channels are `bins` real parts, then `bins` imaginary parts. */
  bins: number;
  /** The window, exactly the weight's row 0 (cos 0 = 1). */
  window: Float32Array;
  /** The sin rows are imagSign·window·sin(2πkn/N): −1 is the DFT's imaginary part itself. */
  imagSign: 1 | -1;
  /** 1: weight [O, 1, N] (NCW); 2: weight [O, 1, 1, N] (NCHW, along W; stride 1 and no padding along H). */
  spatial: 1 | 2;
  /** Frame hop (the conv's stride along the signal). */
  hop: number;
  /** Zeros before and after the signal (the conv's padding along it). */
  padBegin: number;
  padEnd: number;
}

/**
 * How far a weight may sit from window·cos / window·sin, relative to max |window|. A float32 basis entry
 * is off the exact product by at most half an ulp (≤ 2^-24·max|window| ≈ 6e-8; Silero's is 5.7e-8), and
 * the reference here, the float window times a double cos, adds at most as much again; 1e-6 leaves a
 * margin of ~8× yet rejects any weight moved by more than a millionth of the window's peak — the
 * substitution is then equal to the conv within the FFT's own rounding.
 */
export const DFT_BASIS_TOLERANCE = 1e-6;

const isPow2 = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** The basis the weight `w` of a convolution with attributes `attrs` holds, or null when it is not one. */
export function dftBasis(w: Tensor, attrs: Attrs): DftBasis | null {
  if (w.dtype !== "f32" || !(w.data instanceof Float32Array)) return null;
  const shape = w.shape;
  const spatial = shape.length === 3 ? 1 : shape.length === 4 ? 2 : 0;
  if (spatial === 0 || shape[1] !== 1 || (spatial === 2 && shape[2] !== 1)) return null;
  const n = shape[shape.length - 1]!;
  if (!isPow2(n) || n < 16) return null;
  const bins = n / 2 + 1;
  if (shape[0] !== 2 * bins) return null;
  let p;
  try {
    p = convParams(attrs, spatial);
  } catch (e) {
    if (e instanceof IRError) return null;
    throw e;
  }
  // Row H of a 2-D conv (H before W after convParams' lift) must be the identity: KH = 1, stride 1, no pad.
  if (p.transposed || p.groups !== 1 || p.dilation[1] !== 1 || p.stride[0] !== 1 || p.padBegin[0] !== 0 || p.padEnd[0] !== 0) return null;
  if (p.dilation[0] !== 1) return null;
  const data = w.data;
  const window = data.slice(0, n);
  let peak = 0;
  for (const v of window) peak = Math.max(peak, Math.abs(v));
  if (!(peak > 0) || !Number.isFinite(peak)) return null;
  const tol = DFT_BASIS_TOLERANCE * peak;
  // cos(2πkn/N) depends on kn mod N only: one table, indexed exactly.
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  for (let k = 0; k < bins; k++) {
    const row = k * n;
    for (let i = 0; i < n; i++) if (!(Math.abs(data[row + i]! - window[i]! * cos[(k * i) % n]!) <= tol)) return null;
  }
  // The sin block: either sign (the DFT's imaginary part is −window·sin; some exporters store +).
  const sinRows = (sign: 1 | -1): boolean => {
    for (let k = 0; k < bins; k++) {
      const row = (bins + k) * n;
      for (let i = 0; i < n; i++) if (!(Math.abs(data[row + i]! - sign * window[i]! * sin[(k * i) % n]!) <= tol)) return false;
    }
    return true;
  };
  const imagSign: 1 | -1 | null = sinRows(-1) ? -1 : sinRows(1) ? 1 : null;
  if (imagSign === null) return null;
  return { n, bins, window, imagSign, spatial, hop: p.stride[1]!, padBegin: p.padBegin[1]!, padEnd: p.padEnd[1]! };
}
