/*
 * cmsis-lower: float <-> int16 conversions at the borders of the 16x8 kernels (plain loops on every core).
 */
#include "clg_s16.h"

/* 1.5 * 2^23: for |v| < 2^22, (v + M) - M in single precision is v rounded half to even (ulp 1 in [2^23, 2^24)). */
#define CLG_S16_ROUND_MAGIC 12582912.0f

void clg_quantize_f32_s16(const float *in, int16_t *out, int32_t n, float inv_scale, int32_t zero_point, int32_t qmin,
                          int32_t qmax)
{
    /* Clamped to one past the reachable codes first (anything beyond rounds to the same bound), which also keeps
     * the rounding trick inside its range. */
    const float lo = (float)(qmin - zero_point - 1);
    const float hi = (float)(qmax - zero_point + 1);
    int32_t i;
    for (i = 0; i < n; i++)
    {
        float v = in[i] * inv_scale;
        int32_t q;
        if (v != v)
        {
            v = 0.0f;
        }
        v = v < lo ? lo : (v > hi ? hi : v);
        q = (int32_t)((v + CLG_S16_ROUND_MAGIC) - CLG_S16_ROUND_MAGIC) + zero_point;
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
