/* See clg_wide.h. */
#include "clg_wide.h"

/*
 * round_half_even(v) for a float v, saturated to +-2^23 (beyond any int16 after a zero point;
 * the caller clamps). Below 2^23 the truncation t is exact, and so is v - t: the tie test sees
 * the true fraction. NaN gives 0.
 */
static int32_t clg_wide_round(float v)
{
    int32_t t;
    float frac;
    if (v != v)
    {
        return 0;
    }
    if (v >= 8388608.0f)
    {
        return 8388608;
    }
    if (v <= -8388608.0f)
    {
        return -8388608;
    }
    t = (int32_t)v;
    frac = v - (float)t;
    if (frac > 0.5f || (frac == 0.5f && (t & 1) != 0))
    {
        t++;
    }
    else if (frac < -0.5f || (frac == -0.5f && (t & 1) != 0))
    {
        t--;
    }
    return t;
}

void clg_quantize_f32_s16(const float *in, int16_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                          int32_t qmax)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        const float v = in[i] * inv_scale;
        const int32_t q = clg_wide_round(v) + zero_point;
        out[i] = (int16_t)(q < qmin ? qmin : (q > qmax ? qmax : q));
    }
}

void clg_dequantize_s16_f32(const int16_t *in, float *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (float)(in[i] - zero_point) * scale;
    }
}
