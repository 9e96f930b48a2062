// The twin of csrc/codegen_support/clg_float_ops.c: GELU (with the project's own
// single-precision erf), the window ops (convolution, transposed convolution,
// max / average pooling: one loop nest) and the elementwise ops on any element
// type (eq, logical_not, where, _to_copy, amax). Float operations are the C's, in
// the C's order, each rounded once with Math.fround; integers are exact; every
// NaN a float computation stores is the quiet NaN 0x7fc00000.
import type { DType } from "../../ir/dtype.js";
import { bitsFloat, fexp, floatBits } from "./fmath.js";
import { canonicalNaN } from "./kernels.js";

const f = Math.fround;

// ---- erf and GELU -------------------------------------------------------------------------

/** Maclaurin coefficients of erf in z = a², C_n = 2/√π (−1)^n / (n!(2n+1)); the C spells the same decimals. */
const ERF_SERIES = [1.12837917, -0.376126389, 0.112837917, -0.0268661706, 0.00522397763, -0.000854832702,
  0.00012055333, -1.49256504e-5, 1.64621144e-6, -1.63658447e-7, 1.48071928e-8, -1.22905553e-9,
  9.42275906e-11, -6.71136686e-12, 4.46322426e-13, -2.78351621e-14, 1.63426141e-15].map(f);
const ERF_SERIES_END = 1;
const INV_SQRT2 = f(0.707106781);
const INV_SQRTPI = f(0.564189584);
const ERFC_TERMS_NEAR = 60;
const ERFC_TERMS_FAR = 30;
const ERFC_FAR = 2;
const ERFC_ZERO = 10.5; // erfc is below half the smallest subnormal from here on

/** exp(−v²·scale), scale 1 or ½, with v = hi + lo, hi v's top 12 significant bits: hi² is exact, v² − hi² = lo·(v + hi) small (clg_exp_neg_square). */
function expNegSquare(v: number, scale: number): number {
  const hi = bitsFloat((floatBits(v) & 0xfffff000) >>> 0);
  return f(fexp(f(-f(hi * hi) * scale)) * fexp(f(-f(f(v - hi) * f(v + hi)) * scale)));
}

function erfPoly(a: number): number {
  const z = f(a * a);
  let p = ERF_SERIES[16]!;
  for (let k = 15; k >= 0; k--) p = f(ERF_SERIES[k]! + f(z * p));
  return f(a * p);
}

/** erfc(a), a ≥ 1, given e = exp(−a²), by the continued fraction from its last term up (60 terms below 2, 30 above). */
function erfcFraction(a: number, e: number): number {
  if (a >= ERFC_ZERO) return 0;
  let fr = a;
  for (let k = a < ERFC_FAR ? ERFC_TERMS_NEAR : ERFC_TERMS_FAR; k >= 1; k--) fr = f(a + f(f(k * 0.5) / fr));
  return f(f(e * INV_SQRTPI) / fr);
}

/** erf in single precision (clg_erff). */
export function ferf(x: number): number {
  if (x !== x) return x;
  const a = x < 0 ? -x : x;
  const r = a < ERF_SERIES_END ? erfPoly(a) : f(1 - erfcFraction(a, expNegSquare(a, 1)));
  return x < 0 ? -r : r;
}

/** Exact-form GELU in single precision (clg_geluf); the negative tail through erfc. */
export function fgelu(x: number): number {
  if (x !== x) return x;
  if (x >= 0) return f(f(0.5 * x) * f(1 + ferf(f(x * INV_SQRT2))));
  const a = f(-x * INV_SQRT2);
  // exp(−x²/2) from x itself: a is rounded, x is not
  const tail = a < ERF_SERIES_END ? f(1 - erfPoly(a)) : erfcFraction(a, expNegSquare(x, 0.5));
  return f(f(0.5 * x) * tail);
}

export function erfF32(x: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = ferf(x[i]!);
  canonicalNaN(out);
}

export function geluF32(x: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = fgelu(x[i]!);
  canonicalNaN(out);
}

// ---- window ops ---------------------------------------------------------------------------

/** clg_window_kind, in the enum's order. */
export const WINDOW_KINDS = ["CLG_WIN_CONV", "CLG_WIN_CONV_TRANSPOSED", "CLG_WIN_MAX", "CLG_WIN_AVG", "CLG_WIN_AVG_PAD"] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** The geometry array of clg_window_f32, in clg_window_geom's order (1-D ops: H = KH = 1). */
export interface WindowGeometry {
  N: number; C: number; H: number; W: number; O: number; OH: number; OW: number; KH: number; KW: number;
  groups: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
}

export function windowGeometryArray(g: WindowGeometry): number[] {
  return [g.N, g.C, g.H, g.W, g.O, g.OH, g.OW, g.KH, g.KW, g.groups, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw];
}

/** The input row a kernel tap reads for output position o, or −1 outside [0, size). */
function tap(transposed: boolean, o: number, k: number, s: number, p: number, d: number, size: number): number {
  let i: number;
  if (transposed) {
    const t = o + p - k * d;
    if (t < 0 || t % s !== 0) return -1;
    i = t / s;
  } else {
    i = o * s - p + k * d;
  }
  return i >= 0 && i < size ? i : -1;
}

/**
 * clg_conv4_f32's weight layout (a plain convolution's OIHW weights, rearranged): each group's
 * output channels in blocks of four, a block as [input channel][kh][kw][4], the group's last
 * (O / groups) % 4 channels as plain rows. Calls `pair(oihw, by4)` with every element's index in
 * both layouts.
 */
function forEachBy4(g: WindowGeometry, pair: (oihw: number, by4: number) => void): void {
  const coutG = g.O / g.groups;
  const perOc = (g.C / g.groups) * g.KH * g.KW;
  for (let grp = 0; grp < g.groups; grp++) {
    for (let ocg = 0; ocg < coutG;) {
      const lanes = coutG - ocg >= 4 ? 4 : 1;
      const oc = grp * coutG + ocg;
      for (let t = 0; t < perOc; t++) for (let l = 0; l < lanes; l++) pair((oc + l) * perOc + t, oc * perOc + t * lanes + l);
      ocg += lanes;
    }
  }
}

/** OIHW weights in clg_conv4_f32's layout. The kernel computes what windowF32 computes on the OIHW ones. */
export function convWeightsBy4(w: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const out = new Float32Array(w.length);
  forEachBy4(g, (oihw, by4) => (out[by4] = w[oihw]!));
  return out;
}

/** convWeightsBy4's inverse: the OIHW weights back from clg_conv4_f32's layout. */
export function convWeightsFromBy4(w4: ArrayLike<number>, g: WindowGeometry): Float32Array {
  const out = new Float32Array(w4.length);
  forEachBy4(g, (oihw, by4) => (out[oihw] = w4[by4]!));
  return out;
}

/** clg_window_f32: every output of an NCHW window op, summed in (input channel, kh, kw) order. */
export function windowF32(kind: WindowKind, x: ArrayLike<number>, w: ArrayLike<number> | null, b: ArrayLike<number> | null,
  y: Float32Array, g: WindowGeometry): void {
  const { N, C, H, W, O, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw } = g;
  const conv = kind === "CLG_WIN_CONV" || kind === "CLG_WIN_CONV_TRANSPOSED";
  const transposed = kind === "CLG_WIN_CONV_TRANSPOSED";
  const groups = conv ? g.groups : C;
  const cinG = C / groups;
  const coutG = O / groups;
  for (let n = 0; n < N; n++) {
    for (let oc = 0; oc < O; oc++) {
      const grp = Math.floor(oc / coutG);
      const ocg = oc - grp * coutG;
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          let acc = kind === "CLG_WIN_MAX" ? -Infinity : conv && b ? b[oc]! : 0;
          let count = 0;
          for (let icg = 0; icg < cinG; icg++) {
            const ic = grp * cinG + icg;
            const xc = (n * C + ic) * H * W;
            for (let kh = 0; kh < KH; kh++) {
              const ih = tap(transposed, oh, kh, sh, ph, dh, H);
              if (ih < 0) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = tap(transposed, ow, kw, sw, pw, dw, W);
                if (iw < 0) continue;
                const v = x[xc + ih * W + iw]!;
                if (conv) {
                  const wi = transposed ? ((ic * coutG + ocg) * KH + kh) * KW + kw : ((oc * cinG + icg) * KH + kh) * KW + kw;
                  acc = f(acc + f(w![wi]! * v));
                } else if (kind === "CLG_WIN_MAX") {
                  acc = v > acc || v !== v ? v : acc;
                } else {
                  acc = f(acc + v);
                  count++;
                }
              }
            }
          }
          if (kind === "CLG_WIN_AVG_PAD") {
            const h0 = oh * sh - ph, w0 = ow * sw - pw;
            const h1 = Math.min(h0 + KH, H + ph), w1 = Math.min(w0 + KW, W + pw);
            acc = f(acc / ((h1 - h0) * (w1 - w0)));
          } else if (kind === "CLG_WIN_AVG") {
            acc = f(acc / count);
          }
          y[((n * O + oc) * OH + oh) * OW + ow] = acc;
        }
      }
    }
  }
  canonicalNaN(y);
}

// ---- typed elementwise ops ------------------------------------------------------------------

/** clg_dtype, in the enum's order. */
export const C_DTYPES: readonly DType[] = ["f32", "i8", "u8", "i16", "i32", "i64", "bool"];
export const cDtype = (t: DType): string => `CLG_DT_${t.toUpperCase()}`;

/** clg_map_op, in the enum's order. */
export const MAP_OPS = ["CLG_MAP_EQ", "CLG_MAP_NOT", "CLG_MAP_WHERE", "CLG_MAP_CAST", "CLG_MAP_LT", "CLG_MAP_LE", "CLG_MAP_AND", "CLG_MAP_OR"] as const;
export type MapOp = (typeof MAP_OPS)[number];

export interface MapOperand {
  dtype: DType;
  data: ArrayLike<number>;
  /** Element stride per output dim (0 where broadcast). */
  strides: number[];
}

const TWO62 = 2 ** 62;
const TWO63 = 2 ** 63;

/** clg_float_to_int: truncation toward zero before wrapping (NaN 0; see the C). */
function floatToInt(v: number, to: DType): number {
  if (v !== v) return 0;
  if (v < TWO62 && v > -TWO62) return Math.trunc(v);
  if (to === "i64") return v < TWO63 && v >= -TWO63 ? Math.trunc(v) : -TWO63;
  return 0;
}

/**
 * clg_map over the row-major output `out` of `shape`. Integer stores wrap as the
 * typed arrays do (modulo 2^bits), which is the C's clg_wrap; a float copied by
 * where or a float-to-float cast keeps its bits (read through integer views).
 */
export function mapTyped(op: MapOp, outType: DType, out: ArrayLike<number> & { [i: number]: number }, ins: MapOperand[], shape: number[]): void {
  const nd = shape.length;
  const total = shape.reduce((p, d) => p * d, 1);
  const idx = new Array<number>(nd).fill(0);
  const at = ins.map(() => 0);
  // Float elements as their bit patterns, for the copies that keep bits.
  const bitsOf = (a: ArrayLike<number>): Int32Array => {
    const fa = a instanceof Float32Array ? a : Float32Array.from(a);
    return new Int32Array(fa.buffer, fa.byteOffset, fa.length);
  };
  const raw = ins.map((v) => (v.dtype === "f32" ? bitsOf(v.data) : v.data));
  const outBits = (outType === "f32" ? bitsOf(out) : out) as { [i: number]: number };
  const t0 = ins[0]!.dtype;
  const d0 = ins[0]!.data;
  for (let o = 0; o < total; o++) {
    switch (op) {
      case "CLG_MAP_EQ":
        out[o] = d0[at[0]!] === ins[1]!.data[at[1]!] ? 1 : 0;
        break;
      case "CLG_MAP_NOT":
        out[o] = d0[at[0]!] === 0 ? 1 : 0;
        break;
      case "CLG_MAP_LT":
        out[o] = d0[at[0]!]! < ins[1]!.data[at[1]!]! ? 1 : 0;
        break;
      case "CLG_MAP_LE":
        out[o] = d0[at[0]!]! <= ins[1]!.data[at[1]!]! ? 1 : 0;
        break;
      case "CLG_MAP_AND":
        out[o] = d0[at[0]!] !== 0 && ins[1]!.data[at[1]!] !== 0 ? 1 : 0;
        break;
      case "CLG_MAP_OR":
        out[o] = d0[at[0]!] !== 0 || ins[1]!.data[at[1]!] !== 0 ? 1 : 0;
        break;
      case "CLG_MAP_WHERE": {
        const k = d0[at[0]!] !== 0 ? 1 : 2;
        outBits[o] = raw[k]![at[k]!]!;
        break;
      }
      case "CLG_MAP_CAST": {
        const v = d0[at[0]!]!;
        if (outType === "bool") out[o] = v !== 0 ? 1 : 0;
        else if (outType === "f32") {
          if (t0 === "f32") outBits[o] = raw[0]![at[0]!]!;
          else out[o] = f(v);
        } else out[o] = t0 === "f32" ? floatToInt(v, outType) : v;
        break;
      }
    }
    for (let d = nd - 1; d >= 0; d--) {
      for (let k = 0; k < ins.length; k++) at[k]! += ins[k]!.strides[d]!;
      if (++idx[d]! < shape[d]!) break;
      for (let k = 0; k < ins.length; k++) at[k]! -= ins[k]!.strides[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

/**
 * clg_amax: out[o] = the maximum of x[starts[o] + offsets[r]] over r in order (reductionPlan
 * gives both, offsets in increasing input position); a NaN wins.
 */
export function amaxTyped(dtype: DType, x: ArrayLike<number>, out: ArrayLike<number> & { [i: number]: number }, starts: readonly number[], offsets: readonly number[]): void {
  const isFloat = dtype === "f32";
  for (let o = 0; o < starts.length; o++) {
    const base = starts[o]!;
    let best = -Infinity;
    for (let r = 0; r < offsets.length; r++) {
      const v = x[base + offsets[r]!]!;
      if (isFloat) best = v > best || v !== v ? v : best;
      else best = r === 0 || v > best ? v : best;
    }
    out[o] = best;
  }
  if (out instanceof Float32Array) canonicalNaN(out);
}

/** clg_sum_f32: out[o] = the sum of x[starts[o] + offsets[r]] over r in order, rounded to f32 after every addition. */
export function sumF32(x: ArrayLike<number>, out: Float32Array, starts: readonly number[], offsets: readonly number[]): void {
  for (let o = 0; o < starts.length; o++) {
    const base = starts[o]!;
    let acc = 0;
    for (let r = 0; r < offsets.length; r++) acc = f(acc + x[base + offsets[r]!]!);
    out[o] = acc;
  }
  canonicalNaN(out);
}
