/* cmsis-lower generated-code support: GELU, window ops and typed elementwise ops (see clg_float_ops.h). */
#include "clg_float_ops.h"

#include "clg_fmath.h"

#include <math.h>
#include <string.h>

#define CLG_OPS_MAX_DIMS 8
#define CLG_MAP_MAX_IN 3

/* Every NaN stored is this one (x86 makes negative NaNs, Arm positive ones). */
static float clg_ops_canon(float x)
{
    if (x != x)
    {
        const uint32_t qnan = 0x7fc00000u;
        memcpy(&x, &qnan, sizeof x);
    }
    return x;
}

/* ---- erf and GELU ---------------------------------------------------------------------- */

/* erf(a) = a (C0 + z (C1 + z (C2 + ...))), z = a^2: the Maclaurin series,
 * C_n = 2/sqrt(pi) (-1)^n / (n! (2n+1)); 17 terms reach float precision for a < 1. */
static const float clg_erf_series[17] = {
    1.12837917f,     -0.376126389f,  0.112837917f,     -0.0268661706f,   0.00522397763f,  -0.000854832702f,
    0.000120553330f, -1.49256504e-5f, 1.64621144e-6f,  -1.63658447e-7f,  1.48071928e-8f,  -1.22905553e-9f,
    9.42275906e-11f, -6.71136686e-12f, 4.46322426e-13f, -2.78351621e-14f, 1.63426141e-15f};
#define CLG_ERF_SERIES_END 1.0f
#define CLG_INV_SQRT2 0.707106781f
#define CLG_INV_SQRTPI 0.564189584f
/* Terms of the continued fraction: 60 reach float precision from a = 1 on, 30 from a = 2. */
#define CLG_ERFC_TERMS_NEAR 60
#define CLG_ERFC_TERMS_FAR 30
#define CLG_ERFC_FAR 2.0f

static float clg_erf_poly(float a)
{
    const float z = a * a;
    float p = clg_erf_series[16];
    int32_t k;
    for (k = 15; k >= 0; k--)
    {
        p = clg_erf_series[k] + z * p;
    }
    return a * p;
}

/* erfc(a) is below half the smallest subnormal from here on */
#define CLG_ERFC_ZERO 10.5f

/* exp(-v^2 * scale), scale 1 or 1/2, without the error of rounding v^2 (which grows with
 * v^2): v = hi + lo with hi holding v's top 12 significant bits, so hi^2 is exact and
 * v^2 - hi^2 = lo (v + hi) is small. */
static float clg_exp_neg_square(float v, float scale)
{
    uint32_t u;
    float hi;
    memcpy(&u, &v, sizeof u);
    u &= 0xfffff000u;
    memcpy(&hi, &u, sizeof hi);
    return clg_expf(-(hi * hi) * scale) * clg_expf(-((v - hi) * (v + hi)) * scale);
}

/* erfc(a) for a >= 1, given e = exp(-a^2) (exp(-x^2/2) for a = |x|/sqrt 2, from x: a is
 * rounded, x is not): e/sqrt(pi) / (a + (1/2)/(a + (2/2)/(a + (3/2)/(a + ...)))), evaluated
 * from the last term up. */
static float clg_erfc_fraction(float a, float e)
{
    float f = a;
    int32_t k;
    if (a >= CLG_ERFC_ZERO)
    {
        return 0.0f;
    }
    for (k = a < CLG_ERFC_FAR ? CLG_ERFC_TERMS_NEAR : CLG_ERFC_TERMS_FAR; k >= 1; k--)
    {
        f = a + ((float)k * 0.5f) / f;
    }
    return (e * CLG_INV_SQRTPI) / f;
}

float clg_erff(float x)
{
    float a;
    float r;
    if (x != x)
    {
        return x;
    }
    a = x < 0.0f ? -x : x;
    r = a < CLG_ERF_SERIES_END ? clg_erf_poly(a) : 1.0f - clg_erfc_fraction(a, clg_exp_neg_square(a, 1.0f));
    return x < 0.0f ? -r : r;
}

float clg_geluf(float x)
{
    float a;
    float tail;
    if (x != x)
    {
        return x;
    }
    if (x >= 0.0f)
    {
        return (0.5f * x) * (1.0f + clg_erff(x * CLG_INV_SQRT2));
    }
    /* 1 + erf(x/sqrt 2) = erfc(|x|/sqrt 2): the continued fraction keeps the small
     * values of the negative tail, where 1 + erf would cancel. */
    a = -x * CLG_INV_SQRT2;
    tail = a < CLG_ERF_SERIES_END ? 1.0f - clg_erf_poly(a) : clg_erfc_fraction(a, clg_exp_neg_square(x, 0.5f));
    return (0.5f * x) * tail;
}

void clg_erf_f32(const float *in, float *out, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = clg_ops_canon(clg_erff(in[i]));
    }
}

void clg_gelu_f32(const float *in, float *out, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = clg_ops_canon(clg_geluf(in[i]));
    }
}

/* ---- window ops -------------------------------------------------------------------------- */

/* The input row (or column) a kernel tap reads for output position o, or -1 outside [0, size). */
static int32_t clg_tap(int32_t transposed, int32_t o, int32_t k, int32_t s, int32_t p, int32_t d, int32_t size)
{
    int32_t i;
    if (transposed)
    {
        /* out[i s - p + k d] gathers in[i]: i = (o + p - k d) / s when it divides */
        const int32_t t = o + p - k * d;
        if (t < 0 || t % s != 0)
        {
            return -1;
        }
        i = t / s;
    }
    else
    {
        i = o * s - p + k * d;
    }
    return i >= 0 && i < size ? i : -1;
}

/* First and last kernel tap (inclusive) whose input index o0 + k d lies in [0, size); last < first when none does. */
static void clg_tap_range(int32_t o0, int32_t d, int32_t taps, int32_t size, int32_t *first, int32_t *last)
{
    int32_t lo = 0;
    int32_t hi = taps - 1;
    if (o0 < 0)
    {
        lo = (-o0 + d - 1) / d;
    }
    if (o0 + hi * d > size - 1)
    {
        hi = size - 1 - o0 < 0 ? -1 : (size - 1 - o0) / d;
    }
    *first = lo;
    *last = hi;
}

/*
 * clg_conv4_f32: the plain (not transposed) convolution of clg_window_f32, with the same
 * operations in the same order per output, only faster. A float MAC is a load, a multiply and
 * an add on FPv4/FPv5 under -ffp-contract=off; what there is to save is the rest: the taps
 * inside the input are found once per output position instead of per tap, and four output
 * channels share each input load, their weights interleaved ([ic][kh][kw][4] per block of
 * four channels of a group, see clg_float_ops.h) so that one pointer walks them.
 */
void clg_conv4_f32(const float *x, const float *w, const float *b, float *y, const int32_t *g)
{
    const int32_t N = g[CLG_G_N], C = g[CLG_G_C], H = g[CLG_G_H], W = g[CLG_G_W], O = g[CLG_G_O];
    const int32_t OH = g[CLG_G_OH], OW = g[CLG_G_OW], KH = g[CLG_G_KH], KW = g[CLG_G_KW];
    const int32_t sh = g[CLG_G_SH], sw = g[CLG_G_SW], ph = g[CLG_G_PH], pw = g[CLG_G_PW];
    const int32_t dh = g[CLG_G_DH], dw = g[CLG_G_DW];
    const int32_t groups = g[CLG_G_GROUPS];
    const int32_t cin_g = C / groups;
    const int32_t cout_g = O / groups;
    const int32_t taps = KH * KW;
    const int32_t per_oc = cin_g * taps;
    const int32_t plane = H * W;
    int32_t n;
    int32_t grp;
    for (n = 0; n < N; n++)
    {
        for (grp = 0; grp < groups; grp++)
        {
            const float *xg = x + (n * C + grp * cin_g) * plane;
            int32_t ocg = 0;
            while (ocg < cout_g)
            {
                /* four channels at a time, then one at a time */
                const int32_t lanes = cout_g - ocg >= 4 ? 4 : 1;
                const int32_t oc = grp * cout_g + ocg;
                const float *wb = w + oc * per_oc;
                int32_t oh;
                for (oh = 0; oh < OH; oh++)
                {
                    int32_t kh0;
                    int32_t kh1;
                    int32_t ow;
                    clg_tap_range(oh * sh - ph, dh, KH, H, &kh0, &kh1);
                    for (ow = 0; ow < OW; ow++)
                    {
                        const int32_t iw0 = ow * sw - pw;
                        float *yo = y + ((n * O + oc) * OH + oh) * OW + ow;
                        int32_t kw0;
                        int32_t kw1;
                        int32_t icg;
                        int32_t kh;
                        clg_tap_range(iw0, dw, KW, W, &kw0, &kw1);
                        if (lanes == 4)
                        {
                            float a0 = b ? b[oc] : 0.0f;
                            float a1 = b ? b[oc + 1] : 0.0f;
                            float a2 = b ? b[oc + 2] : 0.0f;
                            float a3 = b ? b[oc + 3] : 0.0f;
                            if (KH == 1 && dw == 1 && kh0 == 0 && kh1 == 0 && kw1 >= kw0)
                            {
                                /* one row, adjacent taps: the common 1-D case, without the row and tap loops
                                 * for a kernel of 3 (and its two taps at a padded edge) */
                                const int32_t nk = kw1 - kw0 + 1;
                                const float *xq = xg + (oh * sh - ph) * W + iw0 + kw0;
                                const float *wq = wb + kw0 * 4;
                                const int32_t wskip = (KW - nk) * 4;
                                if (nk == 3 && wskip == 0)
                                {
                                    for (icg = 0; icg < cin_g; icg++)
                                    {
                                        const float v0 = xq[0];
                                        const float v1 = xq[1];
                                        const float v2 = xq[2];
                                        a0 = a0 + wq[0] * v0;
                                        a1 = a1 + wq[1] * v0;
                                        a2 = a2 + wq[2] * v0;
                                        a3 = a3 + wq[3] * v0;
                                        a0 = a0 + wq[4] * v1;
                                        a1 = a1 + wq[5] * v1;
                                        a2 = a2 + wq[6] * v1;
                                        a3 = a3 + wq[7] * v1;
                                        a0 = a0 + wq[8] * v2;
                                        a1 = a1 + wq[9] * v2;
                                        a2 = a2 + wq[10] * v2;
                                        a3 = a3 + wq[11] * v2;
                                        xq += plane;
                                        wq += 12;
                                    }
                                }
                                else if (nk == 2)
                                {
                                    for (icg = 0; icg < cin_g; icg++)
                                    {
                                        const float v0 = xq[0];
                                        const float v1 = xq[1];
                                        a0 = a0 + wq[0] * v0;
                                        a1 = a1 + wq[1] * v0;
                                        a2 = a2 + wq[2] * v0;
                                        a3 = a3 + wq[3] * v0;
                                        a0 = a0 + wq[4] * v1;
                                        a1 = a1 + wq[5] * v1;
                                        a2 = a2 + wq[6] * v1;
                                        a3 = a3 + wq[7] * v1;
                                        xq += plane;
                                        wq += 8 + wskip;
                                    }
                                }
                                else
                                {
                                    for (icg = 0; icg < cin_g; icg++)
                                    {
                                        int32_t k;
                                        for (k = 0; k < nk; k++)
                                        {
                                            const float v = xq[k];
                                            a0 = a0 + wq[0] * v;
                                            a1 = a1 + wq[1] * v;
                                            a2 = a2 + wq[2] * v;
                                            a3 = a3 + wq[3] * v;
                                            wq += 4;
                                        }
                                        xq += plane;
                                        wq += wskip;
                                    }
                                }
                            }
                            else
                            for (icg = 0; icg < cin_g; icg++)
                            {
                                for (kh = kh0; kh <= kh1; kh++)
                                {
                                    const float *xq = xg + icg * plane + (oh * sh - ph + kh * dh) * W + iw0 + kw0 * dw;
                                    const float *wq = wb + (icg * taps + kh * KW + kw0) * 4;
                                    int32_t k;
                                    for (k = kw0; k <= kw1; k++)
                                    {
                                        const float v = *xq;
                                        a0 = a0 + wq[0] * v;
                                        a1 = a1 + wq[1] * v;
                                        a2 = a2 + wq[2] * v;
                                        a3 = a3 + wq[3] * v;
                                        xq += dw;
                                        wq += 4;
                                    }
                                }
                            }
                            yo[0] = clg_ops_canon(a0);
                            yo[OH * OW] = clg_ops_canon(a1);
                            yo[2 * OH * OW] = clg_ops_canon(a2);
                            yo[3 * OH * OW] = clg_ops_canon(a3);
                        }
                        else
                        {
                            float a0 = b ? b[oc] : 0.0f;
                            for (icg = 0; icg < cin_g; icg++)
                            {
                                for (kh = kh0; kh <= kh1; kh++)
                                {
                                    const float *xq = xg + icg * plane + (oh * sh - ph + kh * dh) * W + iw0 + kw0 * dw;
                                    const float *wq = wb + icg * taps + kh * KW + kw0;
                                    int32_t k;
                                    for (k = kw0; k <= kw1; k++)
                                    {
                                        a0 = a0 + *wq * *xq;
                                        xq += dw;
                                        wq++;
                                    }
                                }
                            }
                            yo[0] = clg_ops_canon(a0);
                        }
                    }
                }
                ocg += lanes;
            }
        }
    }
}

void clg_window_f32(int32_t kind, const float *x, const float *w, const float *b, float *y, const int32_t *g)
{
    const int32_t N = g[CLG_G_N], C = g[CLG_G_C], H = g[CLG_G_H], W = g[CLG_G_W], O = g[CLG_G_O];
    const int32_t OH = g[CLG_G_OH], OW = g[CLG_G_OW], KH = g[CLG_G_KH], KW = g[CLG_G_KW];
    const int32_t sh = g[CLG_G_SH], sw = g[CLG_G_SW], ph = g[CLG_G_PH], pw = g[CLG_G_PW];
    const int32_t dh = g[CLG_G_DH], dw = g[CLG_G_DW];
    const int32_t conv = kind == CLG_WIN_CONV || kind == CLG_WIN_CONV_TRANSPOSED;
    const int32_t transposed = kind == CLG_WIN_CONV_TRANSPOSED;
    const int32_t groups = conv ? g[CLG_G_GROUPS] : C;
    const int32_t cin_g = C / groups;
    const int32_t cout_g = O / groups;
    int32_t n;
    int32_t oc;
    int32_t oh;
    int32_t ow;
    for (n = 0; n < N; n++)
    {
        for (oc = 0; oc < O; oc++)
        {
            const int32_t grp = oc / cout_g;
            const int32_t ocg = oc - grp * cout_g;
            for (oh = 0; oh < OH; oh++)
            {
                for (ow = 0; ow < OW; ow++)
                {
                    float acc = kind == CLG_WIN_MAX ? -HUGE_VALF : (conv && b ? b[oc] : 0.0f);
                    int32_t count = 0;
                    int32_t icg;
                    for (icg = 0; icg < cin_g; icg++)
                    {
                        const int32_t ic = grp * cin_g + icg;
                        const float *xc = x + (n * C + ic) * H * W;
                        int32_t kh;
                        for (kh = 0; kh < KH; kh++)
                        {
                            const int32_t ih = clg_tap(transposed, oh, kh, sh, ph, dh, H);
                            int32_t kw;
                            if (ih < 0)
                            {
                                continue;
                            }
                            for (kw = 0; kw < KW; kw++)
                            {
                                const int32_t iw = clg_tap(transposed, ow, kw, sw, pw, dw, W);
                                float v;
                                if (iw < 0)
                                {
                                    continue;
                                }
                                v = xc[ih * W + iw];
                                if (conv)
                                {
                                    const int32_t wi = transposed ? ((ic * cout_g + ocg) * KH + kh) * KW + kw
                                                                  : ((oc * cin_g + icg) * KH + kh) * KW + kw;
                                    acc = acc + w[wi] * v;
                                }
                                else if (kind == CLG_WIN_MAX)
                                {
                                    acc = (v > acc || v != v) ? v : acc;
                                }
                                else
                                {
                                    acc = acc + v;
                                    count++;
                                }
                            }
                        }
                    }
                    if (kind == CLG_WIN_AVG_PAD)
                    {
                        /* the window clipped to the padded input (a ceil_mode overhang is not counted) */
                        const int32_t h0 = oh * sh - ph;
                        const int32_t w0 = ow * sw - pw;
                        const int32_t h1 = h0 + KH < H + ph ? h0 + KH : H + ph;
                        const int32_t w1 = w0 + KW < W + pw ? w0 + KW : W + pw;
                        acc = acc / (float)((h1 - h0) * (w1 - w0));
                    }
                    else if (kind == CLG_WIN_AVG)
                    {
                        acc = acc / (float)count;
                    }
                    y[((n * O + oc) * OH + oh) * OW + ow] = clg_ops_canon(acc);
                }
            }
        }
    }
}

/* ---- typed elementwise ops --------------------------------------------------------------- */

static int32_t clg_dtype_size(int32_t t)
{
    switch (t)
    {
    case CLG_DT_I16:
        return 2;
    case CLG_DT_F32:
    case CLG_DT_I32:
        return 4;
    case CLG_DT_I64:
        return 8;
    default:
        return 1;
    }
}

/* An integer or bool element, exactly. */
static int64_t clg_load_int(int32_t t, const void *p, int32_t i)
{
    switch (t)
    {
    case CLG_DT_I8:
        return ((const int8_t *)p)[i];
    case CLG_DT_I16:
        return ((const int16_t *)p)[i];
    case CLG_DT_I32:
        return ((const int32_t *)p)[i];
    case CLG_DT_I64:
        return ((const int64_t *)p)[i];
    default:
        return ((const uint8_t *)p)[i];
    }
}

/* v modulo 2^bits as a two's complement (signed) or plain (unsigned) integer. */
static int64_t clg_wrap(int64_t v, int32_t bits, int32_t is_signed)
{
    const uint64_t m = ((uint64_t)1 << bits) - 1u;
    const uint64_t u = (uint64_t)v & m;
    if (is_signed && u > (m >> 1))
    {
        return -(int64_t)(m - u) - 1;
    }
    return (int64_t)u;
}

static void clg_store_int(int32_t t, void *p, int32_t i, int64_t v)
{
    switch (t)
    {
    case CLG_DT_I8:
        ((int8_t *)p)[i] = (int8_t)clg_wrap(v, 8, 1);
        break;
    case CLG_DT_U8:
        ((uint8_t *)p)[i] = (uint8_t)clg_wrap(v, 8, 0);
        break;
    case CLG_DT_I16:
        ((int16_t *)p)[i] = (int16_t)clg_wrap(v, 16, 1);
        break;
    case CLG_DT_I32:
        ((int32_t *)p)[i] = (int32_t)clg_wrap(v, 32, 1);
        break;
    case CLG_DT_I64:
        ((int64_t *)p)[i] = v;
        break;
    default:
        ((uint8_t *)p)[i] = (uint8_t)(v != 0);
        break;
    }
}

/* A float truncated toward zero as an integer of type `to` (before wrapping): NaN is 0;
 * beyond +-2^62 every float is a multiple of 2^39, so it wraps to 0 in 32 bits or fewer;
 * int64 keeps it below 2^63 and takes INT64_MIN outside. */
static int64_t clg_float_to_int(float v, int32_t to)
{
    const float two62 = 4611686018427387904.0f;
    const float two63 = 9223372036854775808.0f;
    if (v != v)
    {
        return 0;
    }
    if (v < two62 && v > -two62)
    {
        return (int64_t)v;
    }
    if (to == CLG_DT_I64)
    {
        return v < two63 && v >= -two63 ? (int64_t)v : INT64_MIN;
    }
    return 0;
}

/* One output element of clg_map from its operands' element offsets. */
static void clg_map_one(int32_t op, int32_t out_type, void *out, int32_t o, const void *const *ins, const int32_t *in_types,
                        const int32_t *at)
{
    const int32_t t0 = in_types[0];
    switch (op)
    {
    case CLG_MAP_EQ:
        if (t0 == CLG_DT_F32)
        {
            ((uint8_t *)out)[o] = ((const float *)ins[0])[at[0]] == ((const float *)ins[1])[at[1]];
        }
        else
        {
            ((uint8_t *)out)[o] = clg_load_int(t0, ins[0], at[0]) == clg_load_int(in_types[1], ins[1], at[1]);
        }
        break;
    case CLG_MAP_NOT:
        ((uint8_t *)out)[o] = t0 == CLG_DT_F32 ? ((const float *)ins[0])[at[0]] == 0.0f : clg_load_int(t0, ins[0], at[0]) == 0;
        break;
    case CLG_MAP_WHERE:
    {
        const int32_t pick = t0 == CLG_DT_F32 ? ((const float *)ins[0])[at[0]] != 0.0f : clg_load_int(t0, ins[0], at[0]) != 0;
        const int32_t k = pick ? 1 : 2;
        const int32_t size = clg_dtype_size(out_type);
        memcpy((uint8_t *)out + o * size, (const uint8_t *)ins[k] + at[k] * size, (size_t)size);
        break;
    }
    case CLG_MAP_LT:
    case CLG_MAP_LE:
    {
        /* a < b, a <= b on one operand type (float: IEEE comparisons, false with a NaN) */
        int32_t lt;
        int32_t eq;
        if (t0 == CLG_DT_F32)
        {
            const float a = ((const float *)ins[0])[at[0]];
            const float b = ((const float *)ins[1])[at[1]];
            lt = a < b;
            eq = a == b;
        }
        else
        {
            const int64_t a = clg_load_int(t0, ins[0], at[0]);
            const int64_t b = clg_load_int(in_types[1], ins[1], at[1]);
            lt = a < b;
            eq = a == b;
        }
        ((uint8_t *)out)[o] = (uint8_t)(op == CLG_MAP_LT ? lt : (lt || eq));
        break;
    }
    case CLG_MAP_AND:
    case CLG_MAP_OR:
    {
        const int32_t a = t0 == CLG_DT_F32 ? ((const float *)ins[0])[at[0]] != 0.0f : clg_load_int(t0, ins[0], at[0]) != 0;
        const int32_t b = in_types[1] == CLG_DT_F32 ? ((const float *)ins[1])[at[1]] != 0.0f : clg_load_int(in_types[1], ins[1], at[1]) != 0;
        ((uint8_t *)out)[o] = (uint8_t)(op == CLG_MAP_AND ? (a && b) : (a || b));
        break;
    }
    default: /* CLG_MAP_CAST */
        if (t0 == CLG_DT_F32)
        {
            const float v = ((const float *)ins[0])[at[0]];
            if (out_type == CLG_DT_F32)
            {
                memcpy((float *)out + o, &v, sizeof v);
            }
            else if (out_type == CLG_DT_BOOL)
            {
                ((uint8_t *)out)[o] = v != 0.0f;
            }
            else
            {
                clg_store_int(out_type, out, o, clg_float_to_int(v, out_type));
            }
        }
        else
        {
            const int64_t v = clg_load_int(t0, ins[0], at[0]);
            if (out_type == CLG_DT_F32)
            {
                ((float *)out)[o] = (float)v;
            }
            else
            {
                clg_store_int(out_type, out, o, v);
            }
        }
        break;
    }
}

void clg_map(int32_t op,
             int32_t out_type,
             void *out,
             int32_t nin,
             const void *const *ins,
             const int32_t *in_types,
             const int32_t *strides,
             int32_t ndim,
             const int32_t *shape)
{
    int32_t idx[CLG_OPS_MAX_DIMS];
    int32_t at[CLG_MAP_MAX_IN] = {0, 0, 0};
    int32_t total = 1;
    int32_t o;
    int32_t d;
    int32_t k;
    for (d = 0; d < ndim; d++)
    {
        idx[d] = 0;
        total *= shape[d];
    }
    for (o = 0; o < total; o++)
    {
        clg_map_one(op, out_type, out, o, ins, in_types, at);
        /* odometer over the output; each operand follows with its own strides */
        for (d = ndim - 1; d >= 0; d--)
        {
            for (k = 0; k < nin; k++)
            {
                at[k] += strides[k * ndim + d];
            }
            if (++idx[d] < shape[d])
            {
                break;
            }
            for (k = 0; k < nin; k++)
            {
                at[k] -= strides[k * ndim + d] * shape[d];
            }
            idx[d] = 0;
        }
    }
}

void clg_amax(int32_t type, const void *in, void *out, int32_t n_out, const int32_t *starts, int32_t n_red, const int32_t *offsets)
{
    int32_t o;
    for (o = 0; o < n_out; o++)
    {
        float fbest = -HUGE_VALF;
        int64_t ibest = 0;
        int32_t r;
        for (r = 0; r < n_red; r++)
        {
            const int32_t pos = starts[o] + offsets[r];
            if (type == CLG_DT_F32)
            {
                const float v = ((const float *)in)[pos];
                fbest = (v > fbest || v != v) ? v : fbest;
            }
            else
            {
                const int64_t v = clg_load_int(type, in, pos);
                ibest = (r == 0 || v > ibest) ? v : ibest;
            }
        }
        if (type == CLG_DT_F32)
        {
            ((float *)out)[o] = clg_ops_canon(fbest);
        }
        else
        {
            clg_store_int(type, out, o, ibest);
        }
    }
}

void clg_sum_f32(const float *in, float *out, int32_t n_out, const int32_t *starts, int32_t n_red, const int32_t *offsets)
{
    int32_t o;
    for (o = 0; o < n_out; o++)
    {
        /* in increasing input position, one rounding per addition */
        float acc = 0.0f;
        int32_t r;
        for (r = 0; r < n_red; r++)
        {
            acc = acc + in[starts[o] + offsets[r]];
        }
        out[o] = clg_ops_canon(acc);
    }
}
