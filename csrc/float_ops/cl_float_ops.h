/*
 * cmsis-lower: portable C99 float kernels for operators that are not lowered to CMSIS-NN.
 * Deterministic across host and Arm: only IEEE single-precision +,-,*,/ (compile with
 * -std=c99 so GCC does not contract into FMA), own exp/log approximations (no libm
 * transcendental functions), own round-half-to-even. Tensors are dense row-major.
 */
#ifndef CL_FLOAT_OPS_H
#define CL_FLOAT_OPS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deterministic elementary functions (a few ulp accuracy). */
float cl_expf(float x);
float cl_logf(float x);
float cl_sigmoidf(float x);
float cl_tanhf(float x);
/* Round half to even of a float, result as float (exact). */
float cl_round_half_even(float x);

void cl_sigmoid_f32(const float *in, float *out, int32_t n);
void cl_tanh_f32(const float *in, float *out, int32_t n);

/* log_softmax over one axis: tensor viewed as [outer][axis_len][inner]. */
void cl_log_softmax_f32(const float *in, float *out, int32_t outer, int32_t axis_len, int32_t inner);

/*
 * One forward step of an ONNX LSTM cell (gate order i, o, f, c; default activations
 * sigmoid / tanh / tanh, no peepholes, no clip).
 *   x [batch][input_size], h_prev / c_prev [batch][hidden] (NULL = zeros)
 *   W [4*hidden][input_size], R [4*hidden][hidden], B [8*hidden] (Wb then Rb; NULL = zeros)
 *   h_out / c_out [batch][hidden]; scratch: 4*hidden floats.
 * h_out / c_out may alias h_prev / c_prev.
 */
void cl_lstm_cell_f32(const float *x,
                      const float *h_prev,
                      const float *c_prev,
                      const float *W,
                      const float *R,
                      const float *B,
                      int32_t batch,
                      int32_t input_size,
                      int32_t hidden,
                      float *h_out,
                      float *c_out,
                      float *scratch);

/* q = clamp(round_half_even(x / scale) + zero_point, qmin, qmax) */
void cl_quantize_f32_s8(const float *in, int8_t *out, int32_t n, float scale, int32_t zero_point);
void cl_quantize_f32_s16(const float *in, int16_t *out, int32_t n, float scale, int32_t zero_point);
/* x = (q - zero_point) * scale */
void cl_dequantize_s8_f32(const int8_t *in, float *out, int32_t n, float scale, int32_t zero_point);
void cl_dequantize_s16_f32(const int16_t *in, float *out, int32_t n, float scale, int32_t zero_point);

/*
 * N-d permutation copy (ndim <= 6): out shape[i] = in_shape[perm[i]].
 * Returns 0 on success, -1 on bad arguments.
 */
int32_t cl_reorder(const void *in, void *out, size_t elem_size, const int32_t *in_shape, int32_t ndim, const int32_t *perm);
int32_t cl_reorder_s8(const int8_t *in, int8_t *out, const int32_t *in_shape, int32_t ndim, const int32_t *perm);
int32_t cl_reorder_f32(const float *in, float *out, const int32_t *in_shape, int32_t ndim, const int32_t *perm);

#ifdef __cplusplus
}
#endif

#endif
