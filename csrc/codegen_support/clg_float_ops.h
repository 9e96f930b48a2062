/*
 * cmsis-lower generated-code support: the rest of the ops that can stay outside
 * the int8 kernels after lowering — GELU, the window ops (convolution, transposed
 * convolution, max and average pooling: one loop nest) and the ops on any element
 * type (eq, logical_not, where, _to_copy, amax). Float arithmetic is single
 * precision with the project's own exp (clg_fmath.h), repeated operation by
 * operation by the simulator (src/kernels/float32/float_ops.ts); integer and bool
 * elements are handled exactly. Every NaN stored by a float computation is the
 * quiet NaN 0x7fc00000. Build with -ffp-contract=off, as the generated Makefile does.
 * A separate file from clg_float.c so that projects using only those kernels keep
 * their bytes.
 */
#ifndef CLG_FLOAT_OPS_H
#define CLG_FLOAT_OPS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Element types, as the IR names them (bool is one byte, 0 or 1). */
enum clg_dtype
{
    CLG_DT_F32,
    CLG_DT_I8,
    CLG_DT_U8,
    CLG_DT_I16,
    CLG_DT_I32,
    CLG_DT_I64,
    CLG_DT_BOOL
};

/* erf in single precision (series below 1, continued fraction for erfc above). */
float clg_erff(float x);
/* GELU, exact form: x/2 (1 + erf(x / sqrt 2)), through erfc for negative x. */
float clg_geluf(float x);
/* out[i] = erf(in[i]); in may equal out. */
void clg_erf_f32(const float *in, float *out, int32_t n);
/* out[i] = gelu(in[i]); in may equal out. */
void clg_gelu_f32(const float *in, float *out, int32_t n);

enum clg_window_kind
{
    CLG_WIN_CONV,
    CLG_WIN_CONV_TRANSPOSED,
    CLG_WIN_MAX,
    CLG_WIN_AVG,
    /* average dividing by the window clipped to the padded input (count_include_pad) */
    CLG_WIN_AVG_PAD
};

/* Indices into the geometry array of clg_window_f32 (1-D ops have H = KH = 1). */
enum clg_window_geom
{
    CLG_G_N,
    CLG_G_C,
    CLG_G_H,
    CLG_G_W,
    CLG_G_O,
    CLG_G_OH,
    CLG_G_OW,
    CLG_G_KH,
    CLG_G_KW,
    CLG_G_GROUPS,
    CLG_G_SH,
    CLG_G_SW,
    CLG_G_PH,
    CLG_G_PW,
    CLG_G_DH,
    CLG_G_DW,
    CLG_G_COUNT
};

/*
 * Every output of an NCHW window op: convolution (w OIHW, or IOHW when transposed; b may be
 * NULL) sums bias + w.x over (input channel, kh, kw) in that order, one rounding per
 * operation, skipping taps outside the input; pools (O = C, one channel per group) take the
 * NaN-propagating max or the float sum / divisor.
 */
void clg_window_f32(int32_t kind, const float *x, const float *w, const float *b, float *y, const int32_t *g);

/*
 * The plain convolution of clg_window_f32 (kind CLG_WIN_CONV), the same bits, faster: w holds
 * each group's output channels in blocks of four, a block as [input channel][kh][kw][4] (the
 * four channels' weights of one tap side by side), and the group's last O/groups % 4 channels
 * as plain [input channel][kh][kw] rows.
 */
void clg_conv4_f32(const float *x, const float *w, const float *b, float *y, const int32_t *g);

/* Elementwise ops over a row-major output of `shape`, operands read through per-dim element
 * strides (0 where broadcast; strides[k * ndim + d] for operand k). */
enum clg_map_op
{
    /* out (bool) = a == b; a and b of one type */
    CLG_MAP_EQ,
    /* out (bool) = a == 0 */
    CLG_MAP_NOT,
    /* out = cond != 0 ? a : b; a, b and out of one type */
    CLG_MAP_WHERE,
    /* out = a converted: to bool x != 0; float to integer truncates (NaN 0) and wraps
     * modulo 2^bits (out of int64's range: 0, or INT64_MIN for int64) */
    CLG_MAP_CAST,
    /* out (bool) = a < b; a and b of one type */
    CLG_MAP_LT,
    /* out (bool) = a <= b; a and b of one type */
    CLG_MAP_LE,
    /* out (bool) = a != 0 && b != 0 */
    CLG_MAP_AND,
    /* out (bool) = a != 0 || b != 0 */
    CLG_MAP_OR
};

void clg_map(int32_t op,
             int32_t out_type,
             void *out,
             int32_t nin,
             const void *const *ins,
             const int32_t *in_types,
             const int32_t *strides,
             int32_t ndim,
             const int32_t *shape);

/* Maximum of each output's group: out[o] = max over r of in[starts[o] + offsets[r]], r in
 * order (offsets in increasing input position: of +0 and -0 the first met wins); a NaN
 * anywhere in a float group gives NaN. The generator lays out starts and offsets. */
void clg_amax(int32_t type, const void *in, void *out, int32_t n_out, const int32_t *starts, int32_t n_red, const int32_t *offsets);

/* out[o] = the sum of in[starts[o] + offsets[r]] over r in order, in single precision. */
void clg_sum_f32(const float *in, float *out, int32_t n_out, const int32_t *starts, int32_t n_red, const int32_t *offsets);

#ifdef __cplusplus
}
#endif

#endif
