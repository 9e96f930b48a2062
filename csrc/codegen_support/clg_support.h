/*
 * cmsis-lower generated-code support: data movement, float<->int8 borders and the
 * small int8 loops that are not CMSIS-NN calls (LUT activation, clamp).
 * C99; MVE (Cortex-M55/M85) and single-precision VFP paths are chosen by the compiler's feature
 * macros and give the same bytes as the portable code. No dependence on the FPSCR the application
 * sets: the VFP/MVE float<->int8 loops set round-to-nearest-even themselves and restore it.
 */
#ifndef CLG_SUPPORT_H
#define CLG_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest rank a move may have (4-D tensors with two split dims for upsampling). */
#define CLG_MAX_DIMS 8

/*
 * Separable strided gather: for every index i of `shape` (row-major over ndim dims),
 * dst[sum i[d]*dst_strides[d]] = src[sum m_d(i[d])*src_strides[d]], where m_d is maps[d]
 * (a table of shape[d] source indices; a negative entry writes *fill) or the identity
 * when maps or maps[d] is NULL. Strides count elements of elem_size (1, 2, 4 or 8) bytes.
 */
void clg_gather_nd(void *dst,
                   const void *src,
                   int32_t elem_size,
                   int32_t ndim,
                   const int32_t *shape,
                   const int32_t *dst_strides,
                   const int32_t *src_strides,
                   const int32_t *const *maps,
                   const void *fill);

/*
 * Tight int8 copy of a strided block of up to three dims (the layout copies: NCHW <-> NHWC
 * clones, permutes, 2-D transposes): for i < n0, j < n1, k < n2,
 * dst[i*ds0 + j*ds1 + k*ds2] = src[i*ss0 + j*ss1 + k*ss2]. Same bytes as clg_gather_nd
 * over those dims without index tables, at a few instructions per byte instead of ~45.
 */
void clg_copy3d_s8(int8_t *dst,
                   const int8_t *src,
                   int32_t n0,
                   int32_t n1,
                   int32_t n2,
                   int32_t ds0,
                   int32_t ds1,
                   int32_t ds2,
                   int32_t ss0,
                   int32_t ss1,
                   int32_t ss2);

/* Contiguous int8 copy of n bytes (not overlapping): memcpy, or MVE vector loads/stores where
 * the core has them (fewer instructions than the C library's word loop there). */
void clg_copy_s8(int8_t *dst, const int8_t *src, int32_t n);

/* Fill n elements of elem_size bytes with *value. */
void clg_fill(void *dst, int32_t elem_size, int32_t n, const void *value);

/*
 * q = clamp(round_half_even(x * inv_scale) + zero_point, qmin, qmax), with x * inv_scale a
 * single-precision product (inv_scale = (float)(1 / (float)scale)); NaN gives the clamped
 * zero point. in and out must not overlap.
 */
void clg_quantize_f32_s8(const float *in, int8_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                         int32_t qmax);

/* x = (float)(q - zero_point) * scale, one single-precision product. */
void clg_dequantize_s8_f32(const int8_t *in, float *out, int32_t n, float scale, int32_t zero_point);

/* out[i] = lut[in[i] + 128] (in and out may be the same buffer). */
void clg_lut_s8(const int8_t *in, int8_t *out, int32_t n, const int8_t *lut);

/* out[i] = clamp(in[i], lo, hi) (in and out may be the same buffer). */
void clg_clamp_s8(const int8_t *in, int8_t *out, int32_t n, int32_t lo, int32_t hi);

#ifdef __cplusplus
}
#endif

#endif
