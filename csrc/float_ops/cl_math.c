/* cmsis-lower float_ops: deterministic exp / log / sigmoid / tanh / rounding. */
#include "cl_float_ops.h"

#include <math.h>

float cl_round_half_even(float x)
{
    const float f = floorf(x);
    const float d = x - f; /* exact for |x| < 2^23 */
    if (!(x == x) || fabsf(x) >= 8388608.0f)
    {
        return x; /* NaN or already integral */
    }
    if (d > 0.5f)
    {
        return f + 1.0f;
    }
    if (d < 0.5f)
    {
        return f;
    }
    return (fmodf(f, 2.0f) != 0.0f) ? f + 1.0f : f;
}

float cl_expf(float x)
{
    float kf, r, p;
    if (!(x == x))
    {
        return x;
    }
    if (x > 88.72f)
    {
        return HUGE_VALF;
    }
    if (x < -103.0f)
    {
        return 0.0f;
    }
    kf = floorf(x * 1.44269504088896341f + 0.5f);
    r = x - kf * 0.693145751953125f;
    r = r - kf * 1.428606765330187045e-06f;
    p = 1.0f +
        r * (1.0f +
             r * (0.5f +
                  r * (0.166666672f +
                       r * (0.0416666679f + r * (0.00833333377f + r * (0.00138888892f + r * 0.000198412701f))))));
    return ldexpf(p, (int)kf);
}

float cl_logf(float x)
{
    int e;
    float m, f, s, s2, poly;
    if (!(x == x) || x < 0.0f)
    {
        return NAN;
    }
    if (x == 0.0f)
    {
        return -HUGE_VALF;
    }
    if (x == HUGE_VALF)
    {
        return x;
    }
    m = frexpf(x, &e); /* exact: m in [0.5, 1) */
    if (m < 0.707106781f)
    {
        m = m * 2.0f;
        e = e - 1;
    }
    f = m - 1.0f;
    s = f / (2.0f + f);
    s2 = s * s;
    poly = 2.0f * s *
        (1.0f + s2 * (0.333333343f + s2 * (0.200000003f + s2 * (0.142857149f + s2 * (0.111111112f + s2 * 0.0909090936f)))));
    return (float)e * 0.693145751953125f + ((float)e * 1.428606765330187045e-06f + poly);
}

float cl_sigmoidf(float x)
{
    if (x >= 0.0f)
    {
        return 1.0f / (1.0f + cl_expf(-x));
    }
    else
    {
        const float e = cl_expf(x);
        return e / (1.0f + e);
    }
}

float cl_tanhf(float x)
{
    const float ax = fabsf(x);
    float r;
    if (!(x == x))
    {
        return x;
    }
    if (ax < 0.0625f)
    {
        const float x2 = x * x;
        return x * (1.0f + x2 * (-0.333333343f + x2 * (0.133333340f + x2 * -0.0539682545f)));
    }
    if (ax > 9.0f)
    {
        return x > 0.0f ? 1.0f : -1.0f;
    }
    r = 1.0f - 2.0f / (cl_expf(2.0f * ax) + 1.0f);
    return x > 0.0f ? r : -r;
}

void cl_sigmoid_f32(const float *in, float *out, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = cl_sigmoidf(in[i]);
    }
}

void cl_tanh_f32(const float *in, float *out, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = cl_tanhf(in[i]);
    }
}
