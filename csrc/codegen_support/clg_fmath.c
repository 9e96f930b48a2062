/* cmsis-lower generated-code support: single-precision math (see clg_fmath.h). */
#include "clg_fmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Constants: the float nearest to each decimal (9 digits round-trip a float). */
#define LOG2E 1.44269502f
#define LN2_HI 0.693145752f  /* 0x3f317200: 15 significant bits, k * LN2_HI exact for |k| < 512 */
#define LN2_LO 1.42860677e-6f /* ln 2 - LN2_HI */
#define ROUND_SHIFT 12582912.0f /* 1.5 * 2^23: adding it rounds a float below 2^22 to an integer */
/* exp(r) = 1 + r + r^2 (E2 + r (E3 + ...)), Taylor coefficients 1/k!, |r| <= ~0.35 */
#define E2 0.5f
#define E3 0.166666672f
#define E4 0.0416666679f
#define E5 0.00833333377f
#define E6 0.00138888892f
#define E7 0.000198412701f
#define EXP_HI 89.0f   /* exp(89) > FLT_MAX */
#define EXP_LO -104.0f /* exp(-104) < 2^-150: rounds to 0 */
#define SQRT2_BITS 0x3fb504f3u
/* log(1+f) = f - hfsq + s (hfsq + R), s = f/(2+f), R = z (L1 + z (L2 + ...)), z = s^2 */
#define L1 0.666666687f
#define L2 0.400000006f
#define L3 0.285714298f
#define L4 0.222222224f
/* tanh(x) = x + x z (T1 + z (T2 + ...)), z = x^2, Taylor, |x| < TANH_POLY */
#define T1 -0.333333343f
#define T2 0.13333334f
#define T3 -0.0539682545f
#define T4 0.0218694881f
#define T5 -0.00886323582f
#define T6 0.00359212793f
#define T7 -0.00145583437f
#define T8 0.000590027426f
#define TANH_POLY 0.55f
#define TANH_ONE 9.10000038f   /* 1 - tanh(9.1) < 2^-25: rounds to 1 */
#define TANH_TINY 0.000244140625f /* 2^-12: tanh(x) rounds to x below */
#define POW_BIG 16777216.0f    /* 2^24: every float this large is an even integer */
#define POW_SQUARING 64.0f

static uint32_t bits_of(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static float float_of(uint32_t u)
{
    float x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* 2^n for -126 <= n <= 127 */
static float pow2(int32_t n)
{
    return float_of((uint32_t)(n + 127) << 23);
}

float clg_expf(float x)
{
    float t;
    float n;
    float r;
    float q;
    float p;
    int32_t ni;
#ifdef __SOFTFP__
    /* Without an FPU every float compare, conversion and product is a library call; the tests
     * and the exact scalings below are done on the bits instead (the same results). Positive
     * floats order as their bits as signed integers; negative ones as their bits unsigned. */
    const uint32_t u = bits_of(x);
    if ((u & 0x7fffffffu) > 0x7f800000u)
    {
        return x;
    }
    if ((int32_t)u > (int32_t)0x42b20000u) /* x > EXP_HI (89) */
    {
        return float_of(0x7f800000u);
    }
    if (u > 0xc2d00000u) /* x < EXP_LO (-104) */
    {
        return 0.0f;
    }
#else
    if (x != x)
    {
        return x;
    }
    if (x > EXP_HI)
    {
        return float_of(0x7f800000u);
    }
    if (x < EXP_LO)
    {
        return 0.0f;
    }
#endif
    /* n = round(x / ln 2); r = x - n ln 2 in two parts (Cody-Waite) */
    t = x * LOG2E + ROUND_SHIFT;
    n = t - ROUND_SHIFT;
    r = (x - n * LN2_HI) - n * LN2_LO;
    q = E2 + r * (E3 + r * (E4 + r * (E5 + r * (E6 + r * E7))));
    p = 1.0f + (r + (r * r) * q);
#ifdef __SOFTFP__
    /* t lies in [2^23, 2^24), where one unit is one ulp: n is its bits less ROUND_SHIFT's. */
    ni = (int32_t)(bits_of(t) - bits_of(ROUND_SHIFT));
#else
    ni = (int32_t)n;
#endif
    /* p 2^n, rounded once: via 2^127 above the float range, via 2^-100 into the subnormals */
    if (ni > 127)
    {
        return (p * pow2(127)) * pow2(ni - 127);
    }
    if (ni < -125)
    {
        return (p * pow2(ni + 100)) * pow2(-100);
    }
#ifdef __SOFTFP__
    /* p is in [0.7, 1.42], so p 2^n is normal here and exact: add n to the exponent field. */
    return float_of((uint32_t)((int32_t)bits_of(p) + ni * (1 << 23)));
#else
    return p * pow2(ni);
#endif
}

float clg_logf(float x)
{
    uint32_t ix;
    uint32_t m;
    int32_t k = 0;
    float f;
    float s;
    float z;
    float R;
    float hfsq;
    float kf;
    if (x != x || x == float_of(0x7f800000u))
    {
        return x;
    }
    if (x < 0.0f)
    {
        return float_of(0x7fc00000u);
    }
    if (x == 0.0f)
    {
        return float_of(0xff800000u);
    }
    ix = bits_of(x);
    if (ix < 0x00800000u)
    {
        /* subnormal: scale into the normal range (exact) */
        ix = bits_of(x * 33554432.0f);
        k = -25;
    }
    k += (int32_t)(ix >> 23) - 127;
    m = (ix & 0x7fffffu) | 0x3f800000u; /* [1, 2) */
    if (m > SQRT2_BITS)
    {
        m = (ix & 0x7fffffu) | 0x3f000000u; /* [sqrt(2)/2, 1) */
        k += 1;
    }
    f = float_of(m) - 1.0f;
    s = f / (2.0f + f);
    z = s * s;
    R = z * (L1 + z * (L2 + z * (L3 + z * L4)));
    hfsq = (0.5f * f) * f;
    kf = (float)k;
    return kf * LN2_HI + (f - (hfsq - (s * (hfsq + R) + kf * LN2_LO)));
}

float clg_tanhf(float x)
{
    const float a = x < 0.0f ? -x : x;
    float t;
    if (x != x || a < TANH_TINY)
    {
        return x;
    }
    if (a > TANH_ONE)
    {
        t = 1.0f;
    }
    else if (a >= TANH_POLY)
    {
        t = 1.0f - 2.0f / (clg_expf(a + a) + 1.0f);
    }
    else
    {
        const float z = a * a;
        const float P = T1 + z * (T2 + z * (T3 + z * (T4 + z * (T5 + z * (T6 + z * (T7 + z * T8))))));
        t = a + a * (z * P);
    }
    return x < 0.0f ? -t : t;
}

float clg_sigmoidf(float x)
{
    float e;
    if (x >= 0.0f)
    {
        return 1.0f / (1.0f + clg_expf(-x));
    }
    e = clg_expf(x);
    return e / (1.0f + e);
}

float clg_sqrtf(float x)
{
    return sqrtf(x);
}

float clg_powf(float a, float b)
{
    const float b_abs = b < 0.0f ? -b : b;
    const int big = b_abs >= POW_BIG;
    int integral;
    float m = a;
    int neg = 0;
    float r;
    if (b == 0.0f || a == 1.0f)
    {
        return 1.0f;
    }
    if (a != a || b != b)
    {
        return float_of(0x7fc00000u);
    }
    integral = big || (float)(int32_t)b == b;
    if (integral && b_abs <= POW_SQUARING)
    {
        /* square-and-multiply over the bits of |b| */
        uint32_t e = (uint32_t)b_abs;
        float base = a;
        r = 1.0f;
        for (;;)
        {
            if (e & 1u)
            {
                r = r * base;
            }
            e >>= 1;
            if (e == 0u)
            {
                break;
            }
            base = base * base;
        }
        return b < 0.0f ? 1.0f / r : r;
    }
    if (b == 0.5f && a > 0.0f)
    {
        return clg_sqrtf(a);
    }
    if (a < 0.0f)
    {
        if (!integral)
        {
            return float_of(0x7fc00000u);
        }
        m = -a;
        neg = !big && ((uint32_t)b_abs & 1u);
    }
    r = m == 1.0f ? 1.0f : clg_expf(b * clg_logf(m));
    return neg ? -r : r;
}
