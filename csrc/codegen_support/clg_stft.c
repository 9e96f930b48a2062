/* cmsis-lower generated-code support: the STFT of a DFT-basis convolution as real FFTs (see clg_stft.h). */
#include "clg_stft.h"

#include <string.h>

/* Every NaN stored is this one (x86 makes negative NaNs, Arm positive ones). */
static float clg_stft_canon(float x)
{
    if (x != x)
    {
        const uint32_t qnan = 0x7fc00000u;
        memcpy(&x, &qnan, sizeof x);
    }
    return x;
}

/*
 * The FFT is the twin's radix-2 decimation in time (src/kernels/float32/stft.ts): stage of half-size h,
 * butterflies (g + j, g + j + h) with W = e^(-2 pi i j / 2h) = cos - i sin at table index j n / 2h; t = W v,
 * u' = u + t, v' = u - t; W = 1 (j = 0) and W = -i (j = h/2) take no products. Each value gets the twin's
 * operations in the twin's order; only the passes over memory differ: stages 1 and 2 run on the windowed
 * samples as they are loaded, and later stages two at a time on four points held in registers (the
 * butterflies of one stage are independent, so their order cannot change a bit).
 */
#define CLG_BF_ONE(ur, ui, vr, vi)                                                                               \
    do                                                                                                           \
    {                                                                                                            \
        const float tr_ = (vr), ti_ = (vi);                                                                      \
        (vr) = (ur) - tr_;                                                                                       \
        (vi) = (ui) - ti_;                                                                                       \
        (ur) = (ur) + tr_;                                                                                       \
        (ui) = (ui) + ti_;                                                                                       \
    } while (0)
#define CLG_BF_MINUS_I(ur, ui, vr, vi)                                                                           \
    do                                                                                                           \
    {                                                                                                            \
        const float tr_ = (vi), ti_ = -(vr);                                                                     \
        (vr) = (ur) - tr_;                                                                                       \
        (vi) = (ui) - ti_;                                                                                       \
        (ur) = (ur) + tr_;                                                                                       \
        (ui) = (ui) + ti_;                                                                                       \
    } while (0)
#define CLG_BF(ur, ui, vr, vi, c, s)                                                                             \
    do                                                                                                           \
    {                                                                                                            \
        const float tr_ = (c) * (vr) + (s) * (vi), ti_ = (c) * (vi) - (s) * (vr);                                \
        (vr) = (ur) - tr_;                                                                                       \
        (vi) = (ui) - ti_;                                                                                       \
        (ur) = (ur) + tr_;                                                                                       \
        (ui) = (ui) + ti_;                                                                                       \
    } while (0)

/* A sample, zero outside the signal. */
static inline float clg_stft_at(const float *xs, int32_t i, int32_t len)
{
    return i >= 0 && i < len ? xs[i] : 0.0f;
}

/* Stages 1 and 2 (W = 1, and W = 1 / -i) on four complex values, stored at w. */
static inline void clg_fft_first4(float *w, float ar, float ai, float br, float bi, float cr, float ci, float dr, float di)
{
    CLG_BF_ONE(ar, ai, br, bi);
    CLG_BF_ONE(cr, ci, dr, di);
    CLG_BF_ONE(ar, ai, cr, ci);
    CLG_BF_MINUS_I(br, bi, dr, di);
    w[0] = ar;
    w[1] = ai;
    w[2] = br;
    w[3] = bi;
    w[4] = cr;
    w[5] = ci;
    w[6] = dr;
    w[7] = di;
}

/*
 * Windowed sample pairs in bit-reversed order (complex slot s takes samples 2 bitrev[s], 2 bitrev[s] + 1 of the
 * frame), with stages 1 and 2 done on each four as they are loaded. A frame inside the signal reads it directly;
 * one reaching into the padding reads zeros there (still times the window, as the twin does).
 */
static void clg_fft_load(float *w, const float *xs, const float *window, const uint16_t *bitrev, int32_t m,
                         int32_t start, int32_t len)
{
#define CLG_PAIR(q, zr, zi, AT)                                                                                  \
    const int32_t j##q = 2 * bitrev[s + (q)];                                                                    \
    const float zr = AT(j##q) * window[j##q];                                                                    \
    const float zi = AT(j##q + 1) * window[j##q + 1]
    if (start >= 0 && start + 2 * m <= len)
    {
        const float *xf = xs + start;
#define CLG_IN(i) xf[i]
        for (int32_t s = 0; s < m; s += 4)
        {
            CLG_PAIR(0, ar, ai, CLG_IN);
            CLG_PAIR(1, br, bi, CLG_IN);
            CLG_PAIR(2, cr, ci, CLG_IN);
            CLG_PAIR(3, dr, di, CLG_IN);
            clg_fft_first4(w + 2 * s, ar, ai, br, bi, cr, ci, dr, di);
        }
#undef CLG_IN
    }
    else
    {
#define CLG_PADDED(i) clg_stft_at(xs, start + (i), len)
        for (int32_t s = 0; s < m; s += 4)
        {
            CLG_PAIR(0, ar, ai, CLG_PADDED);
            CLG_PAIR(1, br, bi, CLG_PADDED);
            CLG_PAIR(2, cr, ci, CLG_PADDED);
            CLG_PAIR(3, dr, di, CLG_PADDED);
            clg_fft_first4(w + 2 * s, ar, ai, br, bi, cr, ci, dr, di);
        }
#undef CLG_PADDED
    }
#undef CLG_PAIR
}

/* One stage of half-size h on its own. */
static void clg_fft_stage(float *w, int32_t m, int32_t h, const float *cos_tab, const float *sin_tab, int32_t n)
{
    const int32_t step = n / (2 * h);
    float *const end = w + 2 * m;
    for (int32_t j = 0; j < h; j++)
    {
        const float c = cos_tab[j * step], s = sin_tab[j * step];
        const int kind = j == 0 ? 0 : 2 * j == h ? 1 : 2;
        for (float *p = w + 2 * j; p < end; p += 4 * h)
        {
            float ur = p[0], ui = p[1], vr = p[2 * h], vi = p[2 * h + 1];
            if (kind == 0)
                CLG_BF_ONE(ur, ui, vr, vi);
            else if (kind == 1)
                CLG_BF_MINUS_I(ur, ui, vr, vi);
            else
                CLG_BF(ur, ui, vr, vi, c, s);
            p[0] = ur;
            p[1] = ui;
            p[2 * h] = vr;
            p[2 * h + 1] = vi;
        }
    }
}

#define CLG_QUAD_LOAD                                                                                            \
    float ar = p[0], ai = p[1], br = p[o1], bi = p[o1 + 1];                                                      \
    float cr = p[o2], ci = p[o2 + 1], dr = p[o3], di = p[o3 + 1]
#define CLG_QUAD_STORE                                                                                           \
    p[0] = ar;                                                                                                   \
    p[1] = ai;                                                                                                   \
    p[o1] = br;                                                                                                  \
    p[o1 + 1] = bi;                                                                                              \
    p[o2] = cr;                                                                                                  \
    p[o2 + 1] = ci;                                                                                              \
    p[o3] = dr;                                                                                                  \
    p[o3 + 1] = di

/*
 * Stages h and 2h together on the points (g + j, + h, + 2h, + 3h): stage h pairs (0, 1) and (2, 3) with
 * W at j; stage 2h pairs (0, 2) with W at j and (1, 3) with W at j + h (which is -i when j = 0).
 */
static void clg_fft_stage_pair(float *w, int32_t m, int32_t h, const float *cos_tab, const float *sin_tab, int32_t n)
{
    const int32_t step1 = n / (2 * h), step2 = n / (4 * h);
    const int32_t o1 = 2 * h, o2 = 4 * h, o3 = 6 * h;
    float *const end = w + 2 * m;
    /* j = 0: W = 1 in stage h, W = 1 and -i in stage 2h. */
    for (float *p = w; p < end; p += 8 * h)
    {
        CLG_QUAD_LOAD;
        CLG_BF_ONE(ar, ai, br, bi);
        CLG_BF_ONE(cr, ci, dr, di);
        CLG_BF_ONE(ar, ai, cr, ci);
        CLG_BF_MINUS_I(br, bi, dr, di);
        CLG_QUAD_STORE;
    }
    for (int32_t j = 1; j < h; j++)
    {
        const float c1 = cos_tab[j * step1], s1 = sin_tab[j * step1];
        const float c2 = cos_tab[j * step2], s2 = sin_tab[j * step2];
        const float c3 = cos_tab[(j + h) * step2], s3 = sin_tab[(j + h) * step2];
        if (2 * j == h)
        {
            /* W = -i in stage h. */
            for (float *p = w + 2 * j; p < end; p += 8 * h)
            {
                CLG_QUAD_LOAD;
                CLG_BF_MINUS_I(ar, ai, br, bi);
                CLG_BF_MINUS_I(cr, ci, dr, di);
                CLG_BF(ar, ai, cr, ci, c2, s2);
                CLG_BF(br, bi, dr, di, c3, s3);
                CLG_QUAD_STORE;
            }
        }
        else
        {
            for (float *p = w + 2 * j; p < end; p += 8 * h)
            {
                CLG_QUAD_LOAD;
                CLG_BF(ar, ai, br, bi, c1, s1);
                CLG_BF(cr, ci, dr, di, c1, s1);
                CLG_BF(ar, ai, cr, ci, c2, s2);
                CLG_BF(br, bi, dr, di, c3, s3);
                CLG_QUAD_STORE;
            }
        }
    }
}

/* Bin k from sr = a_r + b_r, di = a_i - b_i, si = a_i + b_i, dr = b_r - a_r (the twin's order). */
static inline void clg_stft_store(float sr, float di, float si, float dr, float ck, float sk, float *re, float *im,
                                  int32_t imag_sign)
{
    const float xr = 0.5f * ((sr + ck * si) + sk * dr);
    const float xi = 0.5f * ((di + ck * dr) - sk * si);
    *re = clg_stft_canon(xr);
    *im = clg_stft_canon(imag_sign < 0 ? xi : -xi);
}

/* Bin k from a = Z_ia, b = Z_ib (the bins whose pair is themselves: 0, m / 2, m). */
static void clg_stft_bin(const float *z, int32_t ia, int32_t k, const float *cos_tab, const float *sin_tab, float *re,
                         float *im, int32_t row_stride, int32_t imag_sign)
{
    const float ar = z[2 * ia], ai = z[2 * ia + 1];
    clg_stft_store(ar + ar, ai - ai, ai + ai, ar - ar, cos_tab[k], sin_tab[k], re + k * row_stride, im + k * row_stride,
                   imag_sign);
}

void clg_stft_f32(const float *x, const float *window, const float *cos_tab, const float *sin_tab,
                  const uint16_t *bitrev, float *out, float *work, const int32_t *geom)
{
    const int32_t n = geom[0], hop = geom[1], pad_begin = geom[2], len = geom[3];
    const int32_t frames = geom[4], rows = geom[5], batch = geom[6], imag_sign = geom[7];
    const int32_t m = n / 2;
    const int32_t bins = m + 1;
    const int32_t row_stride = rows * frames;
    int32_t stages = 0;
    for (int32_t q = m; q > 1; q >>= 1)
        stages++;
    for (int32_t b = 0; b < batch; b++)
    {
        for (int32_t r = 0; r < rows; r++)
        {
            const float *xs = x + (b * rows + r) * len;
            float *os = out + b * 2 * bins * row_stride + r * frames;
            for (int32_t fr = 0; fr < frames; fr++)
            {
                const int32_t start = fr * hop - pad_begin;
                /* m >= 8: the load does stages 1 and 2. */
                clg_fft_load(work, xs, window, bitrev, m, start, len);
                int32_t h = 4;
                /* An odd number of stages left: the first alone, so that the last pass (one group per j) is a pair. */
                if ((stages - 2) % 2 != 0)
                {
                    clg_fft_stage(work, m, h, cos_tab, sin_tab, n);
                    h *= 2;
                }
                for (; h < m; h *= 4)
                    clg_fft_stage_pair(work, m, h, cos_tab, sin_tab, n);
                /* Split: with a = Z_k, b = Z_(m-k) (indices mod m), X_k = (a + conj b)/2 + W^k (a - conj b)/2i.
                 * Bins k and m - k read the same two values: one pass loads them once. */
                float *re = os + fr, *im = os + bins * row_stride + fr;
                clg_stft_bin(work, 0, 0, cos_tab, sin_tab, re, im, row_stride, imag_sign);
                clg_stft_bin(work, 0, m, cos_tab, sin_tab, re, im, row_stride, imag_sign);
                clg_stft_bin(work, m / 2, m / 2, cos_tab, sin_tab, re, im, row_stride, imag_sign);
                for (int32_t k = 1; k < m / 2; k++)
                {
                    const float ar = work[2 * k], ai = work[2 * k + 1];
                    const float br = work[2 * (m - k)], bi = work[2 * (m - k) + 1];
                    const float sr = ar + br, si = ai + bi;
                    clg_stft_store(sr, ai - bi, si, br - ar, cos_tab[k], sin_tab[k], re + k * row_stride, im + k * row_stride, imag_sign);
                    /* For m - k the roles swap: b + a and b_i + a_i are the same sums (addition commutes). */
                    clg_stft_store(sr, bi - ai, si, ar - br, cos_tab[m - k], sin_tab[m - k], re + (m - k) * row_stride,
                                   im + (m - k) * row_stride, imag_sign);
                }
            }
        }
    }
}
