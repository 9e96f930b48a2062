/**
 * arm_lstm_unidirectional_s8: int8 input and hidden state (asymmetric, the zero points folded into the
 * effective biases), int8 weights, int32 effective biases, int16 gates (Q3.12 before, Q0.15 after the
 * activation) and int16 cell state. The step is in lstm_gates.ts; this file holds the s8 gate product.
 */
import { Status } from './types.js';
import { requantize } from './requantize.js';
import { lstmUnidirectional, type GateProduct, type LstmParams, type LstmState } from './lstm_gates.js';

/**
 * arm_nn_vec_mat_mul_result_acc_s8_s16: int32 sum of bias and int8·int8 products, arm_nn_requantize, added
 * to what dst holds and clamped to int16.
 */
const productS8: GateProduct<Int8Array, ArrayLike<number>> = (x, xo, xStride, w, bias, dst, mult, shift, cols, rows, batches) => {
  for (let b = 0; b < batches; b++) {
    const xb = xo + b * xStride;
    for (let r = 0; r < rows; r++) {
      let acc = bias[r]!;
      const wr = r * cols;
      for (let k = 0; k < cols; k++) acc += x[xb + k]! * w[wr + k]!;
      const y = requantize(acc | 0, mult, shift) + dst[b * rows + r]!;
      dst[b * rows + r] = y < -32768 ? -32768 : y > 32767 ? 32767 : y;
    }
  }
};

export type LstmS8Params = LstmParams<ArrayLike<number>>;

/** Runs the LSTM over input [time, batch, in] (or [batch, time, in]) into output likewise with `hidden`. */
export function lstmUnidirectionalS8(input: Int8Array, output: Int8Array, p: LstmS8Params, state: LstmState<Int8Array>): number {
  lstmUnidirectional(productS8, input, output, p, state);
  return Status.SUCCESS;
}
