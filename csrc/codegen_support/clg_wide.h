/*
 * cmsis-lower generated-code support for int16 activations (16x8 groups): the float<->int16
 * borders. Kept apart from clg_support so int8-only projects do not carry (or change with) it.
 * C99, plain loops: the same bits as the simulator (src/ops/quant/rounding.ts) on every core,
 * whatever rounding mode the application sets (no conversion instruction rounds here).
 */
#ifndef CLG_WIDE_H
#define CLG_WIDE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * q = clamp(round_half_even(x * inv_scale) + zero_point, qmin, qmax), x * inv_scale one
 * single-precision product; NaN gives the clamped zero point. in and out must not overlap.
 */
void clg_quantize_f32_s16(const float *in, int16_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                          int32_t qmax);

/* x = (float)(q - zero_point) * scale, one single-precision product. */
void clg_dequantize_s16_f32(const int16_t *in, float *out, int32_t n, float scale, int32_t zero_point);

#ifdef __cplusplus
}
#endif

#endif
