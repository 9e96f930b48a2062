/**
 * The pieces of CMSIS-NN's integer LSTM step shared by the s8 and s16 kernels (lstm_s8.ts, lstm_s16.ts):
 * the Q3.12 -> Q0.15 sigmoid/tanh of arm_nn_activation_s16, the three int16 element-wise products that update
 * the cell and the hidden state, and the step itself (gate order and scratch reuse as the library runs them).
 * Only the gate matrix product differs between the precisions, so it is passed in.
 */
import { requantize } from './requantize.js';
import { activationS16, sigmoidTableU16 } from './activation_s16.js';

const Q15_MIN = -32768;
const Q15_MAX = 32767;

/** The library's sigmoid table (the gates run arm_nn_activation_s16, activation_s16.ts). */
export const LSTM_SIGMOID_TABLE_U16: Uint16Array = sigmoidTableU16();

/** arm_elementwise_mul_s16 with zero offsets: out = clamp(requantize(a·b), lo, hi). Used for forget ⊙ cell. */
function mulS16(a: Int16Array, b: Int16Array, out: Int16Array, mult: number, shift: number, lo: number, hi: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const y = requantize(a[i]! * b[i]!, mult, shift);
    out[i] = y < lo ? lo : y > hi ? hi : y;
  }
}

/**
 * arm_elementwise_mul_acc_s16: out += requantize(a·b), clamped to ±clip when clip > 0 (the LSTM's cell clip),
 * else to the int16 range.
 */
function mulAccS16(a: Int16Array, b: Int16Array, out: Int16Array, mult: number, shift: number, clip: number, n: number): void {
  const hi = clip > 0 ? clip : Q15_MAX;
  const lo = clip > 0 ? -clip : Q15_MIN;
  for (let i = 0; i < n; i++) {
    const y = requantize(a[i]! * b[i]!, mult, shift) + out[i]!;
    out[i] = y < lo ? lo : y > hi ? hi : y;
  }
}

/**
 * arm_elementwise_mul_s16_s8 / arm_elementwise_mul_s16_batch_offset as the step calls them (batch offset 1, so
 * rows are contiguous): out = clamp(requantize(a·b) + offset) to the output type's range.
 */
function mulToHidden(a: Int16Array, b: Int16Array, out: Int8Array | Int16Array, mult: number, shift: number, offset: number, n: number): void {
  const lo = out instanceof Int8Array ? -128 : Q15_MIN;
  const hi = out instanceof Int8Array ? 127 : Q15_MAX;
  for (let i = 0; i < n; i++) {
    const y = requantize(a[i]! * b[i]!, mult, shift) + offset;
    out[i] = y < lo ? lo : y > hi ? hi : y;
  }
}

/** One gate of cmsis_nn_lstm_gate: input and recurrent weights [hidden, in] / [hidden, hidden], int8. */
export interface LstmGate<Bias> {
  inputMultiplier: number; inputShift: number; inputWeights: Int8Array; inputEffectiveBias: Bias;
  hiddenMultiplier: number; hiddenShift: number; hiddenWeights: Int8Array; hiddenEffectiveBias: Bias;
  activation: "sigmoid" | "tanh";
}

/** cmsis_nn_lstm_params (input_offset is folded into the effective biases, as the library expects). */
export interface LstmParams<Bias> {
  timeMajor: boolean; batchSize: number; timeSteps: number; inputSize: number; hiddenSize: number;
  forgetToCellMultiplier: number; forgetToCellShift: number;
  inputToCellMultiplier: number; inputToCellShift: number;
  /** Cell clip in cell units; 0 = none. */
  cellClip: number;
  /** The cell state's scale is 2^cellScalePower. */
  cellScalePower: number;
  outputMultiplier: number; outputShift: number; outputOffset: number;
  forgetGate: LstmGate<Bias>; inputGate: LstmGate<Bias>; cellGate: LstmGate<Bias>; outputGate: LstmGate<Bias>;
}

/**
 * Gate pre-activation product of one precision, accumulated into `dst` (Q3.12):
 * dst[b·H + r] = clamp(dst + requantize(bias[r] + Σk x[b·xStride + k]·w[r·cols + k])) for each batch row b.
 */
export type GateProduct<X, Bias> = (
  x: X, xo: number, xStride: number, w: Int8Array, bias: Bias, dst: Int16Array,
  mult: number, shift: number, cols: number, rows: number, batches: number,
) => void;

/**
 * arm_nn_lstm_step_*: one time step over `batches` rows. hidden_in may be null (no recurrent term). Scratch:
 * temp1 holds forget, then input, then output gate; temp2 the cell gate, then tanh(cell) — the same reuse as
 * the library, which matters only in that every gate is recomputed from scratch.
 */
function lstmStep<X extends Int8Array | Int16Array, Bias>(
  product: GateProduct<X, Bias>, p: LstmParams<Bias>, batches: number,
  x: X, xo: number, hidden: X | null, ho: number, out: X, oo: number,
  cell: Int16Array, temp1: Int16Array, temp2: Int16Array,
): void {
  const H = p.hiddenSize, I = p.inputSize, n = H * batches;
  const gate = (g: LstmGate<Bias>, dst: Int16Array) => {
    dst.fill(0, 0, n);
    product(x, xo, I, g.inputWeights, g.inputEffectiveBias, dst, g.inputMultiplier, g.inputShift, I, H, batches);
    if (hidden) product(hidden, ho, H, g.hiddenWeights, g.hiddenEffectiveBias, dst, g.hiddenMultiplier, g.hiddenShift, H, H, batches);
    activationS16(dst, dst, n, 0, g.activation);
  };
  gate(p.forgetGate, temp1);
  mulS16(temp1, cell, cell, p.forgetToCellMultiplier, p.forgetToCellShift, Q15_MIN, Q15_MAX, n);
  gate(p.inputGate, temp1);
  gate(p.cellGate, temp2);
  mulAccS16(temp1, temp2, cell, p.inputToCellMultiplier, p.inputToCellShift, p.cellClip, n);
  gate(p.outputGate, temp1);
  activationS16(cell, temp2, n, p.cellScalePower + 12, 'tanh');
  mulToHidden(temp1, temp2, oo === 0 ? out : (out.subarray(oo) as X), p.outputMultiplier, p.outputShift, p.outputOffset, n);
}

/** cmsis_nn_lstm_context: the persistent state (hidden_state null = start from zero every call) and scratch. */
export interface LstmState<X> {
  /** [batch, hidden] int16 cell state, updated in place. */
  cell: Int16Array;
  /** [batch, hidden] hidden state read before the first step and overwritten with the last output; or null. */
  hidden: X | null;
}

/**
 * arm_lstm_unidirectional_*: runs all time steps, time major ([time, batch, size]) or batch major
 * ([batch, time, size]); with a hidden state the last step's output is copied back into it, so the next call
 * continues the sequence. Without one the cell starts from zero.
 */
export function lstmUnidirectional<X extends Int8Array | Int16Array, Bias>(
  product: GateProduct<X, Bias>, input: X, output: X, p: LstmParams<Bias>, state: LstmState<X>,
): void {
  const B = p.batchSize, T = p.timeSteps, I = p.inputSize, H = p.hiddenSize;
  const temp1 = new Int16Array(B * H), temp2 = new Int16Array(B * H);
  if (!state.hidden) state.cell.fill(0, 0, B * H);
  if (p.timeMajor) {
    let hidden: X | null = state.hidden, ho = 0;
    for (let t = 0; t < T; t++) {
      lstmStep(product, p, B, input, t * B * I, hidden, ho, output, t * B * H, state.cell, temp1, temp2);
      hidden = output; ho = t * B * H;
    }
    if (state.hidden && T > 0) state.hidden.set(output.subarray(ho, ho + B * H));
    return;
  }
  for (let b = 0; b < B; b++) {
    const cell = state.cell.subarray(b * H, (b + 1) * H);
    let hidden: X | null = state.hidden, ho = b * H;
    for (let t = 0; t < T; t++) {
      const oo = (b * T + t) * H;
      lstmStep(product, p, 1, input, (b * T + t) * I, hidden, ho, output, oo, cell, temp1, temp2);
      hidden = output; ho = oo;
    }
    if (state.hidden && T > 0) state.hidden.set(output.subarray(ho, ho + H), b * H);
  }
}
