/*
 * cmsis-lower generated-code support: integer kernels CMSIS-NN has no function for, used by
 * integer-only builds (--integer-only). Kept apart from clg_support so projects that do not use
 * them do not carry (or change with) them. C99, integer arithmetic only (no FPU needed); the same
 * bits as the simulator's twins (src/kernels/hypot.ts) on every core.
 */
#ifndef CLG_INT_OPS_H
#define CLG_INT_OPS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * out[i] = clamp(requantize(round(sqrt(x² + z²) · 2^15), multiplier, shift) + output_offset, act_min, act_max)
 * with x = a[i] + input_offset, z = b[i] + input_offset: the quantized magnitude sqrt(a² + b²).
 * The sum of squares is exact (uint64), the square root is the exact integer root of (x² + z²) · 2^30
 * rounded half up, and requantize is arm_nn_requantize (doubling high multiply, then a rounding
 * right shift, half away from zero). a and b are int8 (in_s16 = 0) or int16 (in_s16 = 1), out int8
 * (out_s16 = 0) or int16; shift in [-31, 0]. out may be a or b when the element widths match.
 */
void clg_hypot(const void *a, const void *b, int32_t in_s16, void *out, int32_t out_s16, int32_t n, int32_t input_offset,
               int32_t output_offset, int32_t multiplier, int32_t shift, int32_t act_min, int32_t act_max);

/*
 * out[i] = clamp(requantize(in[i] + input_offset, multiplier, shift) + output_offset, act_min, act_max): an int8
 * or int16 tensor (in_s16) onto another int8 or int16 grid (out_s16); requantize as in clg_hypot, shift in
 * [-31, 30] (a left shift first when positive). n elements; out may be in when the element widths match.
 */
void clg_requantize_tensor(const void *in, int32_t in_s16, void *out, int32_t out_s16, int32_t n, int32_t input_offset,
                           int32_t output_offset, int32_t multiplier, int32_t shift, int32_t act_min, int32_t act_max);

/* out[i] = min(max(in[i], lo), hi) on int16 (a clamp after an int16 producer; in and out may be the same). */
void clg_clamp_s16(const int16_t *in, int16_t *out, int32_t n, int32_t lo, int32_t hi);

#ifdef __cplusplus
}
#endif

#endif
