/*
 * cmsis-lower portable CMSIS-NN subset: int16 elementwise add / mul (flat, no broadcasting). int16 tensors are
 * symmetric (zero point 0), so the offset arguments are accepted and ignored, as the library's API does.
 */
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_elementwise_add_s16(const int16_t *input_1_vect,
                                            const int16_t *input_2_vect,
                                            const int32_t input_1_offset,
                                            const int32_t input_1_mult,
                                            const int32_t input_1_shift,
                                            const int32_t input_2_offset,
                                            const int32_t input_2_mult,
                                            const int32_t input_2_shift,
                                            const int32_t left_shift,
                                            int16_t *output,
                                            const int32_t out_offset,
                                            const int32_t out_mult,
                                            const int32_t out_shift,
                                            const int32_t out_activation_min,
                                            const int32_t out_activation_max,
                                            const int32_t block_size)
{
    int32_t i;
    (void)input_1_offset;
    (void)input_2_offset;
    (void)out_offset;
    for (i = 0; i < block_size; i++)
    {
        /* |x| <= 2^15 and left_shift <= 15: the shifted input stays inside int32. */
        const int32_t a = arm_nn_requantize(arm_nn_shl32_wrap(input_1_vect[i], left_shift), input_1_mult, input_1_shift);
        const int32_t b = arm_nn_requantize(arm_nn_shl32_wrap(input_2_vect[i], left_shift), input_2_mult, input_2_shift);
        const int32_t sum = arm_nn_requantize(arm_nn_add_wrap(a, b), out_mult, out_shift);
        output[i] = (int16_t)arm_nn_clamp(sum, out_activation_min, out_activation_max);
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_elementwise_mul_s16(const int16_t *input_1_vect,
                                            const int16_t *input_2_vect,
                                            const int32_t input_1_offset,
                                            const int32_t input_2_offset,
                                            int16_t *output,
                                            const int32_t out_offset,
                                            const int32_t out_mult,
                                            const int32_t out_shift,
                                            const int32_t out_activation_min,
                                            const int32_t out_activation_max,
                                            const int32_t block_size)
{
    int32_t i;
    (void)input_1_offset;
    (void)input_2_offset;
    (void)out_offset;
    for (i = 0; i < block_size; i++)
    {
        /* The product of two int16 is at most 2^30 in magnitude. */
        const int32_t prod = (int32_t)input_1_vect[i] * (int32_t)input_2_vect[i];
        output[i] = (int16_t)arm_nn_clamp(arm_nn_requantize(prod, out_mult, out_shift), out_activation_min, out_activation_max);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
