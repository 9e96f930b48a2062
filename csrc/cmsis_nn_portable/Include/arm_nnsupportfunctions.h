/*
 * cmsis-lower portable CMSIS-NN subset: arithmetic helpers and dispatch predicates.
 * Pure C99, written from the arithmetic description (double-rounding requantize,
 * gemmlowp fixed point). No undefined behaviour on negative shifts: all shifts of
 * signed values go through the helpers below.
 */
#ifndef CMSIS_LOWER_ARM_NNSUPPORTFUNCTIONS_H
#define CMSIS_LOWER_ARM_NNSUPPORTFUNCTIONS_H

#include "arm_nn_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NN_Q31_MAX ((int32_t)0x7FFFFFFF)
#define NN_Q31_MIN ((int32_t)(-0x7FFFFFFF - 1))
#define NN_Q15_MAX ((int32_t)32767)
#define NN_Q15_MIN ((int32_t)-32768)
#define NN_Q7_MAX ((int32_t)127)
#define NN_Q7_MIN ((int32_t)-128)

#define MAX(A, B) ((A) > (B) ? (A) : (B))
#define MIN(A, B) ((A) < (B) ? (A) : (B))
#define CLAMP(x, h, l) MAX(MIN((x), (h)), (l))
#define REDUCE_MULTIPLIER(_mult) ((_mult < 0x7FFF0000) ? ((_mult + (1 << 15)) >> 16) : 0x7FFF)

/* Arithmetic (floor) right shift, well defined for negative values. */
static inline int32_t arm_nn_asr32(int32_t v, int32_t n)
{
    return v >= 0 ? (int32_t)((uint32_t)v >> n) : (int32_t) ~(((uint32_t) ~(uint32_t)v) >> n);
}

static inline int64_t arm_nn_asr64(int64_t v, int32_t n)
{
    return v >= 0 ? (int64_t)((uint64_t)v >> n) : (int64_t) ~(((uint64_t) ~(uint64_t)v) >> n);
}

/* Left shift with two's-complement wrap (no UB for negative values). */
static inline int32_t arm_nn_shl32_wrap(int32_t v, int32_t n)
{
    return (int32_t)((uint32_t)v << n);
}

/* int32 add/mul with wrap-around, as the Cortex-M ALU does. */
static inline int32_t arm_nn_add_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static inline int32_t arm_nn_mul_wrap(int32_t a, int32_t b)
{
    return (int32_t)((uint32_t)a * (uint32_t)b);
}

/* floor((m1*m2 + 2^30) / 2^31), truncated to int32. */
static inline int32_t arm_nn_doubling_high_mult_no_sat(const int32_t m1, const int32_t m2)
{
    const int64_t prod = (int64_t)m1 * (int64_t)m2 + ((int64_t)1 << 30);
    return (int32_t)arm_nn_asr64(prod, 31);
}

/* gemmlowp SaturatingRoundingDoublingHighMul. */
static inline int32_t arm_nn_doubling_high_mult(const int32_t m1, const int32_t m2)
{
    int64_t nudge = ((m1 < 0) != (m2 < 0)) ? (1 - ((int64_t)1 << 30)) : ((int64_t)1 << 30);
    int64_t prod;
    if (m1 == NN_Q31_MIN && m2 == NN_Q31_MIN)
    {
        return NN_Q31_MAX;
    }
    prod = (int64_t)m1 * (int64_t)m2 + nudge;
    return (int32_t)(prod / ((int64_t)1 << 31));
}

/* gemmlowp RoundingDivideByPOT: round half away from zero. */
static inline int32_t arm_nn_divide_by_power_of_two(const int32_t dividend, const int32_t exponent)
{
    const int32_t mask = (int32_t)(((uint32_t)1 << exponent) - 1u);
    const int32_t remainder = (int32_t)((uint32_t)dividend & (uint32_t)mask);
    int32_t result = arm_nn_asr32(dividend, exponent);
    int32_t threshold = mask >> 1;
    if (result < 0)
    {
        threshold++;
    }
    if (remainder > threshold)
    {
        result++;
    }
    return result;
}

/* Double-rounding requantization (TFLite MultiplyByQuantizedMultiplier). */
static inline int32_t arm_nn_requantize(const int32_t val, const int32_t multiplier, const int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    return arm_nn_divide_by_power_of_two(arm_nn_doubling_high_mult_no_sat(arm_nn_shl32_wrap(val, left), multiplier),
                                         right);
}

/* 64-bit accumulator requantization used by the 16x8 kernels (single rounding). */
static inline int32_t arm_nn_requantize_s64(const int64_t val, const int32_t reduced_multiplier, const int32_t shift)
{
    const int64_t prod = (int64_t)((uint64_t)val * (uint64_t)(int64_t)reduced_multiplier);
    const int32_t r = (int32_t)arm_nn_asr64(prod, 14 - shift);
    return arm_nn_asr32(arm_nn_add_wrap(r, 1), 1);
}

static inline int32_t arm_nn_reduce_multiplier(const int32_t mult)
{
    return mult < 0x7FFF0000 ? arm_nn_asr32(mult + (1 << 15), 16) : 0x7FFF;
}

static inline int32_t arm_nn_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Dispatch predicates shared by the wrappers and their buffer-size functions. */
static inline bool arm_nn_is_convolve_1x1(const cmsis_nn_conv_params *conv_params,
                                          const cmsis_nn_dims *input_dims,
                                          const cmsis_nn_dims *filter_dims)
{
    return conv_params->padding.w == 0 && conv_params->padding.h == 0 && filter_dims->w == 1 &&
        filter_dims->h == 1 && conv_params->dilation.w == 1 && conv_params->dilation.h == 1 &&
        input_dims->c == filter_dims->c;
}

static inline bool arm_nn_is_convolve_1x1_fast(const cmsis_nn_conv_params *conv_params)
{
    return conv_params->stride.w == 1 && conv_params->stride.h == 1;
}

static inline bool arm_nn_is_convolve_1_x_n(const cmsis_nn_conv_params *conv_params,
                                            const cmsis_nn_dims *input_dims,
                                            const cmsis_nn_dims *filter_dims)
{
    return input_dims->h == 1 && conv_params->dilation.w == 1 && filter_dims->h == 1 &&
        ((conv_params->stride.w * input_dims->c) % 4) == 0 && input_dims->c == filter_dims->c;
}

/*
 * Internal shared engines (Source/arm_nn_support.c). Not part of the CMSIS-NN API.
 */

/* Generic int8 convolution: groups (= input.c / filter.c), batches, stride, dilation,
 * top/left padding, optional zero-insertion upscale (upscale_dims->h/w, may be NULL).
 * bias may be NULL. Never touches any scratch buffer. */
void arm_nn_conv_core_s8(const cmsis_nn_conv_params *conv_params,
                         const int32_t *multiplier,
                         const int32_t *shift,
                         const cmsis_nn_dims *input_dims,
                         const int8_t *input_data,
                         const cmsis_nn_dims *filter_dims,
                         const int8_t *filter_data,
                         const int32_t *bias_data,
                         const cmsis_nn_dims *upscale_dims,
                         const cmsis_nn_dims *output_dims,
                         int8_t *output_data);

/* Generic int8 depthwise convolution with channel multiplier, batches and dilation. */
void arm_nn_depthwise_core_s8(const cmsis_nn_dw_conv_params *dw_conv_params,
                              const int32_t *multiplier,
                              const int32_t *shift,
                              const cmsis_nn_dims *input_dims,
                              const int8_t *input_data,
                              const cmsis_nn_dims *filter_dims,
                              const int8_t *filter_data,
                              const int32_t *bias_data,
                              const cmsis_nn_dims *output_dims,
                              int8_t *output_data);

#ifdef __cplusplus
}
#endif

#endif
