/* cmsis-lower integer kernels without a CMSIS-NN function (see clg_int_ops.h). */
#include "clg_int_ops.h"

/* floor(sqrt(v)) and v − floor(sqrt(v))², digit by digit (two bits of v per step; no multiply, no FPU). */
static uint32_t clg_isqrt_u64(uint64_t v, uint64_t *rem) {
  uint64_t root = 0;
  uint64_t bit = (uint64_t)1 << 62;
  while (bit > v) bit >>= 2;
  while (bit != 0) {
    if (v >= root + bit) {
      v -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  *rem = v;
  return (uint32_t)root;
}

/* arm_nn_requantize's arithmetic (double rounding): (val·2^L · m + 2^30) >> 31, then a rounding shift right by R. */
static int32_t clg_requantize(int32_t val, int32_t multiplier, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0;
  const int32_t right = shift > 0 ? 0 : -shift;
  const int32_t t = (int32_t)((uint32_t)val << left);
  const int64_t prod = (int64_t)t * multiplier + ((int64_t)1 << 30);
  const int32_t high = (int32_t)(prod >> 31);
  if (right == 0) return high;
  const int32_t mask = right >= 31 ? INT32_MAX : (int32_t)(((uint32_t)1 << right) - 1u);
  const int32_t q = high >> right;
  const int32_t threshold = (mask >> 1) + (q < 0 ? 1 : 0);
  return (high & mask) > threshold ? q + 1 : q;
}

void clg_hypot(const void *a, const void *b, int32_t in_s16, void *out, int32_t out_s16, int32_t n, int32_t input_offset,
               int32_t output_offset, int32_t multiplier, int32_t shift, int32_t act_min, int32_t act_max) {
  for (int32_t i = 0; i < n; i++) {
    const int32_t x = (in_s16 ? ((const int16_t *)a)[i] : ((const int8_t *)a)[i]) + input_offset;
    const int32_t z = (in_s16 ? ((const int16_t *)b)[i] : ((const int8_t *)b)[i]) + input_offset;
    const uint64_t s = (uint64_t)((int64_t)x * x) + (uint64_t)((int64_t)z * z);
    uint64_t rem;
    /* round(sqrt(s · 2^30)): up when the remainder exceeds the root ((q + 1/2)² = q² + q + 1/4). */
    uint32_t r = clg_isqrt_u64(s << 30, &rem);
    if (rem > r) r++;
    int32_t y = clg_requantize((int32_t)r, multiplier, shift) + output_offset;
    if (y < act_min) y = act_min;
    if (y > act_max) y = act_max;
    if (out_s16) ((int16_t *)out)[i] = (int16_t)y;
    else ((int8_t *)out)[i] = (int8_t)y;
  }
}

void clg_clamp_s16(const int16_t *in, int16_t *out, int32_t n, int32_t lo, int32_t hi) {
  for (int32_t i = 0; i < n; i++) {
    const int32_t v = in[i];
    out[i] = (int16_t)(v < lo ? lo : v > hi ? hi : v);
  }
}

void clg_requantize_tensor(const void *in, int32_t in_s16, void *out, int32_t out_s16, int32_t n, int32_t input_offset,
                           int32_t output_offset, int32_t multiplier, int32_t shift, int32_t act_min, int32_t act_max) {
  for (int32_t i = 0; i < n; i++) {
    const int32_t x = (in_s16 ? ((const int16_t *)in)[i] : ((const int8_t *)in)[i]) + input_offset;
    int32_t y = clg_requantize(x, multiplier, shift) + output_offset;
    if (y < act_min) y = act_min;
    if (y > act_max) y = act_max;
    if (out_s16) ((int16_t *)out)[i] = (int16_t)y;
    else ((int8_t *)out)[i] = (int8_t)y;
  }
}
