/*
 * cmsis-lower: the int16 borders of the 16x8 kernels (float <-> int16 codes), added to a generated project only
 * when it has an int16 tensor. Same arithmetic as the int8 conversions in clg_support.h.
 */
#ifndef CLG_S16_H
#define CLG_S16_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * q = clamp(round_half_even(x * inv_scale) + zero_point, qmin, qmax), with x * inv_scale a single-precision product
 * (inv_scale = (float)(1 / (float)scale)); NaN gives the clamped zero point. in and out must not overlap.
 */
void clg_quantize_f32_s16(const float *in, int16_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                          int32_t qmax);

/* x = (float)(q - zero_point) * scale, one single-precision product. */
void clg_dequantize_s16_f32(const int16_t *in, float *out, int32_t n, float scale, int32_t zero_point);

#ifdef __cplusplus
}
#endif

#endif
