// cortex_m.stft_f32's arithmetic: the twin of clg_stft_f32 (csrc/codegen_support/clg_stft.c). A convolution
// whose weights are a windowed real DFT basis (ops/conv/dft_basis.ts) computed as one real FFT per frame:
// the N windowed samples packed as N/2 complex ones z[m] = x[2m] + i·x[2m+1], an N/2-point radix-2
// decimation-in-time FFT, and the split that recovers the N-point spectrum's bins 0..N/2. Every float
// operation is the C's, in the C's order, rounded to float with Math.fround (fmath.ts says why that gives
// the C's bits under -ffp-contract=off); the tables are the C's constants. The C makes fewer passes over memory
// (stages 1–2 in the load, later stages in pairs, bins k and N/2 − k together): the same operations per value.
import { canonicalNaN } from "./kernels.js";

const f = Math.fround;

export interface StftTables {
  /** cos(2πk/N), sin(2πk/N) for k = 0..N/2, rounded to float (exact 0 where the value is 0). */
  cos: Float32Array;
  sin: Float32Array;
  /** Bit reversal of log2(N/2) bits: the FFT's input order. */
  bitrev: Uint16Array;
}

/** The constant tables of an N-point transform (N a power of two ≥ 4). */
export function stftTables(n: number): StftTables {
  const m = n / 2;
  const cos = new Float32Array(m + 1);
  const sin = new Float32Array(m + 1);
  for (let k = 0; k <= m; k++) {
    // A quarter turn's cos and a half turn's sin are 0, not the double's 6e-17 residue.
    const c = Math.cos((2 * Math.PI * k) / n);
    const s = Math.sin((2 * Math.PI * k) / n);
    cos[k] = Math.abs(c) < 1e-12 ? 0 : c;
    sin[k] = Math.abs(s) < 1e-12 ? 0 : s;
  }
  const bits = Math.log2(m);
  const bitrev = new Uint16Array(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev[i] = r;
  }
  return { cos, sin, bitrev };
}

/** What clg_stft_f32 reads from its int32 geometry array, in that order. */
export interface StftGeometry {
  /** Frame length N. */
  n: number;
  hop: number;
  /** Zeros before the signal (those after it are implied by `frames`). */
  padBegin: number;
  /** Samples per signal. */
  len: number;
  frames: number;
  /** Signals per batch entry: H of an NCHW [B, 1, H, L] input (1 for NCW). */
  rows: number;
  batch: number;
  /** −1: the sin rows are the DFT's imaginary part; +1: its negation. */
  imagSign: 1 | -1;
}

export function stftGeometryArray(g: StftGeometry): number[] {
  return [g.n, g.hop, g.padBegin, g.len, g.frames, g.rows, g.batch, g.imagSign];
}

/**
 * x: [batch, 1, rows, len] row-major; out: [batch, N + 2, rows, frames] row-major — channel k < N/2 + 1 is
 * Re X_k, channel N/2 + 1 + k is −imagSign·Im X_k, with X_k = Σ_n x[t·hop − padBegin + n]·window[n]·e^(−2πikn/N)
 * (zeros outside the signal). `work` holds N floats.
 */
export function stftF32(x: ArrayLike<number>, window: ArrayLike<number>, t: StftTables, out: Float32Array, work: Float32Array, g: StftGeometry): void {
  const { n, hop, padBegin, len, frames, rows, batch, imagSign } = g;
  const m = n / 2;
  const bins = m + 1;
  const { cos, sin, bitrev } = t;
  const rowStride = rows * frames;
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < rows; h++) {
      const xs = (b * rows + h) * len;
      const os = b * 2 * bins * rowStride + h * frames;
      for (let fr = 0; fr < frames; fr++) {
        const start = fr * hop - padBegin;
        // Complex slot s takes the windowed pair (2·bitrev[s], 2·bitrev[s] + 1): the FFT's bit-reversed input.
        for (let s = 0; s < m; s++) {
          const j = 2 * bitrev[s]!;
          const i0 = start + j;
          const x0 = i0 >= 0 && i0 < len ? x[xs + i0]! : 0;
          const x1 = i0 + 1 >= 0 && i0 + 1 < len ? x[xs + i0 + 1]! : 0;
          work[2 * s] = f(x0 * window[j]!);
          work[2 * s + 1] = f(x1 * window[j + 1]!);
        }
        fft(work, m, cos, sin, n);
        for (let k = 0; k < bins; k++) {
          const a = k === m ? 0 : k;
          const c = k === 0 ? 0 : m - k;
          const ar = work[2 * a]!, ai = work[2 * a + 1]!;
          const br = work[2 * c]!, bi = work[2 * c + 1]!;
          const sr = f(ar + br), di = f(ai - bi), si = f(ai + bi), dr = f(br - ar);
          const ck = cos[k]!, sk = sin[k]!;
          const xr = f(0.5 * f(f(sr + f(ck * si)) + f(sk * dr)));
          const xi = f(0.5 * f(f(di + f(ck * dr)) - f(sk * si)));
          out[os + k * rowStride + fr] = xr;
          out[os + (bins + k) * rowStride + fr] = imagSign < 0 ? xi : -xi;
        }
      }
    }
  }
  canonicalNaN(out);
}

/**
 * In-place radix-2 decimation-in-time FFT of m complex values (interleaved re, im) already in bit-reversed
 * order. Stage of half-size h: butterfly (u, v) at (g + j, g + j + h), twiddle W = e^(−2πij/2h) = cos − i·sin at
 * table index j·(N/2h); t = W·v; u' = u + t, v' = u − t. W = 1 (j = 0) and W = −i (j = h/2) skip the products.
 */
function fft(w: Float32Array, m: number, cos: Float32Array, sin: Float32Array, n: number): void {
  for (let h = 1; h < m; h *= 2) {
    const step = n / (2 * h);
    for (let j = 0; j < h; j++) {
      const kind = j === 0 ? 0 : 2 * j === h ? 1 : 2;
      const c = cos[j * step]!, s = sin[j * step]!;
      for (let g = j; g < m; g += 2 * h) {
        const u = 2 * g, v = 2 * (g + h);
        const ur = w[u]!, ui = w[u + 1]!, vr = w[v]!, vi = w[v + 1]!;
        let tr: number, ti: number;
        if (kind === 0) {
          tr = vr;
          ti = vi;
        } else if (kind === 1) {
          tr = vi;
          ti = -vr;
        } else {
          tr = f(f(c * vr) + f(s * vi));
          ti = f(f(c * vi) - f(s * vr));
        }
        w[u] = f(ur + tr);
        w[u + 1] = f(ui + ti);
        w[v] = f(ur - tr);
        w[v + 1] = f(ui - ti);
      }
    }
  }
}
