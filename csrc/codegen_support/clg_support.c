/* cmsis-lower generated-code support (see clg_support.h). */
#include "clg_support.h"

#include <string.h>

static void clg_copy_elem(uint8_t *d, const uint8_t *s, int32_t elem_size)
{
    switch (elem_size)
    {
    case 1:
        *d = *s;
        break;
    case 2:
        memcpy(d, s, 2);
        break;
    case 4:
        memcpy(d, s, 4);
        break;
    default:
        memcpy(d, s, (size_t)elem_size);
        break;
    }
}

void clg_fill(void *dst, int32_t elem_size, int32_t n, const void *value)
{
    uint8_t *d = (uint8_t *)dst;
    int32_t i;
    if (elem_size == 1)
    {
        memset(d, *(const uint8_t *)value, (size_t)n);
        return;
    }
    for (i = 0; i < n; i++)
    {
        clg_copy_elem(d + (size_t)i * (size_t)elem_size, (const uint8_t *)value, elem_size);
    }
}

void clg_gather_nd(void *dst,
                   const void *src,
                   int32_t elem_size,
                   int32_t ndim,
                   const int32_t *shape,
                   const int32_t *dst_strides,
                   const int32_t *src_strides,
                   const int32_t *const *maps,
                   const void *fill)
{
    uint8_t *const d = (uint8_t *)dst;
    const uint8_t *const s = (const uint8_t *)src;
    int32_t idx[CLG_MAX_DIMS];
    int32_t outer = 1;
    int32_t k;
    int32_t o;
    int32_t inner_n;
    int32_t inner_ds;
    int32_t inner_ss;
    const int32_t *inner_map;
    if (ndim <= 0)
    {
        clg_copy_elem(d, s, elem_size);
        return;
    }
    for (k = 0; k < ndim; k++)
    {
        if (shape[k] <= 0)
        {
            return;
        }
        idx[k] = 0;
        if (k < ndim - 1)
        {
            outer *= shape[k];
        }
    }
    inner_n = shape[ndim - 1];
    inner_ds = dst_strides[ndim - 1];
    inner_ss = src_strides[ndim - 1];
    inner_map = maps ? maps[ndim - 1] : NULL;
    for (o = 0; o < outer; o++)
    {
        ptrdiff_t doff = 0;
        ptrdiff_t soff = 0;
        int valid = 1;
        int32_t i;
        for (k = 0; k < ndim - 1; k++)
        {
            const int32_t si = (maps && maps[k]) ? maps[k][idx[k]] : idx[k];
            doff += (ptrdiff_t)idx[k] * dst_strides[k];
            if (si < 0)
            {
                valid = 0;
            }
            else
            {
                soff += (ptrdiff_t)si * src_strides[k];
            }
        }
        if (valid && inner_map == NULL && inner_ds == 1 && inner_ss == 1)
        {
            memcpy(d + doff * elem_size, s + soff * elem_size, (size_t)inner_n * (size_t)elem_size);
        }
        else
        {
            for (i = 0; i < inner_n; i++)
            {
                const int32_t si = inner_map ? inner_map[i] : i;
                uint8_t *dp = d + (doff + (ptrdiff_t)i * inner_ds) * elem_size;
                if (valid && si >= 0)
                {
                    clg_copy_elem(dp, s + (soff + (ptrdiff_t)si * inner_ss) * elem_size, elem_size);
                }
                else
                {
                    clg_copy_elem(dp, (const uint8_t *)fill, elem_size);
                }
            }
        }
        /* next outer index (odometer, innermost outer dim fastest) */
        for (k = ndim - 2; k >= 0; k--)
        {
            if (++idx[k] < shape[k])
            {
                break;
            }
            idx[k] = 0;
        }
    }
}

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define CLG_MVE_INT 1
#endif

/* One run of n bytes: unrolled by four, strides walked by pointer increments. */
static void clg_copy_run_scalar_s8(int8_t *d, const int8_t *s, int32_t n, int32_t ds, int32_t ss)
{
    if (ds == 1 && ss == 1)
    {
        memcpy(d, s, (size_t)n);
        return;
    }
    while (n >= 4)
    {
        const int8_t a = s[0];
        const int8_t b = s[ss];
        const int8_t c = s[2 * ss];
        const int8_t e = s[3 * ss];
        d[0] = a;
        d[ds] = b;
        d[2 * ds] = c;
        d[3 * ds] = e;
        d += 4 * ds;
        s += 4 * ss;
        n -= 4;
    }
    while (n > 0)
    {
        *d = *s;
        d += ds;
        s += ss;
        n--;
    }
}

#ifdef CLG_MVE_INT
/*
 * MVE runs: contiguous on both sides 16 bytes per predicated load/store; a strided side by
 * byte gathers/scatters with lane offsets k*stride (16 lanes of 8-bit offsets when 15*stride
 * fits in a byte, else 8 lanes of 16-bit offsets). Tails are predicated, so no byte outside the
 * run is read or written. Other strides (negative, or both sides strided) take the scalar loop.
 */
static void clg_copy_run_s8(int8_t *d, const int8_t *s, int32_t n, int32_t ds, int32_t ss)
{
    uint8_t *ud = (uint8_t *)d;
    const uint8_t *us = (const uint8_t *)s;
    /* Whole vectors unpredicated, then one predicated tail. */
    if (ds == 1 && ss == 1)
    {
        for (; n >= 16; n -= 16, ud += 16, us += 16)
        {
            vstrbq_u8(ud, vldrbq_u8(us));
        }
        if (n > 0)
        {
            const mve_pred16_t p = vctp8q((uint32_t)n);
            vstrbq_p_u8(ud, vldrbq_z_u8(us, p), p);
        }
    }
    else if (ds == 1 && ss > 1 && ss <= 17)
    {
        const uint8x16_t off = vmulq_n_u8(vidupq_n_u8(0, 1), (uint8_t)ss);
        for (; n >= 16; n -= 16, ud += 16, us += 16 * ss)
        {
            vstrbq_u8(ud, vldrbq_gather_offset_u8(us, off));
        }
        if (n > 0)
        {
            const mve_pred16_t p = vctp8q((uint32_t)n);
            vstrbq_p_u8(ud, vldrbq_gather_offset_z_u8(us, off, p), p);
        }
    }
    else if (ss == 1 && ds > 1 && ds <= 17)
    {
        const uint8x16_t off = vmulq_n_u8(vidupq_n_u8(0, 1), (uint8_t)ds);
        for (; n >= 16; n -= 16, ud += 16 * ds, us += 16)
        {
            vstrbq_scatter_offset_u8(ud, off, vldrbq_u8(us));
        }
        if (n > 0)
        {
            const mve_pred16_t p = vctp8q((uint32_t)n);
            vstrbq_scatter_offset_p_u8(ud, off, vldrbq_z_u8(us, p), p);
        }
    }
    else if (ds == 1 && ss > 17 && ss <= 9362)
    {
        const uint16x8_t off = vmulq_n_u16(vidupq_n_u16(0, 1), (uint16_t)ss);
        for (; n >= 8; n -= 8, ud += 8, us += 8 * ss)
        {
            vstrbq_u16(ud, vldrbq_gather_offset_u16(us, off));
        }
        if (n > 0)
        {
            const mve_pred16_t p = vctp16q((uint32_t)n);
            vstrbq_p_u16(ud, vldrbq_gather_offset_z_u16(us, off, p), p);
        }
    }
    else if (ss == 1 && ds > 17 && ds <= 9362)
    {
        const uint16x8_t off = vmulq_n_u16(vidupq_n_u16(0, 1), (uint16_t)ds);
        for (; n >= 8; n -= 8, ud += 8 * ds, us += 8)
        {
            vstrbq_scatter_offset_u16(ud, off, vldrbq_u16(us));
        }
        if (n > 0)
        {
            const mve_pred16_t p = vctp16q((uint32_t)n);
            vstrbq_scatter_offset_p_u16(ud, off, vldrbq_z_u16(us, p), p);
        }
    }
    else
    {
        clg_copy_run_scalar_s8(d, s, n, ds, ss);
    }
}
#else
#define clg_copy_run_s8 clg_copy_run_scalar_s8
#endif

void clg_copy_s8(int8_t *dst, const int8_t *src, int32_t n)
{
    clg_copy_run_s8(dst, src, n, 1, 1);
}

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
                   int32_t ss2)
{
    int32_t i;
    int32_t j;
    for (i = 0; i < n0; i++)
    {
        int8_t *d = dst + (ptrdiff_t)i * ds0;
        const int8_t *s = src + (ptrdiff_t)i * ss0;
#ifdef CLG_MVE_INT
        /* A transpose whose inner runs are short: walk the longer dim inside when it has a unit
         * stride on one side (one vector gather/scatter per 8 or 16 bytes instead of a call per
         * short run). The same bytes land in the same places in either order. */
        if (n1 > n2 && (ds1 == 1 || ss1 == 1) && !(ds2 == 1 && ss2 == 1))
        {
            int32_t k;
            for (k = 0; k < n2; k++)
            {
                clg_copy_run_s8(d + (ptrdiff_t)k * ds2, s + (ptrdiff_t)k * ss2, n1, ds1, ss1);
            }
            continue;
        }
        /* Short contiguous rows (channel slices of a concat or split): one predicated
         * load/store per row, without a call. */
        if (ds2 == 1 && ss2 == 1 && n2 <= 16)
        {
            const mve_pred16_t p = vctp8q((uint32_t)n2);
            for (j = 0; j < n1; j++)
            {
                vstrbq_p_s8(d, vldrbq_z_s8(s, p), p);
                d += ds1;
                s += ss1;
            }
            continue;
        }
#endif
        for (j = 0; j < n1; j++)
        {
            clg_copy_run_s8(d, s, n2, ds2, ss2);
            d += ds1;
            s += ss1;
        }
    }
}

/*
 * Float <-> int8 borders. Every path gives the simulator's bytes (src/ops/quant/rounding.ts) without
 * depending on the FPU rounding mode:
 *  - MVE with floating point (Cortex-M55/M85): VCVTN converts to the nearest integer, ties to even,
 *    by its encoding (not by FPSCR), and gives 0 for NaN and saturates out-of-range values. MVE
 *    float arithmetic may flush subnormals to zero, so these loops only run for scales where that
 *    cannot change a result (see the guards).
 *  - single-precision VFP (Cortex-M4/M7/M33): VCVTR rounds as FPSCR says, so the loop sets FPSCR
 *    to round to nearest even itself; it too gives 0 for NaN and saturates.
 *  - elsewhere (soft float, the host) the rounding is done on the float's bits with integer
 *    instructions.
 */
#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 2)
#define CLG_MVE_FLOAT 1
#elif defined(__GNUC__) && defined(__arm__) && defined(__ARM_FP) && (__ARM_FP & 4) && !defined(__SOFTFP__)
#define CLG_VFP_ROUND 1
#endif

#if defined(CLG_MVE_FLOAT) || defined(CLG_VFP_ROUND)
/*
 * The loops below set FPSCR to round to nearest even without flush-to-zero themselves (and
 * restore the caller's value), so their products and conversions do not depend on what the
 * application left in FPSCR.
 */
static uint32_t clg_fpscr_nearest(void)
{
    uint32_t old;
    __asm__ volatile("vmrs %0, fpscr" : "=r"(old));
    __asm__ volatile("vmsr fpscr, %0" : : "r"(old & ~((3u << 22) | (1u << 24))) : "memory");
    return old;
}

static void clg_fpscr_restore(uint32_t old)
{
    __asm__ volatile("vmsr fpscr, %0" : : "r"(old) : "memory");
}
#endif

/*
 * round_half_even(v) from the bits of v: |v| = m * 2^-s with m the 24-bit significand, and
 * (m + 2^(s-1) - 1 + bit s of m) >> s rounds m / 2^s half to even. s is capped at 25 (every
 * |v| < 0.5 gives 0 then, and nothing overflows). |v| >= 2^23 and infinities give +-2^24
 * (beyond any int8 after the zero point), NaN gives 0. Subnormals and zeros give 0.
 */
static int32_t clg_round_half_even_bits(float v)
{
    uint32_t u;
    uint32_t e;
    int32_t r;
    memcpy(&u, &v, sizeof u);
    e = (u >> 23) & 0xffu;
    if (e >= 150u)
    {
        r = (e == 255u && (u & 0x7fffffu) != 0u) ? 0 : (1 << 24);
    }
    else
    {
        const uint32_t m = (u & 0x7fffffu) | 0x800000u;
        const uint32_t s = e < 125u ? 25u : 150u - e;
        r = (int32_t)((m + (1u << (s - 1u)) - 1u + ((m >> s) & 1u)) >> s);
    }
    return (u >> 31) != 0u ? -r : r;
}

void clg_quantize_f32_s8(const float *in, int8_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                         int32_t qmax)
{
    int32_t i;
#ifdef CLG_MVE_FLOAT
    /* A product that MVE flushes to zero (or that has a flushed subnormal input) is below
     * 2^-126 * 2^64 in magnitude when inv_scale < 2^64, and rounds to 0 either way. */
    if (inv_scale < 0x1p64f)
    {
        const int32x4_t lo = vdupq_n_s32(qmin - zero_point);
        const int32x4_t hi = vdupq_n_s32(qmax - zero_point);
        /* A vector operand: a scalar one is moved from the FPU register every iteration. */
        const float32x4_t inv = vdupq_n_f32(inv_scale);
        const uint32_t fpscr = clg_fpscr_nearest();
        /* Clamped before the zero point is added, so a saturated conversion cannot wrap. */
        for (i = 0; i + 4 <= n; i += 4)
        {
            const int32x4_t q = vcvtnq_s32_f32(vmulq_f32(vldrwq_f32(in + i), inv));
            vstrbq_s32(out + i, vaddq_n_s32(vminq_s32(vmaxq_s32(q, lo), hi), zero_point));
        }
        if (i < n)
        {
            const mve_pred16_t p = vctp32q((uint32_t)(n - i));
            const int32x4_t q = vcvtnq_s32_f32(vmulq_f32(vldrwq_z_f32(in + i, p), inv));
            vstrbq_p_s32(out + i, vaddq_n_s32(vminq_s32(vmaxq_s32(q, lo), hi), zero_point), p);
        }
        clg_fpscr_restore(fpscr);
        return;
    }
#elif defined(CLG_VFP_ROUND)
    {
        /* Clamped before the zero point is added, so a saturated conversion cannot wrap. */
        const int32_t lo = qmin - zero_point;
        const int32_t hi = qmax - zero_point;
        const uint32_t fpscr = clg_fpscr_nearest();
        for (i = 0; i < n; i++)
        {
            float r;
            int32_t q;
            __asm__("vcvtr.s32.f32 %0, %1" : "=t"(r) : "t"(in[i] * inv_scale));
            memcpy(&q, &r, sizeof q);
            out[i] = (int8_t)((q < lo ? lo : (q > hi ? hi : q)) + zero_point);
        }
        clg_fpscr_restore(fpscr);
        return;
    }
#endif
    for (i = 0; i < n; i++)
    {
        const int32_t q = clg_round_half_even_bits(in[i] * inv_scale) + zero_point;
        out[i] = (int8_t)(q < qmin ? qmin : (q > qmax ? qmax : q));
    }
}

void clg_dequantize_s8_f32(const int8_t *in, float *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
#ifdef CLG_MVE_FLOAT
    /* (q - zero_point) is an exact small integer; with scale >= 2^-64 every nonzero product is
     * normal, so flushing subnormals cannot change one. */
    if (scale >= 0x1p-64f)
    {
        const float32x4_t sv = vdupq_n_f32(scale);
        const uint32_t fpscr = clg_fpscr_nearest();
        for (i = 0; i + 4 <= n; i += 4)
        {
            const int32x4_t q = vsubq_n_s32(vldrbq_s32(in + i), zero_point);
            vstrwq_f32(out + i, vmulq_f32(vcvtq_f32_s32(q), sv));
        }
        if (i < n)
        {
            const mve_pred16_t p = vctp32q((uint32_t)(n - i));
            const int32x4_t q = vsubq_n_s32(vldrbq_z_s32(in + i, p), zero_point);
            vstrwq_p_f32(out + i, vmulq_f32(vcvtq_f32_s32(q), sv), p);
        }
        clg_fpscr_restore(fpscr);
        return;
    }
#endif
    {
#ifdef CLG_VFP_ROUND
        const uint32_t fpscr = clg_fpscr_nearest();
#endif
        if (n >= 1024)
        {
            /* Scalar cores (a soft-float conversion and product cost ~90 instructions on the M3):
             * each of the 256 codes is converted once into a table kept in out[0..255]; the
             * elements from the last down to 256 are looked up (never writing over the table),
             * then the first 256 are converted directly. The same expression, so the same bits. */
            float *const table = out;
            for (i = -128; i < 128; i++)
            {
                table[i + 128] = (float)(i - zero_point) * scale;
            }
            for (i = n - 1; i >= 256; i--)
            {
                out[i] = table[in[i] + 128];
            }
            n = 256;
        }
        for (i = 0; i < n; i++)
        {
            out[i] = (float)((int32_t)in[i] - zero_point) * scale;
        }
#ifdef CLG_VFP_ROUND
        clg_fpscr_restore(fpscr);
#endif
    }
}

void clg_lut_s8(const int8_t *in, int8_t *out, int32_t n, const int8_t *lut)
{
    /* Indexed by the signed value itself; four lookups per iteration, every input of the four read
     * before any output is written (in and out may be the same buffer). */
    const int8_t *const mid = lut + 128;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4)
    {
        const int8_t a = mid[in[i]];
        const int8_t b = mid[in[i + 1]];
        const int8_t c = mid[in[i + 2]];
        const int8_t d = mid[in[i + 3]];
        out[i] = a;
        out[i + 1] = b;
        out[i + 2] = c;
        out[i + 3] = d;
    }
    for (; i < n; i++)
    {
        out[i] = mid[in[i]];
    }
}

void clg_clamp_s8(const int8_t *in, int8_t *out, int32_t n, int32_t lo, int32_t hi)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        const int32_t v = in[i];
        out[i] = (int8_t)(v < lo ? lo : (v > hi ? hi : v));
    }
}
