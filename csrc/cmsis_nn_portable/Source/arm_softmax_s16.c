/*
 * cmsis-lower portable CMSIS-NN subset: int16 softmax with the caller's two 513-entry tables (exp on [-10, 0] and
 * 1/(1 + x) on [0, 1], Q0.15). Per row: diff to the row max scaled by (mult, shift) so that -65535 means -10,
 * exp by table interpolation (top 9 bits index, low 7 bits weigh the slope), the sum normalised to [1, 2) by its
 * leading zeros, 1/sum by the second table, and each exp times 1/sum rounded back to Q0.15.
 */
#include "arm_nnsupportfunctions.h"

/* Interpolates a 513-entry table at a symmetric int16 position; the int16 wraps are the definition's. */
static int16_t lut_lookup_s16(const int16_t *lut, const int32_t pos)
{
    const int32_t index = 256 + arm_nn_asr32(pos, 7);
    const int16_t base = lut[index];
    const int16_t slope = (int16_t)(lut[index + 1] - base);
    const int16_t delta = (int16_t)arm_nn_asr32(slope * (pos & 0x7f) + 64, 7);
    return (int16_t)(base + delta);
}

static int32_t leading_zeros_u32(uint32_t v)
{
    int32_t n = 0;
    if (v == 0)
    {
        return 32;
    }
    while ((v & 0x80000000u) == 0)
    {
        v <<= 1;
        n++;
    }
    return n;
}

arm_cmsis_nn_status arm_softmax_s16(const int16_t *input,
                                    const int32_t num_rows,
                                    const int32_t row_size,
                                    const int32_t mult,
                                    const int32_t shift,
                                    const cmsis_nn_softmax_lut_s16 *softmax_params,
                                    int16_t *output)
{
    int32_t r, c;
    if (softmax_params->exp_lut == NULL || softmax_params->one_by_one_lut == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (r = 0; r < num_rows; r++)
    {
        const int16_t *x = input + r * row_size;
        int16_t *y = output + r * row_size;
        int16_t max = x[0];
        int32_t sum = 0, headroom, shifted_sum, right_shift;
        int16_t inv;
        for (c = 1; c < row_size; c++)
        {
            max = x[c] > max ? x[c] : max;
        }
        /* The output row holds the exp values until the last loop (x[c] is read before y[c] is written). */
        for (c = 0; c < row_size; c++)
        {
            const int32_t pos = arm_nn_clamp(arm_nn_requantize((int32_t)x[c] - max, mult, shift) + 32767, -32768, 32767);
            y[c] = lut_lookup_s16(softmax_params->exp_lut, pos);
            sum = arm_nn_add_wrap(sum, y[c]);
        }
        headroom = leading_zeros_u32((uint32_t)sum);
        /* sum as Q1.15 in [1, 2); the table takes x = sum - 1 re-centred to a symmetric int16: -65536 - 32768. */
        shifted_sum = arm_nn_asr32(arm_nn_add_wrap(arm_nn_shl32_wrap(sum, headroom - 1), 1 << 13), 14);
        inv = lut_lookup_s16(softmax_params->one_by_one_lut, (int16_t)(shifted_sum - 98304));
        right_shift = 30 - headroom;
        for (c = 0; c < row_size; c++)
        {
            const int32_t prod = arm_nn_asr32((int32_t)y[c] * inv, right_shift);
            y[c] = (int16_t)arm_nn_asr32(prod + 1, 1);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
