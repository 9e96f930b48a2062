// Integer LSTM parameters (CMSIS-NN arm_lstm_unidirectional_s8 / _s16, TFLite's integer LSTM scheme) from
// an aten.lstm's float weights and the quantization of its borders. The formulas, per gate g of
// {forget, input, cell, output} (ONNX rows i, o, f, c of W/R/B):
//
//   activations  x: scale s_x, zero point z_x      hidden h (= the output Y): s_h, z_h   (s16: z = 0)
//   weights      W_g, R_g int8 symmetric per tensor: s_Wg = max|W_g| / 127, s_Rg = max|R_g| / 127
//   gate input   Q3.12 (scale 2^-12): input_multiplier_g = s_x·s_Wg / 2^-12, hidden_multiplier_g = s_h·s_Rg / 2^-12
//   gate output  Q0.15 (scale 2^-15) after sigmoid (forget, input, output) or tanh (cell)
//   bias         b_g = round((Wb_g + Rb_g) / (s_x·s_Wg)) (int32 for s8, int64 for s16), and since
//                s_x·s_Wg·Σ(x_q − z_x)·w = s_x·s_Wg·(Σ x_q·w − z_x·Σw), the effective biases the kernel adds are
//                input_effective_bias_g[r] = b_g[r] − z_x·Σk W_g[r][k],  hidden_effective_bias_g[r] = −z_h·Σk R_g[r][k]
//   cell         int16 at scale 2^p (a power of two, as TFLite requires), p the smallest with
//                32767·2^p ≥ max|c| observed (no clip: cell_clip 0)
//   f⊙c → c      2^-15·2^p / 2^p = 2^-15          (forget_to_cell)
//   i⊙g → c      2^-15·2^-15 / 2^p = 2^(−30−p)    (input_to_cell)
//   o⊙tanh(c)    tanh reads c as Q3.12 after a left shift of p + 12; 2^-15·2^-15 / s_h = 2^-30 / s_h, + z_h (output)
//
// Multipliers are TFLite's QuantizeMultiplier (Q31 mantissa, shift). The hidden state the kernel carries is on
// the output's grid, so Y_h needs no parameters of its own; the cell state leaves on the 2^p grid, zero point 0.
import { quantizeMultiplier, roundHalfAway } from "../../kernels/requantize.js";
import type { LstmGate, LstmParams } from "../../kernels/lstm_gates.js";
import { lstmUnidirectionalS16 } from "../../kernels/lstm_s16.js";
import { lstmUnidirectionalS8 } from "../../kernels/lstm_s8.js";
import { roundHalfEven } from "../../kernels/requantize.js";
import type { Attrs } from "../../ir/graph.js";
import type { Tensor } from "../../ir/tensor.js";
import { lstmDims } from "./lstm.js";

export type LstmPrecision = "s8" | "s16";

/** Per-tensor quantization of one LSTM border (input X, hidden/output h). */
export interface LstmBorder {
  scale: number;
  zeroPoint: number;
}

export interface LstmQuantConfig {
  precision: LstmPrecision;
  input: LstmBorder;
  hidden: LstmBorder;
  /** The cell state's scale is 2^cellPower. */
  cellPower: number;
}

/** Integer LSTM: the kernel parameters and the int8 weights they point at (for the C emitter / reports). */
export interface LstmIntegerParams extends LstmParams<number[]> {
  precision: LstmPrecision;
}

/** The smallest power p with 32767·2^p ≥ maxAbs (cell state range), and at least 2^-15 (Q0.15). */
export function cellPowerFor(maxAbs: number): number {
  const need = Math.max(maxAbs, 2 ** -15 * 32767) / 32767;
  return Math.max(-15, Math.ceil(Math.log2(need)));
}

/** Symmetric int16 (s16) or asymmetric int8 (s8) parameters for an observed [min, max] (the range includes 0). */
export function lstmBorderFor(precision: LstmPrecision, min: number, max: number): LstmBorder {
  const lo = Math.min(min, 0), hi = Math.max(max, 0);
  if (precision === "s16") return { scale: Math.max(Math.max(-lo, hi), 1e-8) / 32767, zeroPoint: 0 };
  const scale = Math.max(hi - lo, 1e-8) / 255;
  const zeroPoint = Math.min(127, Math.max(-128, -128 - Math.round(lo / scale)));
  return { scale, zeroPoint };
}

/** Row block `g` (of 4) of an [4H, cols] row-major matrix. */
const block = (m: ArrayLike<number>, g: number, H: number, cols: number): number[] =>
  Array.from({ length: H * cols }, (_, i) => m[g * H * cols + i]!);

/** Symmetric int8 per-tensor weights and their scale. */
function weightsS8(w: number[]): { q: Int8Array; scale: number } {
  const maxAbs = w.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  return { q: Int8Array.from(w, (x) => Math.max(-127, Math.min(127, roundHalfAway(x / scale)))), scale };
}

/** (multiplier, shift) of a real scale, refusing what CMSIS-NN cannot shift (≥ 2^31 left). */
function multiplier(real: number, what: string): { multiplier: number; shift: number } {
  const m = quantizeMultiplier(real);
  if (m.shift > 30) throw new Error(`integer LSTM: ${what} scale ${real.toPrecision(3)} needs a left shift of ${m.shift} (> 30)`);
  return m;
}

/**
 * CMSIS-NN parameters of an aten.lstm (one direction, batch rows `batch`, `steps` time steps, time major as
 * ONNX stores X) from W [1,4H,I], R [1,4H,H], B [1,8H] or null, and the border quantization.
 */
export function lstmIntegerParams(
  W: ArrayLike<number>, R: ArrayLike<number>, B: ArrayLike<number> | null,
  dims: { steps: number; batch: number; input: number; hidden: number }, cfg: LstmQuantConfig,
): LstmIntegerParams {
  const { input: I, hidden: H } = dims;
  const s8 = cfg.precision === "s8";
  const zx = s8 ? cfg.input.zeroPoint : 0;
  const zh = s8 ? cfg.hidden.zeroPoint : 0;
  const Q312 = 2 ** -12;
  // ONNX row blocks are i, o, f, c.
  const gate = (onnxBlock: number, activation: "sigmoid" | "tanh"): LstmGate<number[]> => {
    const w = weightsS8(block(W, onnxBlock, H, I));
    const r = weightsS8(block(R, onnxBlock, H, H));
    const biasScale = cfg.input.scale * w.scale;
    const inBias: number[] = [], hidBias: number[] = [];
    for (let row = 0; row < H; row++) {
      const real = B ? B[onnxBlock * H + row]! + B[4 * H + onnxBlock * H + row]! : 0;
      let b = roundHalfAway(real / biasScale);
      if (s8) b = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, b));
      let sw = 0, sr = 0;
      for (let k = 0; k < I; k++) sw += w.q[row * I + k]!;
      for (let k = 0; k < H; k++) sr += r.q[row * H + k]!;
      inBias.push(b - zx * sw);
      hidBias.push(zh === 0 ? 0 : -zh * sr);
    }
    const mi = multiplier(cfg.input.scale * w.scale / Q312, "input-to-gate");
    const mh = multiplier(cfg.hidden.scale * r.scale / Q312, "hidden-to-gate");
    return {
      inputMultiplier: mi.multiplier, inputShift: mi.shift, inputWeights: w.q, inputEffectiveBias: inBias,
      hiddenMultiplier: mh.multiplier, hiddenShift: mh.shift, hiddenWeights: r.q, hiddenEffectiveBias: hidBias,
      activation,
    };
  };
  const p = cfg.cellPower;
  const f2c = multiplier(2 ** -15, "forget-to-cell");
  const i2c = multiplier(2 ** (-30 - p), "input-to-cell");
  const out = multiplier(2 ** -30 / cfg.hidden.scale, "output");
  return {
    precision: cfg.precision,
    timeMajor: true, batchSize: dims.batch, timeSteps: dims.steps, inputSize: I, hiddenSize: H,
    forgetToCellMultiplier: f2c.multiplier, forgetToCellShift: f2c.shift,
    inputToCellMultiplier: i2c.multiplier, inputToCellShift: i2c.shift,
    cellClip: 0, cellScalePower: p,
    outputMultiplier: out.multiplier, outputShift: out.shift, outputOffset: zh,
    inputGate: gate(0, "sigmoid"), outputGate: gate(1, "sigmoid"), forgetGate: gate(2, "sigmoid"), cellGate: gate(3, "tanh"),
  };
}

/** round_half_even(x / scale) + zp, clamped to the precision's range (the cortex_m quantize_per_tensor rule). */
function quantizeTo(x: ArrayLike<number>, scale: number, zp: number, s16: boolean): Int8Array | Int16Array {
  const lo = s16 ? -32768 : -128, hi = s16 ? 32767 : 127;
  const out = s16 ? new Int16Array(x.length) : new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(lo, Math.min(hi, roundHalfEven(x[i]! / scale) + zp));
  return out;
}

/** (q − zp)·scale in f32. */
const dequantize = (q: ArrayLike<number>, scale: number, zp: number): Float32Array => Float32Array.from(q, (v) => (v - zp) * scale);

/**
 * The aten.lstm forward with the integer kernel in the middle: X, h0 and c0 quantized on the borders of `cfg`,
 * one arm_lstm_unidirectional call with the state carried in its context, Y / Y_h / Y_c dequantized. A float
 * state that came out of this function goes back in exactly (the cell on its 2^p grid, h on the output's), so a
 * stream that carries the state through float model inputs and outputs is the kernel's own stream.
 */
export function lstmIntegerForward(inputs: (Tensor | null)[], attrs: Attrs, params: LstmIntegerParams, cfg: LstmQuantConfig): Tensor[] {
  const { S, N, H } = lstmDims(inputs, attrs);
  const s16 = cfg.precision === "s16";
  const zx = s16 ? 0 : cfg.input.zeroPoint, zh = s16 ? 0 : cfg.hidden.zeroPoint;
  const x = quantizeTo(inputs[0]!.data, cfg.input.scale, zx, s16);
  const hidden = inputs[4] ? quantizeTo(inputs[4].data, cfg.hidden.scale, zh, s16) : quantizeTo(new Float32Array(N * H), cfg.hidden.scale, zh, s16);
  const cell = quantizeTo(inputs[5] ? inputs[5].data : new Float32Array(N * H), 2 ** cfg.cellPower, 0, true) as Int16Array;
  const p = { ...params, timeSteps: S, batchSize: N };
  let y: Int8Array | Int16Array;
  if (s16) {
    y = new Int16Array(S * N * H);
    lstmUnidirectionalS16(x as Int16Array, y as Int16Array, p, { cell, hidden: hidden as Int16Array });
  } else {
    y = new Int8Array(S * N * H);
    lstmUnidirectionalS8(x as Int8Array, y as Int8Array, p, { cell, hidden: hidden as Int8Array });
  }
  return [
    { dtype: "f32", shape: [S, 1, N, H], data: dequantize(y, cfg.hidden.scale, zh) },
    { dtype: "f32", shape: [1, N, H], data: dequantize(hidden, cfg.hidden.scale, zh) },
    { dtype: "f32", shape: [1, N, H], data: dequantize(cell, 2 ** cfg.cellPower, 0) },
  ];
}
