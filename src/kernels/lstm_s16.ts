/**
 * arm_lstm_unidirectional_s16: int16 input and hidden state (symmetric), int8 weights, int64 effective biases
 * (exact integers held as numbers, |b| < 2^53), int16 gates and cell. The step is in lstm_gates.ts; this file
 * holds the s16 gate product.
 */
import { Status } from './types.js';
import { requantizeS64 } from './requantize.js';
import { lstmUnidirectional, type GateProduct, type LstmParams, type LstmState } from './lstm_gates.js';

/**
 * arm_nn_vec_mat_mul_result_acc_s16: 64-bit sum of bias and int16·int8 products (exact in a double for any
 * realistic row: |Σ| < 2^22 per column), arm_nn_requantize_s64 with the reduced multiplier, added to dst,
 * clamped to int16. (The DSP build sums the first 512 columns in 32 bits; same value without overflow.)
 */
const productS16: GateProduct<Int16Array, ArrayLike<number>> = (x, xo, xStride, w, bias, dst, mult, shift, cols, rows, batches) => {
  for (let b = 0; b < batches; b++) {
    const xb = xo + b * xStride;
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      const wr = r * cols;
      for (let k = 0; k < cols; k++) acc += x[xb + k]! * w[wr + k]!;
      const y = requantizeS64(acc + bias[r]!, mult, shift) + dst[b * rows + r]!;
      dst[b * rows + r] = y < -32768 ? -32768 : y > 32767 ? 32767 : y;
    }
  }
};

export type LstmS16Params = LstmParams<ArrayLike<number>>;

/** Runs the LSTM over input [time, batch, in] (or [batch, time, in]) into output likewise with `hidden`. */
export function lstmUnidirectionalS16(input: Int16Array, output: Int16Array, p: LstmS16Params, state: LstmState<Int16Array>): number {
  lstmUnidirectional(productS16, input, output, p, state);
  return Status.SUCCESS;
}
