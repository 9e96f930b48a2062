/*
 * cmsis-lower portable CMSIS-NN subset: arm_softmax_s8.
 * gemmlowp-style fixed point (5 integer bits for the scaled diff, 12 accumulation bits),
 * written from the TFLite/gemmlowp arithmetic description; bit-exact integer only.
 */
#include "arm_nnfunctions.h"

#define SOFTMAX_ACCUM_BITS (12)

/* Saturating left shift by n (gemmlowp SaturatingRoundingMultiplyByPOT with n > 0). */
static int32_t sat_shl(int32_t x, int32_t n)
{
    const int32_t threshold = (int32_t)(((uint32_t)1 << (31 - n)) - 1u);
    if (x > threshold)
    {
        return NN_Q31_MAX;
    }
    if (x < -threshold)
    {
        return NN_Q31_MIN;
    }
    return arm_nn_shl32_wrap(x, n);
}

/* exp(x) for x in [-1/4, 0), Q0.31 in and out. */
static int32_t exp_on_interval_m025_0(int32_t a)
{
    const int32_t constant_term = 1895147668;     /* exp(-1/8) */
    const int32_t constant_1_over_3 = 715827883; /* 1/3 */
    const int32_t x = arm_nn_add_wrap(a, 1 << 28);
    const int32_t x2 = arm_nn_doubling_high_mult(x, x);
    const int32_t x3 = arm_nn_doubling_high_mult(x2, x);
    const int32_t x4 = arm_nn_doubling_high_mult(x2, x2);
    const int32_t x4_over_4 = arm_nn_divide_by_power_of_two(x4, 2);
    const int32_t poly = arm_nn_divide_by_power_of_two(
        arm_nn_add_wrap(arm_nn_doubling_high_mult(arm_nn_add_wrap(x4_over_4, x3), constant_1_over_3), x2), 1);
    return arm_nn_add_wrap(constant_term, arm_nn_doubling_high_mult(constant_term, arm_nn_add_wrap(x, poly)));
}

/* exp(a) for a <= 0; a has 5 integer bits (Q5.26), result Q0.31. */
static int32_t exp_on_negative_values(int32_t a)
{
    static const int32_t multipliers[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    const int32_t one_quarter = 1 << 24;
    const int32_t mask = one_quarter - 1;
    const int32_t a_mod_quarter_minus_one_quarter = arm_nn_add_wrap((int32_t)((uint32_t)a & (uint32_t)mask), -one_quarter);
    int32_t result = exp_on_interval_m025_0(sat_shl(a_mod_quarter_minus_one_quarter, 5));
    const int32_t remainder = (int32_t)((uint32_t)a_mod_quarter_minus_one_quarter - (uint32_t)a);
    int32_t i;
    for (i = 0; i < 7; i++)
    {
        /* bit (26 + exponent) with exponent = i - 2 */
        if (((uint32_t)remainder & ((uint32_t)1 << (24 + i))) != 0u)
        {
            result = arm_nn_doubling_high_mult(result, multipliers[i]);
        }
    }
    if (a == 0)
    {
        result = NN_Q31_MAX;
    }
    return result;
}

/* 1 / (1 + x) for x in [0, 1), Q0.31 input, Q0.31 result (Newton-Raphson). */
static int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a)
{
    const int64_t sum = (int64_t)a + (int64_t)NN_Q31_MAX;
    const int32_t half_denominator = (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
    const int32_t constant_48_over_17 = 1515870810;
    const int32_t constant_neg_32_over_17 = -1010580540;
    const int32_t one_q2 = 1 << 29;
    int32_t x = arm_nn_add_wrap(constant_48_over_17, arm_nn_doubling_high_mult(half_denominator, constant_neg_32_over_17));
    int32_t i;
    for (i = 0; i < 3; i++)
    {
        const int32_t hdx = arm_nn_doubling_high_mult(half_denominator, x);
        const int32_t one_minus = arm_nn_add_wrap(one_q2, -hdx);
        x = arm_nn_add_wrap(x, sat_shl(arm_nn_doubling_high_mult(x, one_minus), 2));
    }
    return sat_shl(x, 1);
}

static int32_t count_leading_zeros(uint32_t v)
{
    int32_t n = 0;
    if (v == 0u)
    {
        return 32;
    }
    while ((v & 0x80000000u) == 0u)
    {
        v <<= 1;
        n++;
    }
    return n;
}

void arm_softmax_s8(const int8_t *input,
                    const int32_t num_rows,
                    const int32_t row_size,
                    const int32_t mult,
                    const int32_t shift,
                    const int32_t diff_min,
                    int8_t *output)
{
    int32_t r, c;
    for (r = 0; r < num_rows; r++)
    {
        const int8_t *in = input + r * row_size;
        int8_t *out = output + r * row_size;
        int32_t max = in[0];
        uint32_t sum = 0;
        int32_t headroom, shifted_scale, bits_over_unit;
        for (c = 1; c < row_size; c++)
        {
            if (in[c] > max)
            {
                max = in[c];
            }
        }
        for (c = 0; c < row_size; c++)
        {
            const int32_t diff = (int32_t)in[c] - max;
            if (diff >= diff_min)
            {
                const int32_t scaled = arm_nn_doubling_high_mult(arm_nn_shl32_wrap(diff, shift), mult);
                sum += (uint32_t)arm_nn_divide_by_power_of_two(exp_on_negative_values(scaled), SOFTMAX_ACCUM_BITS);
            }
        }
        headroom = count_leading_zeros(sum);
        shifted_scale = one_over_one_plus_x_for_x_in_0_1(
            (int32_t)((sum > 0u ? (sum << headroom) : 0u) - 0x80000000u));
        bits_over_unit = SOFTMAX_ACCUM_BITS - headroom + 23;
        for (c = 0; c < row_size; c++)
        {
            const int32_t diff = (int32_t)in[c] - max;
            if (diff >= diff_min)
            {
                const int32_t scaled = arm_nn_doubling_high_mult(arm_nn_shl32_wrap(diff, shift), mult);
                const int32_t e = exp_on_negative_values(scaled);
                const int32_t res =
                    arm_nn_divide_by_power_of_two(arm_nn_doubling_high_mult(shifted_scale, e), bits_over_unit) - 128;
                out[c] = (int8_t)arm_nn_clamp(res, NN_Q7_MIN, NN_Q7_MAX);
            }
            else
            {
                out[c] = (int8_t)NN_Q7_MIN;
            }
        }
    }
}
