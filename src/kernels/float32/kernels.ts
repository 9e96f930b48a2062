// The float fallback kernels in single precision, the twins of
// csrc/codegen_support/clg_float.c: the same float operations in the same
// order (each rounded once with Math.fround), the same own math functions
// (fmath.ts), and every NaN stored as the one quiet NaN 0x7fc00000, so the
// simulator and the C store the same bytes on every core (x86 and Arm make
// NaNs of different signs).
import { stridesOf } from "../../ir/tensor.js";
import { fexp, flog, fpow, fsigmoid, fsqrt, ftanh } from "./fmath.js";

const f = Math.fround;

/** Replace every NaN in `out` by the quiet NaN 0x7fc00000 (clg_float.c's CLG_NAN). */
export function canonicalNaN(out: Float32Array): Float32Array {
  let u: Uint32Array | null = null;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== out[i]) {
      u ??= new Uint32Array(out.buffer, out.byteOffset, out.length);
      u[i] = 0x7fc00000;
    }
  }
  return out;
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

type Unary = (x: number, p0: number, p1: number) => number;

/** clg_unary_op, in the enum's order; p0, p1 are floats (slope, or hardtanh's min/max). */
export const UNARY_F32: Readonly<Record<string, Unary>> = {
  CLG_ABS: (x) => Math.abs(x),
  CLG_NEG: (x) => -x,
  CLG_EXP: fexp,
  CLG_LOG: flog,
  CLG_SQRT: fsqrt,
  CLG_RELU: (x) => (x > 0 ? x : 0),
  CLG_SIGMOID: fsigmoid,
  CLG_TANH: ftanh,
  CLG_SILU: (x) => f(x * fsigmoid(x)),
  CLG_HARDSWISH: (x) => f(f(x * clamp(f(x + 3), 0, 6)) / 6),
  CLG_HARDSIGMOID: (x) => clamp(f(f(x / 6) + 0.5), 0, 1),
  CLG_LEAKY_RELU: (x, p0) => (x >= 0 ? x : f(x * p0)),
  CLG_HARDTANH: (x, p0, p1) => clamp(x, p0, p1),
};

type Binary = (a: number, b: number) => number;

/** clg_binary_op, in the enum's order. maximum / minimum propagate NaN. */
export const BINARY_F32: Readonly<Record<string, Binary>> = {
  CLG_ADD: (a, b) => f(a + b),
  CLG_SUB: (a, b) => f(a - b),
  CLG_MUL: (a, b) => f(a * b),
  CLG_DIV: (a, b) => f(a / b),
  CLG_POW: fpow,
  CLG_MAXIMUM: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  CLG_MINIMUM: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
};

export function unaryF32(op: string, x: ArrayLike<number>, out: Float32Array, p0: number, p1: number): void {
  const fn = UNARY_F32[op]!;
  const q0 = f(p0), q1 = f(p1);
  for (let i = 0; i < out.length; i++) out[i] = fn(x[i]!, q0, q1);
  canonicalNaN(out);
}

/** Broadcasting binary op over the row-major output of `shape` (operand strides 0 where broadcast). */
export function binaryF32(op: string, a: ArrayLike<number>, aStrides: number[], b: ArrayLike<number>, bStrides: number[],
  out: Float32Array, shape: number[]): void {
  const fn = BINARY_F32[op]!;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let ao = 0, bo = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = fn(a[ao]!, b[bo]!);
    for (let k = nd - 1; k >= 0; k--) {
      ao += aStrides[k]!;
      bo += bStrides[k]!;
      if (++idx[k]! < shape[k]!) break;
      ao -= aStrides[k]! * shape[k]!;
      bo -= bStrides[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
  canonicalNaN(out);
}

/**
 * A reduction over the dims flagged in `reduce` of a row-major `shape`: the first input
 * position of each output's group (outputs in row-major order) and the offsets of the
 * group's elements from it, in increasing input position.
 */
export function reductionPlan(shape: readonly number[], reduce: readonly boolean[]): { starts: number[]; offsets: number[] } {
  const strides = stridesOf(shape);
  const walk = (dims: number[]): number[] => {
    let at = [0];
    for (const k of dims) at = at.flatMap((a) => Array.from({ length: shape[k]! }, (_, i) => a + i * strides[k]!));
    return at;
  };
  const dims = shape.map((_, k) => k);
  return { starts: walk(dims.filter((k) => !reduce[k])), offsets: walk(dims.filter((k) => reduce[k])) };
}

/** Mean over the dims flagged in `reduce`: a float sum in increasing input position, then ÷ count. */
export function meanF32(x: ArrayLike<number>, out: Float32Array, shape: number[], reduce: boolean[]): void {
  const { starts, offsets } = reductionPlan(shape, reduce);
  const count = f(offsets.length);
  for (let o = 0; o < out.length; o++) {
    const base = starts[o]!;
    let acc = 0;
    for (const off of offsets) acc = f(acc + x[base + off]!);
    out[o] = f(acc / count);
  }
  canonicalNaN(out);
}

/** softmax (log_softmax when isLog) along the middle dim of [outer][len][inner]. */
export function softmaxF32(x: ArrayLike<number>, out: Float32Array, outer: number, len: number, inner: number, isLog: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -Infinity;
      for (let k = 0; k < len; k++) {
        const v = x[base + k * inner]!;
        m = v > m || v !== v ? v : m;
      }
      let sum = 0;
      for (let k = 0; k < len; k++) sum = f(sum + fexp(f(x[base + k * inner]! - m)));
      if (isLog) {
        const ls = flog(sum);
        for (let k = 0; k < len; k++) out[base + k * inner] = f(f(x[base + k * inner]! - m) - ls);
      } else {
        for (let k = 0; k < len; k++) out[base + k * inner] = f(fexp(f(x[base + k * inner]! - m)) / sum);
      }
    }
  }
  canonicalNaN(out);
}

/**
 * The exponentials of a softmax over int8 codes dequantized at scale s (the
 * zero point cancels in a difference): T[d] = exp(f(s · −d)) for d = qmax − q
 * in 0..255. Built once, at compile time, so a row costs lookups, not exps.
 */
export function softmaxExpTable(scale: number): Float32Array {
  const s = f(scale);
  return Float32Array.from({ length: 256 }, (_, d) => fexp(f(s * -d)));
}

/**
 * softmax along the middle dim of [outer][len][inner] int8 codes, defined on
 * the codes: per row, qmax = the largest code, e_k = table[qmax − q_k], and
 * out_k = e_k / Σe with the float sum taken in k order (clg_softmax_s8_f32).
 * It differs from softmax(dequantize(q)) only in taking s·(q_k − qmax) rounded
 * once instead of the difference of two rounded dequantized values.
 */
export function softmaxS8F32(q: ArrayLike<number>, table: Float32Array, out: Float32Array, outer: number, len: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let m = -128;
      for (let k = 0; k < len; k++) m = Math.max(m, q[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < len; k++) sum = f(sum + table[m - q[base + k * inner]!]!);
      for (let k = 0; k < len; k++) out[base + k * inner] = f(table[m - q[base + k * inner]!]! / sum);
    }
  }
}

/** Batched matmul out[b][M][N] = a[M][K]·b[K][N], float sums over k in order; batch strides per batch dim. */
export function matmulF32(a: ArrayLike<number>, b: ArrayLike<number>, out: Float32Array, batch: number[],
  aBStrides: number[], bBStrides: number[], M: number, K: number, N: number): void {
  const nb = batch.length;
  const batches = batch.reduce((p, d) => p * d, 1);
  const idx = new Array<number>(nb).fill(0);
  for (let bi = 0; bi < batches; bi++) {
    let ao = 0, bo = 0;
    for (let k = 0; k < nb; k++) {
      ao += idx[k]! * aBStrides[k]!;
      bo += idx[k]! * bBStrides[k]!;
    }
    const oo = bi * M * N;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc = f(acc + f(a[ao + m * K + k]! * b[bo + k * N + n]!));
        out[oo + m * N + n] = acc;
      }
    }
    for (let k = nb - 1; k >= 0; k--) {
      if (++idx[k]! < batch[k]!) break;
      idx[k] = 0;
    }
  }
  canonicalNaN(out);
}

/** y[rows][O] = bias[o] + Σk x[r][k]·w[o][k], summed in k order. */
export function linearF32(x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null, y: Float32Array,
  rows: number, K: number, O: number): void {
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < O; o++) {
      let acc = bias ? bias[o]! : 0;
      for (let k = 0; k < K; k++) acc = f(acc + f(x[r * K + k]! * w[o * K + k]!));
      y[r * O + o] = acc;
    }
  }
  canonicalNaN(y);
}

/**
 * One step's gate pre-activations for one batch row, in float:
 *   gates[g] = (B[g] + B[4H+g]) + Σk x[k]·W[g][k] + Σk h[k]·R[g][k]   (sums in k order)
 * x = X[xo..xo+I), h = h[ho..ho+H).
 */
export type LstmGatesF32 = (X: ArrayLike<number>, xo: number, h: Float32Array, ho: number, gates: Float32Array) => void;

export function lstmGatesF32(W: ArrayLike<number>, R: ArrayLike<number>, B: ArrayLike<number> | null, I: number, H: number): LstmGatesF32 {
  const G = 4 * H;
  const w = Float32Array.from(W);
  const r = Float32Array.from(R);
  const bias = new Float32Array(G);
  if (B) for (let g = 0; g < G; g++) bias[g] = f(B[g]! + B[G + g]!);
  return (X, xo, h, ho, gates) => {
    for (let g = 0; g < G; g++) {
      let acc = bias[g]!;
      const wo = g * I, ro = g * H;
      for (let k = 0; k < I; k++) acc = f(acc + f(X[xo + k]! * w[wo + k]!));
      for (let k = 0; k < H; k++) acc = f(acc + f(h[ho + k]! * r[ro + k]!));
      gates[g] = acc;
    }
  };
}

/**
 * ONNX LSTM forward (gates i, o, f, c; sigmoid / tanh / tanh) over S steps of a batch of N, in float:
 * X [S][N][I], h0 / c0 [N][H] or null; returns Y [S][N][H], Yh, Yc [N][H].
 */
export function lstmF32(X: ArrayLike<number>, h0: ArrayLike<number> | null, c0: ArrayLike<number> | null,
  S: number, N: number, I: number, H: number, gatesOf: LstmGatesF32): { Y: Float32Array; Yh: Float32Array; Yc: Float32Array } {
  const h = new Float32Array(N * H);
  const c = new Float32Array(N * H);
  if (h0) h.set(h0);
  if (c0) c.set(c0);
  const hNew = new Float32Array(N * H);
  const gates = new Float32Array(4 * H);
  const Y = new Float32Array(S * N * H);
  for (let t = 0; t < S; t++) {
    for (let n = 0; n < N; n++) {
      gatesOf(X, (t * N + n) * I, h, n * H, gates);
      for (let j = 0; j < H; j++) {
        const it = fsigmoid(gates[j]!);
        const ot = fsigmoid(gates[H + j]!);
        const ft = fsigmoid(gates[2 * H + j]!);
        const ct = ftanh(gates[3 * H + j]!);
        const C = f(f(ft * c[n * H + j]!) + f(it * ct));
        c[n * H + j] = C;
        hNew[n * H + j] = f(ot * ftanh(C));
      }
    }
    h.set(hNew);
    Y.set(h, t * N * H);
  }
  return { Y: canonicalNaN(Y), Yh: canonicalNaN(h), Yc: canonicalNaN(c) };
}

/** clg_hypot_f32: y[i] = sqrt(a[aOff + i]² + b[bOff + i]²), each operation rounded once (x² as x·x, IEEE sqrt). */
export function hypotF32(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const re = a[aOff + i]!;
    const im = b[bOff + i]!;
    y[i] = Math.fround(Math.sqrt(Math.fround(Math.fround(re * re) + Math.fround(im * im))));
  }
  canonicalNaN(y);
}
