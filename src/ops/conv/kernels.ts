// Direct float convolution loops (no im2col buffer). Forward conv semantics:
// each output starts at its bias and adds f32(w·x) for (input channel, kh, kw)
// in that order, rounding to f32 after every addition — what the wasm SIMD
// GEMM (conv_wasm.ts, the fast path) computes lane by lane, so both give the
// same bits. Float32Array accumulators do that rounding: a sum of two f32
// values formed in f64 and rounded to f32 is the correctly rounded f32 sum.
// For every (input channel, kernel tap) the valid output row/column range is
// computed once, so the inner loop has no bounds checks.
import type { ConvParams } from "./params.js";

export interface Dims2 {
  N: number; C: number; H: number; W: number;
  O: number; KH: number; KW: number;
  OH: number; OW: number;
}

// Integer division helpers that stay small integers (Math.ceil(-0/s) is -0,
// which would turn loop counters into doubles).
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b) | 0;
}
function ceilDiv(a: number, b: number): number {
  return -Math.floor(-a / b) | 0;
}

/** The TypeScript forward conv: the fallback and the reference of the wasm path. */
export function conv2dForward(x: Float32Array, w: Float32Array, b: Float32Array | null, d: Dims2, p: ConvParams): Float32Array {
  const { N, C, H, W, O, KH, KW, OH, OW } = d;
  const [sh, sw] = p.stride as [number, number];
  const [ph, pw] = p.padBegin as [number, number];
  const [dh, dw] = p.dilation as [number, number];
  const g = p.groups;
  const cinG = C / g;
  const coutG = O / g;
  const y = new Float32Array(N * O * OH * OW);
  // Output tiles of ~TILE elements keep the input rows they read in cache
  // while up to four output channels accumulate from each loaded input value.
  const TILE = 512;
  const tw = Math.min(OW, TILE);
  const th = Math.max(1, Math.min(OH, Math.floor(TILE / tw)));
  const a0 = new Float32Array(th * tw), a1 = new Float32Array(th * tw);
  const a2 = new Float32Array(th * tw), a3 = new Float32Array(th * tw);
  const f = Math.fround;
  const accs = [a0, a1, a2, a3];
  const plane = H * W;
  const kk = KH * KW;
  for (let n = 0; n < N; n++) {
    for (let oh0 = 0; oh0 < OH; oh0 += th) {
      const tH = Math.min(th, OH - oh0);
      for (let ow0 = 0; ow0 < OW; ow0 += tw) {
        const tW = Math.min(tw, OW - ow0);
        for (let grp = 0; grp < g; grp++) {
          for (let ocg = 0; ocg < coutG; ocg += 4) {
            const nb = Math.min(4, coutG - ocg);
            const oc = grp * coutG + ocg;
            for (let j = 0; j < 4; j++) accs[j]!.fill(j < nb && b ? b[oc + j]! : 0, 0, tH * tW);
            for (let icg = 0; icg < cinG; icg++) {
              const xBase = (n * C + grp * cinG + icg) * plane;
              const wBase = (oc * cinG + icg) * kk;
              const wStep = cinG * kk; // next output channel's weights
              for (let kh = 0; kh < KH; kh++) {
                const ho = kh * dh - ph; // ih = oh*sh + ho
                const h0 = Math.max(oh0, ceilDiv(-ho, sh));
                const h1 = Math.min(oh0 + tH, floorDiv(H - 1 - ho, sh) + 1);
                if (h0 >= h1) continue;
                for (let kw = 0; kw < KW; kw++) {
                  const wo = kw * dw - pw;
                  const w0 = Math.max(ow0, ceilDiv(-wo, sw));
                  const w1 = Math.min(ow0 + tW, floorDiv(W - 1 - wo, sw) + 1);
                  if (w0 >= w1) continue;
                  const wi = wBase + kh * KW + kw;
                  const v0 = w[wi]!;
                  if (nb === 1) {
                    if (v0 === 0) continue;
                    for (let oh = h0; oh < h1; oh++) {
                      const rowIn = xBase + (oh * sh + ho) * W + wo;
                      const ao = (oh - oh0) * tW - ow0;
                      for (let ow = w0; ow < w1; ow++) a0[ao + ow] += f(v0 * x[rowIn + ow * sw]!);
                    }
                    continue;
                  }
                  const v1 = w[wi + wStep]!;
                  const v2 = nb > 2 ? w[wi + 2 * wStep]! : 0;
                  const v3 = nb > 3 ? w[wi + 3 * wStep]! : 0;
                  for (let oh = h0; oh < h1; oh++) {
                    const rowIn = xBase + (oh * sh + ho) * W + wo;
                    const ao = (oh - oh0) * tW - ow0;
                    if (sw === 1) {
                      for (let ow = w0; ow < w1; ow++) {
                        const xv = x[rowIn + ow]!;
                        const k = ao + ow;
                        a0[k] += f(v0 * xv); a1[k] += f(v1 * xv); a2[k] += f(v2 * xv); a3[k] += f(v3 * xv);
                      }
                    } else {
                      for (let ow = w0; ow < w1; ow++) {
                        const xv = x[rowIn + ow * sw]!;
                        const k = ao + ow;
                        a0[k] += f(v0 * xv); a1[k] += f(v1 * xv); a2[k] += f(v2 * xv); a3[k] += f(v3 * xv);
                      }
                    }
                  }
                }
              }
            }
            for (let j = 0; j < nb; j++) {
              const acc = accs[j]!;
              const yBase = (n * O + oc + j) * OH * OW;
              for (let r = 0; r < tH; r++) {
                const src = r * tW;
                const dst = yBase + (oh0 + r) * OW + ow0;
                for (let c = 0; c < tW; c++) y[dst + c] = acc[src + c]!;
              }
            }
          }
        }
      }
    }
  }
  return y;
}

/**
 * Transposed convolution as a scatter: every input pixel adds x·w[ic, ocg] to
 * out[ih*s - p0 + kh*d]. Weight layout IOHW, O per group.
 */
export function convTranspose2d(x: Float32Array, w: Float32Array, b: Float32Array | null, d: Dims2, p: ConvParams): Float32Array {
  const { N, C, H, W, O, KH, KW, OH, OW } = d;
  const [sh, sw] = p.stride as [number, number];
  const [ph, pw] = p.padBegin as [number, number];
  const [dh, dw] = p.dilation as [number, number];
  const g = p.groups;
  const cinG = C / g;
  const coutG = O / g;
  const y = new Float32Array(N * O * OH * OW);
  const acc = new Float64Array(OH * OW);
  for (let n = 0; n < N; n++) {
    for (let oc = 0; oc < O; oc++) {
      const grp = (oc / coutG) | 0;
      const ocg = oc - grp * coutG;
      acc.fill(b ? b[oc]! : 0);
      for (let icg = 0; icg < cinG; icg++) {
        const ic = grp * cinG + icg;
        const xBase = (n * C + ic) * H * W;
        const wBase = (ic * coutG + ocg) * KH * KW;
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const wv = w[wBase + kh * KW + kw]!;
            if (wv === 0) continue;
            for (let ih = 0; ih < H; ih++) {
              const oh = ih * sh - ph + kh * dh;
              if (oh < 0 || oh >= OH) continue;
              for (let iw = 0; iw < W; iw++) {
                const ow = iw * sw - pw + kw * dw;
                if (ow < 0 || ow >= OW) continue;
                acc[oh * OW + ow] += wv * x[xBase + ih * W + iw]!;
              }
            }
          }
        }
      }
      y.set(acc, (n * O + oc) * OH * OW);
    }
  }
  return y;
}
