// What a precision choice costs, estimated on the annotated float graph
// before anything is lowered (the quantizer may not look at later stages):
// - RAM: the peak, over the schedule, of the bytes of live activations, each
//   value at its element size (int8 1, int16 2, float 4). The planner's arena
//   is at least this (it is the bound its lower_bound reports). A float
//   magnitude over two runs of one tensor is stored only as its result (the
//   lowering computes it in one kernel: ops/elementwise/magnitude.ts).
// - instructions: per kind of work, the instructions the generated C spends on
//   one unit of it (a multiply-accumulate, an element) on the target's class
//   of core, as measured (table below). Only the ratio to the int8 build is
//   used (the budget is a percentage).
import type { Graph, Node, Value } from "../ir/graph.js";
import { numel } from "../ir/tensor.js";
import type { TargetClass } from "../kernels/types.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import { dftBasis, type DftBasis } from "../ops/conv/dft_basis.js";
import { magnitudeOfRuns } from "../ops/elementwise/magnitude.js";
import { LINEAR_OP, MATMUL_OP } from "../ops/linear/linear.js";
import { LSTM_OP } from "../ops/rnn/lstm.js";
import type { Annotation, QGroup } from "./annotate.js";

/** Instructions per unit of work on one class of core. */
export interface WorkCost {
  /** A convolution / linear MAC through CMSIS-NN's s8 kernels. */
  s8Mac: number;
  /** The same through the s16 (16x8) kernels. */
  s16Mac: number;
  /** A float convolution / linear MAC (clg_conv4_f32, clg_linear_f32). */
  f32Mac: number;
  /** A float LSTM MAC (clg_lstm_f32: 4 gates · (input + hidden) per hidden unit and step). */
  lstmF32Mac: number;
  /** An element of an integer elementwise / data-movement op. */
  intElement: number;
  /** An element of a float elementwise op. */
  f32Element: number;
  /** A float convolution on a windowed DFT basis runs as an FFT per frame (cortex_m.stft_f32): per N·log2 N. */
  f32FftUnit: number;
}

/**
 * Measured with `cmsis-lower profile silero-vad --precision int8|int16 [--keep-float <stft conv> <encoder 0 conv>]
 * --cmsis-nn ../shared/third_party/CMSIS-NN --target cortex-m4|cortex-m55|cortex-m3` (QEMU -icount, real CMSIS-NN),
 * per step / its MACs or elements (2026-12-02):
 * - dsp (M4): s8 encoder convs 1.78–2.2 / MAC; s16 1.97 (5.1 on a single output position); clg_conv4_f32 3.4 (kernel 3),
 *   4.2 (kernel 256); clg_lstm_f32 4.2; float pow/add/sqrt 21–23 / element, dequantize 8, quantize 36–38.
 * - mve (M55): s8 0.22; s16 1.15 (1.3–2.6 on one position); float conv 3.1–3.9; LSTM 4.1; float elementwise 21–24.
 * - scalar (M3, soft float): s8 2.66; s16 2.65; float conv 75 / MAC; LSTM 62; float elementwise 93–367.
 * - clg_stft_f32 on Silero's 4 frames of 256 (N·log2 N = 2048 per frame): M4 61,360 (7.5 per unit), M55 61,900 (7.6),
 *   M3 1,089,400 (133).
 */
export const WORK_COST: Record<TargetClass, WorkCost> = {
  dsp: { s8Mac: 1.8, s16Mac: 2.0, f32Mac: 3.4, lstmF32Mac: 4.2, intElement: 8, f32Element: 22, f32FftUnit: 7.5 },
  mve: { s8Mac: 0.22, s16Mac: 1.15, f32Mac: 3.1, lstmF32Mac: 4.1, intElement: 4, f32Element: 22, f32FftUnit: 7.6 },
  scalar: { s8Mac: 2.7, s16Mac: 2.7, f32Mac: 75, lstmF32Mac: 62, intElement: 10, f32Element: 100, f32FftUnit: 133 },
};

export interface PrecisionCost {
  ramBytes: number;
  instructions: number;
  /** Bytes of the weights (flash): a quantized layer's constants at 1 byte (its bias at 4, 8 for int16), a float one's at 4. */
  weightBytes: number;
}

/** Multiply-accumulates of a convolution, linear, matmul or LSTM node (0 for other ops). */
function macsOf(n: Node): number {
  const x = n.inputs[0];
  const w = n.inputs[1];
  if (!x || !w) return 0;
  if (n.op === CONVOLUTION.name) return n.output.numel * numel(w.shape.slice(1));
  if (n.op === LINEAR_OP.name || n.op === MATMUL_OP.name) return n.output.numel * (x.shape[x.rank - 1] ?? 1);
  if (n.op === LSTM_OP.name) {
    const [S = 1, N = 1, I = 1] = x.shape;
    const H = w.shape[1]! / 4;
    return S * N * 4 * H * (I + H);
  }
  return 0;
}

const bases = new WeakMap<Value, DftBasis | null>();

/** The DFT basis a float convolution's constant weight holds (the lowering runs it as an FFT), or null. */
function basisOf(n: Node): DftBasis | null {
  const w = n.inputs[1];
  if (n.op !== CONVOLUTION.name || !w?.data || (n.inputs[2]?.data && Array.from(n.inputs[2].data).some((b) => b !== 0))) return null;
  if (!bases.has(w)) bases.set(w, dftBasis({ dtype: w.dtype, shape: [...w.shape], data: w.data }, n.attrs));
  return bases.get(w)!;
}

/**
 * The fraction of a convolution's filter taps the lowering keeps when it is quantized: taps that only ever meet
 * padding are trimmed (lower/substitutions/conv_trim.ts; Silero's encoder 2 and 3 see one input position); the s16
 * path only when the padding left is symmetric.
 */
function keptTaps(n: Node, int16: boolean): number {
  const x = n.inputs[0]!;
  const w = n.inputs[1]!;
  const at = (name: string, i: number, d: number): number => ((n.attrs[name] as number[] | undefined)?.[i] ?? d);
  let kept = 1;
  const spatial = w.rank - 2;
  for (let i = 0; i < spatial; i++) {
    const len = x.shape[2 + i]!;
    const outLen = n.output.shape[2 + i]!;
    const k = w.shape[2 + i]!;
    const [s, p, d] = [at("stride", i, 1), at("padding", i, 0), at("dilation", i, 1)];
    let first = k;
    let lastTap = -1;
    for (let t = 0; t < k; t++) {
      for (let o = 0; o < outLen; o++) {
        const pos = o * s - p + t * d;
        if (pos >= 0 && pos < len) {
          first = Math.min(first, t);
          lastTap = Math.max(lastTap, t);
          break;
        }
      }
    }
    const padEnd = at("padding_end", i, p);
    const symmetric = p - first * d === padEnd - (k - 1 - lastTap) * d;
    if (lastTap >= first && (!int16 || symmetric)) kept *= (lastTap - first + 1) / k;
  }
  return kept;
}

/** Values the lowering never stores: the halves, squares and sum of a float magnitude over runs of one tensor. */
function fusedValues(g: Graph, ann: Annotation): Set<Value> {
  const fused = new Set<Value>();
  for (const n of g.nodes) {
    const m = magnitudeOfRuns(g, n);
    if (!m || ann.groupOf.get(m.source)) continue;
    for (const v of [m.a, m.b, m.squares[0].output, m.squares[1].output, m.sum.output]) fused.add(v);
  }
  return fused;
}

export function precisionCost(g: Graph, ann: Annotation, dtypeOf: ReadonlyMap<QGroup, "i8" | "i16">, target: TargetClass = "mve"): PrecisionCost {
  const cost = WORK_COST[target];
  const fused = fusedValues(g, ann);
  const bytesOf = (v: Value): number => {
    if (fused.has(v)) return 0;
    const grp = ann.groupOf.get(v);
    if (grp) return v.numel * (dtypeOf.get(grp) === "i16" ? 2 : 1);
    return v.numel * (v.dtype === "f32" ? 4 : 1);
  };
  // Liveness over the schedule: a value lives from its definition to its last reader (outputs to the end).
  const last = new Map<Value, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((v) => v && !v.data && last.set(v, i)));
  for (const o of g.outputs) last.set(o, g.nodes.length);
  const ends: number[] = new Array<number>(g.nodes.length + 1).fill(0);
  let live = 0;
  for (const v of g.inputs) live += bytesOf(v);
  for (const v of g.inputs) ends[last.get(v) ?? 0]! += bytesOf(v);
  let peak = live;
  let instructions = 0;
  let weightBytes = 0;
  const counted = new Set<Value>();
  const int16In = (n: Node): boolean => {
    const grp = n.inputs[0] ? ann.groupOf.get(n.inputs[0]) : undefined;
    return !!grp && dtypeOf.get(grp) === "i16";
  };
  g.nodes.forEach((n, i) => {
    let made = 0;
    for (const o of n.outputs) {
      const b = bytesOf(o);
      made += b;
      ends[Math.max(i, last.get(o) ?? i)]! += b;
    }
    peak = Math.max(peak, live + made);
    live += made - ends[i]!;
    const role = ann.roles.get(n)?.kind;
    const quantized = role === "pattern" || role === "tail";
    const basis = quantized ? null : basisOf(n);
    n.inputs.forEach((v, k) => {
      if (!v?.data || counted.has(v)) return;
      counted.add(v);
      if (basis) weightBytes += k === 1 ? 8 * basis.n : 0;
      else if (!quantized || v.dtype !== "f32") weightBytes += v.numel * (v.dtype === "f32" || v.dtype === "i32" ? 4 : v.dtype === "i64" ? 8 : v.dtype === "i16" ? 2 : 1);
      else if (k === 2) weightBytes += v.numel * (int16In(n) ? 8 : 4);
      else weightBytes += v.numel * (k === 1 && n.op === CONVOLUTION.name && !n.attrs.transposed ? keptTaps(n, int16In(n)) : 1);
    });
    // A quantized convolution or linear layer also stores a multiplier and a shift per output channel.
    if (quantized && macsOf(n) > 0 && n.op !== LSTM_OP.name) weightBytes += 8 * (n.inputs[1]!.shape[0] ?? 0);
    const macs = macsOf(n);
    if (macs > 0) {
      const x = n.inputs[0]!;
      const grp = ann.groupOf.get(x);
      if (basis) {
        const frames = n.output.numel / (2 * basis.bins);
        instructions += frames * basis.n * Math.log2(basis.n) * cost.f32FftUnit;
      } else {
        const perMac = !quantized ? (n.op === LSTM_OP.name ? cost.lstmF32Mac : cost.f32Mac) : grp && dtypeOf.get(grp) === "i16" ? cost.s16Mac : cost.s8Mac;
        instructions += macs * perMac;
      }
    } else if (!n.outputs.every((o) => fused.has(o))) {
      instructions += n.outputs.reduce((s, o) => s + o.numel, 0) * (quantized || role === "shared" ? cost.intElement : cost.f32Element);
    }
  });
  return { ramBytes: peak, instructions, weightBytes };
}
