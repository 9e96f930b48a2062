/* cmsis-lower float_ops: per-tensor quantize / dequantize (round half to even, saturating). */
#include "cl_float_ops.h"

static int32_t quant_one(float x, float scale, int32_t zp, int32_t qmin, int32_t qmax)
{
    float v = cl_round_half_even(x / scale);
    if (!(v == v))
    {
        v = 0.0f;
    }
    /* clamp in float first so the int conversion is always defined */
    if (v < (float)(qmin - zp))
    {
        return qmin;
    }
    if (v > (float)(qmax - zp))
    {
        return qmax;
    }
    {
        const int32_t q = (int32_t)v + zp;
        return q < qmin ? qmin : (q > qmax ? qmax : q);
    }
}

void cl_quantize_f32_s8(const float *in, int8_t *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (int8_t)quant_one(in[i], scale, zero_point, -128, 127);
    }
}

void cl_quantize_f32_s16(const float *in, int16_t *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (int16_t)quant_one(in[i], scale, zero_point, -32768, 32767);
    }
}

void cl_dequantize_s8_f32(const int8_t *in, float *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (float)((int32_t)in[i] - zero_point) * scale;
    }
}

void cl_dequantize_s16_f32(const int16_t *in, float *out, int32_t n, float scale, int32_t zero_point)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (float)((int32_t)in[i] - zero_point) * scale;
    }
}
