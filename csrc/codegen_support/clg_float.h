/*
 * cmsis-lower generated-code support: float kernels for the ops that stay in float.
 * Single precision throughout (no double arithmetic: an M4's FPU is single
 * precision, an M3 has none), with the project's own exp / log / tanh / sigmoid
 * (clg_fmath.h). The host simulator (src/kernels/float32/kernels.ts) repeats
 * every float operation in the same order, so both store the same bytes; every
 * NaN stored is the quiet NaN 0x7fc00000 (x86 and Arm make NaNs of different signs).
 * Build with -ffp-contract=off (no fused multiply-add), as the generated Makefile does.
 */
#ifndef CLG_FLOAT_H
#define CLG_FLOAT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum clg_unary_op
{
    CLG_ABS,
    CLG_NEG,
    CLG_EXP,
    CLG_LOG,
    CLG_SQRT,
    CLG_RELU,
    CLG_SIGMOID,
    CLG_TANH,
    CLG_SILU,
    CLG_HARDSWISH,
    CLG_HARDSIGMOID,
    CLG_LEAKY_RELU,
    CLG_HARDTANH
};

enum clg_binary_op
{
    CLG_ADD,
    CLG_SUB,
    CLG_MUL,
    CLG_DIV,
    CLG_POW,
    CLG_MAXIMUM,
    CLG_MINIMUM
};

/* y[i] = sqrt(a[i]^2 + b[i]^2), each operation rounded once (the magnitude of a complex value in two runs;
 * a and b may point into one tensor). */
void clg_hypot_f32(const float *a, const float *b, float *y, int32_t n);

/* out[i] = f(in[i]); p0, p1: slope (leaky_relu) or min/max (hardtanh). in may equal out. */
void clg_unary_f32(int32_t op, const float *in, float *out, int32_t n, float p0, float p1);

/* Broadcasting binary op over a row-major output of `shape`; a_strides/b_strides are the
 * operands' element strides per output dim (0 where broadcast). */
void clg_binary_f32(int32_t op,
                    const float *a,
                    const int32_t *a_strides,
                    const float *b,
                    const int32_t *b_strides,
                    float *out,
                    int32_t ndim,
                    const int32_t *shape);

/* Mean over the dims flagged in reduce (row-major input of `shape`, row-major output). */
void clg_mean_f32(const float *in, float *out, int32_t ndim, const int32_t *shape, const uint8_t *reduce);

/* softmax (log_softmax when is_log) along the middle dim of [outer][len][inner]. */
void clg_softmax_f32(const float *in, float *out, int32_t outer, int32_t len, int32_t inner, int32_t is_log);
/* softmax of int8 codes dequantized at one scale, along the middle dim: table[d] holds
 * exp(scale * -d) for d = row max - code (d in 0..255), computed by the generator. */
void clg_softmax_s8_f32(const int8_t *in, float *out, int32_t outer, int32_t len, int32_t inner, const float *table);

/* Batched matmul: for every batch index (odometer over batch_shape), out[M][N] = a[M][K] x b[K][N];
 * a_bstrides / b_bstrides: element strides of the operands per batch dim. */
void clg_matmul_f32(const float *a,
                    const float *b,
                    float *out,
                    int32_t nbatch_dims,
                    const int32_t *batch_shape,
                    const int32_t *a_bstrides,
                    const int32_t *b_bstrides,
                    int32_t M,
                    int32_t K,
                    int32_t N);

/* y[rows][O] = x[rows][K] w[O][K]^T + bias (bias may be NULL). */
void clg_linear_f32(const float *x, const float *w, const float *bias, float *y, int32_t rows, int32_t K, int32_t O);

/*
 * ONNX LSTM, forward, gates i, o, f, c (sigmoid / tanh / tanh), over S steps of a batch of N.
 * X [S][N][I], W [4H][I], R [4H][H], B [8H] or NULL, h0 / c0 [N][H] or NULL.
 * Y [S][N][H], Yh / Yc [N][H]. weights_finite: W and R hold no infinity or NaN (lets
 * soft-float builds skip products of zero inputs exactly). work: 3*N*H + 4*H floats.
 */
void clg_lstm_f32(const float *X,
                  const float *W,
                  const float *R,
                  const float *B,
                  const float *h0,
                  const float *c0,
                  float *Y,
                  float *Yh,
                  float *Yc,
                  int32_t S,
                  int32_t N,
                  int32_t I,
                  int32_t H,
                  int32_t weights_finite,
                  float *work);

#ifdef __cplusplus
}
#endif

#endif
