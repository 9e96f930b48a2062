// Forward convolution on the WebAssembly SIMD float GEMM: columns are output positions of every
// batch item at once (Wav2Letter's convs have only ~3 positions per item, so folding the batch in
// lets each filter row serve 30 columns instead of 3), rows are (input channel, kh, kw) taps in
// the order conv2dForward sums them. Padding taps are zeros in the panel; they add ±0, which
// leaves every sum unchanged (only the sign of an all-zero sum may differ from the skipping loop).
import { floatKernels, floatMemory, residentWeights, scratchStart } from "../../kernels/wasm/float_engine.js";
import type { Dims2 } from "./kernels.js";
import type { ConvParams } from "./params.js";

/** Target bytes of one im2col panel: it stays in L2 while the filter rows stream past it once. */
const PANEL_BYTES = 1 << 20;

const up16 = (bytes: number): number => (bytes + 15) & ~15;
const up8 = (n: number): number => (n + 7) & ~7;

/** conv2dForward on wasm, or null when the SIMD kernels are unavailable. */
export function conv2dWasm(x: Float32Array, w: Float32Array, b: Float32Array | null, d: Dims2, p: ConvParams): Float32Array | null {
  const k = floatKernels();
  if (!k) return null;
  const { N, C, H, W, O, KH, KW, OH, OW } = d;
  const [sh, sw] = p.stride as [number, number];
  const [ph, pw] = p.padBegin as [number, number];
  const [dh, dw] = p.dilation as [number, number];
  const g = p.groups;
  const cinG = C / g, coutG = O / g;
  const kk = KH * KW, K = cinG * kk;
  const plane = OH * OW, T = N * plane;
  const y = new Float32Array(N * O * plane);
  if (T === 0 || O === 0) return y;
  // Columns per panel: the im2col panel near PANEL_BYTES, the output panel at most 16 times that.
  const nb = Math.min(up8(T), Math.max(8, Math.floor(PANEL_BYTES / (4 * K)) & ~7), Math.max(8, Math.floor((16 * PANEL_BYTES) / (4 * coutG)) & ~7));
  const kept = residentWeights(k, w);
  const start = scratchStart();
  const aAt = kept >= 0 ? kept : start;
  const biasAt = up16((kept >= 0 ? start : start + 4 * w.length));
  const bAt = up16(biasAt + 4 * (O + 4));
  const cAt = up16(bAt + 4 * K * nb);
  const mem = floatMemory(k, cAt + 4 * coutG * nb + 16);
  if (kept < 0) mem.set(w, aAt >> 2);
  if (b) mem.set(b, biasAt >> 2);
  else mem.fill(0, biasAt >> 2, (biasAt >> 2) + O);
  const B = bAt >> 2, Cm = cAt >> 2;
  const pointwise = KH === 1 && KW === 1 && sh === 1 && sw === 1 && ph === 0 && pw === 0 && OH === H && OW === W;
  for (let c0 = 0; c0 < T; c0 += nb) {
    const cols = Math.min(nb, T - c0);
    const n8 = up8(cols);
    // Position of column c0: batch item, output row, output column.
    const n0 = Math.floor(c0 / plane), oh0 = Math.floor((c0 - n0 * plane) / OW), ow0 = c0 - n0 * plane - oh0 * OW;
    for (let grp = 0; grp < g; grp++) {
      for (let icg = 0; icg < cinG; icg++) {
        const ic = grp * cinG + icg;
        for (let kh = 0; kh < KH; kh++) {
          const ho = kh * dh - ph;
          for (let kw = 0; kw < KW; kw++) {
            const wo = kw * dw - pw;
            const dst = B + (icg * kk + kh * KW + kw) * n8;
            if (pointwise) {
              // 1×1, stride 1, no padding: the row is the channel's planes, copied a plane piece at a time.
              for (let j = 0, n = n0, s = c0 - n0 * plane; j < cols; n++, s = 0) {
                const len = Math.min(plane - s, cols - j);
                const from = (n * C + ic) * plane + s;
                mem.set(x.subarray(from, from + len), dst + j);
                j += len;
              }
              mem.fill(0, dst + cols, dst + n8);
              continue;
            }
            let n = n0, oh = oh0, ow = ow0;
            for (let j = 0; j < cols; j++) {
              const ih = oh * sh + ho, iw = ow * sw + wo;
              mem[dst + j] = ih >= 0 && ih < H && iw >= 0 && iw < W ? x[((n * C + ic) * H + ih) * W + iw]! : 0;
              if (++ow === OW) { ow = 0; if (++oh === OH) { oh = 0; n++; } }
            }
            mem.fill(0, dst + cols, dst + n8);
          }
        }
      }
      k.sgemm(aAt + 4 * grp * coutG * K, K, bAt, n8, cAt, biasAt + 4 * grp * coutG, coutG, K);
      for (let r = 0; r < coutG; r++) {
        const src = Cm + r * n8;
        let n = n0, s = c0 - n0 * plane;
        let dst = (n * O + grp * coutG + r) * plane + s;
        for (let j = 0; j < cols; j++) {
          y[dst++] = mem[src + j]!;
          if (++s === plane) { s = 0; n++; dst = (n * O + grp * coutG + r) * plane; }
        }
      }
    }
  }
  return y;
}
