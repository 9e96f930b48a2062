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

/* One run of n2 bytes: unrolled by four, strides walked by pointer increments. */
static void clg_copy_run_s8(int8_t *d, const int8_t *s, int32_t n, int32_t ds, int32_t ss)
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
        for (j = 0; j < n1; j++)
        {
            clg_copy_run_s8(d, s, n2, ds2, ss2);
            d += ds1;
            s += ss1;
        }
    }
}

/*
 * Round half to even of a float known to lie in (-2^30, 2^30), without the FPU rounding mode:
 * truncation and the fraction v - trunc(v) are both exact in single precision.
 */
static int32_t clg_round_half_even(float v)
{
    int32_t t = (int32_t)v;
    const float frac = v - (float)t;
    if (frac > 0.5f || (frac == 0.5f && (t & 1) != 0))
    {
        t += 1;
    }
    else if (frac < -0.5f || (frac == -0.5f && (t & 1) != 0))
    {
        t -= 1;
    }
    return t;
}

void clg_quantize_f32_s8(const float *in, int8_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                         int32_t qmax)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        const float v = in[i] * inv_scale;
        int32_t q;
        if (v != v)
        {
            q = zero_point;
        }
        else if (v >= 1.0e9f)
        {
            q = qmax;
        }
        else if (v <= -1.0e9f)
        {
            q = qmin;
        }
        else
        {
            q = clg_round_half_even(v) + zero_point;
        }
        out[i] = (int8_t)(q < qmin ? qmin : (q > qmax ? qmax : q));
    }
}

void clg_dequantize_s8_f32(const int8_t *in, float *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (float)((int32_t)in[i] - zero_point) * scale;
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
