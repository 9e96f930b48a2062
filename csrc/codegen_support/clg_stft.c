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
 * In place, m complex values (re, im interleaved) in bit-reversed order: radix-2 decimation in time.
 * Stage of half-size h: butterflies (g + j, g + j + h) with W = e^(-2 pi i j / 2h) = cos - i sin at table
 * index j n / 2h; t = W v, u' = u + t, v' = u - t. W = 1 (j = 0) and W = -i (j = h/2) take no products.
 * The loop runs j outside g so that a twiddle is loaded once per stage.
 */
static void clg_fft_radix2(float *w, int32_t m, const float *cos_tab, const float *sin_tab, int32_t n)
{
    for (int32_t h = 1; h < m; h *= 2)
    {
        const int32_t step = n / (2 * h);
        const int32_t span = 2 * h;
        for (int32_t j = 0; j < h; j++)
        {
            float *p = w + 2 * j;
            float *const end = w + 2 * m;
            const int32_t vo = 2 * h;
            if (j == 0)
            {
                for (; p < end; p += 2 * span)
                {
                    const float ur = p[0], ui = p[1], vr = p[vo], vi = p[vo + 1];
                    p[0] = ur + vr;
                    p[1] = ui + vi;
                    p[vo] = ur - vr;
                    p[vo + 1] = ui - vi;
                }
            }
            else if (2 * j == h)
            {
                for (; p < end; p += 2 * span)
                {
                    const float ur = p[0], ui = p[1], vr = p[vo], vi = p[vo + 1];
                    const float tr = vi, ti = -vr;
                    p[0] = ur + tr;
                    p[1] = ui + ti;
                    p[vo] = ur - tr;
                    p[vo + 1] = ui - ti;
                }
            }
            else
            {
                const float c = cos_tab[j * step], s = sin_tab[j * step];
                for (; p < end; p += 2 * span)
                {
                    const float ur = p[0], ui = p[1], vr = p[vo], vi = p[vo + 1];
                    const float tr = c * vr + s * vi;
                    const float ti = c * vi - s * vr;
                    p[0] = ur + tr;
                    p[1] = ui + ti;
                    p[vo] = ur - tr;
                    p[vo + 1] = ui - ti;
                }
            }
        }
    }
}

void clg_stft_f32(const float *x, const float *window, const float *cos_tab, const float *sin_tab,
                  const uint16_t *bitrev, float *out, float *work, const int32_t *geom)
{
    const int32_t n = geom[0], hop = geom[1], pad_begin = geom[2], len = geom[3];
    const int32_t frames = geom[4], rows = geom[5], batch = geom[6], imag_sign = geom[7];
    const int32_t m = n / 2;
    const int32_t bins = m + 1;
    const int32_t row_stride = rows * frames;
    for (int32_t b = 0; b < batch; b++)
    {
        for (int32_t h = 0; h < rows; h++)
        {
            const float *xs = x + (b * rows + h) * len;
            float *os = out + b * 2 * bins * row_stride + h * frames;
            for (int32_t fr = 0; fr < frames; fr++)
            {
                const int32_t start = fr * hop - pad_begin;
                /* Complex slot s takes the windowed pair (2 bitrev[s], 2 bitrev[s] + 1). */
                if (start >= 0 && start + n <= len)
                {
                    const float *xf = xs + start;
                    for (int32_t s = 0; s < m; s++)
                    {
                        const int32_t j = 2 * bitrev[s];
                        work[2 * s] = xf[j] * window[j];
                        work[2 * s + 1] = xf[j + 1] * window[j + 1];
                    }
                }
                else
                {
                    /* A frame reaching into the padding: zeros there (still times the window, as the twin does). */
                    for (int32_t s = 0; s < m; s++)
                    {
                        const int32_t j = 2 * bitrev[s];
                        const int32_t i0 = start + j;
                        const float x0 = i0 >= 0 && i0 < len ? xs[i0] : 0.0f;
                        const float x1 = i0 + 1 >= 0 && i0 + 1 < len ? xs[i0 + 1] : 0.0f;
                        work[2 * s] = x0 * window[j];
                        work[2 * s + 1] = x1 * window[j + 1];
                    }
                }
                clg_fft_radix2(work, m, cos_tab, sin_tab, n);
                /* Split: with a = Z_k, b = Z_(m-k) (indices mod m), X_k = (a + conj b)/2 + W^k (a - conj b)/2i. */
                for (int32_t k = 0; k < bins; k++)
                {
                    const int32_t ia = k == m ? 0 : k;
                    const int32_t ib = k == 0 ? 0 : m - k;
                    const float ar = work[2 * ia], ai = work[2 * ia + 1];
                    const float br = work[2 * ib], bi = work[2 * ib + 1];
                    const float sr = ar + br, di = ai - bi, si = ai + bi, dr = br - ar;
                    const float ck = cos_tab[k], sk = sin_tab[k];
                    const float xr = 0.5f * ((sr + ck * si) + sk * dr);
                    const float xi = 0.5f * ((di + ck * dr) - sk * si);
                    os[k * row_stride + fr] = clg_stft_canon(xr);
                    os[(bins + k) * row_stride + fr] = clg_stft_canon(imag_sign < 0 ? xi : -xi);
                }
            }
        }
    }
}
