/*
 * cmsis-lower generated-code support: clg_stft_f32, a convolution whose weights are a windowed real DFT
 * basis (the STFT front end of audio models, e.g. Silero VAD) computed as one real FFT per frame — a few
 * thousand float operations per frame instead of the conv's N·(N + 2). Single precision, repeated operation
 * by operation by the simulator (src/kernels/float32/stft.ts); build with -ffp-contract=off, as the
 * generated Makefile does. Every NaN stored is the quiet NaN 0x7fc00000.
 */
#ifndef CLG_STFT_H
#define CLG_STFT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * geom = {n, hop, pad_begin, len, frames, rows, batch, imag_sign}.
 * x: [batch, 1, rows, len] row-major; window: n floats; cos_tab, sin_tab: cos(2 pi k / n), sin(2 pi k / n)
 * for k = 0..n/2; bitrev: the bit reversal of log2(n/2) bits, n/2 entries; work: n floats.
 * out: [batch, n + 2, rows, frames] row-major: channel k <= n/2 is Re X_k, channel n/2 + 1 + k is
 * -imag_sign * Im X_k, X_k = sum_j x[t hop - pad_begin + j] window[j] e^(-2 pi i k j / n), zeros outside
 * the signal. n is a power of two >= 16.
 */
void clg_stft_f32(const float *x, const float *window, const float *cos_tab, const float *sin_tab,
                  const uint16_t *bitrev, float *out, float *work, const int32_t *geom);

#ifdef __cplusplus
}
#endif

#endif
