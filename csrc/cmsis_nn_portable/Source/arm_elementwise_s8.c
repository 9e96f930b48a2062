/*
 * cmsis-lower portable CMSIS-NN subset: int8 elementwise add / mul (flat, no broadcasting).
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_elementwise_add_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_1_mult,
                                           const int32_t input_1_shift,
                                           const int32_t input_2_offset,
                                           const int32_t input_2_mult,
                                           const int32_t input_2_shift,
                                           const int32_t left_shift,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    int32_t i;
    for (i = 0; i < block_size; i++)
    {
        int32_t a = arm_nn_shl32_wrap((int32_t)input_1_vect[i] + input_1_offset, left_shift);
        int32_t b = arm_nn_shl32_wrap((int32_t)input_2_vect[i] + input_2_offset, left_shift);
        int32_t sum;
        a = arm_nn_requantize(a, input_1_mult, input_1_shift);
        b = arm_nn_requantize(b, input_2_mult, input_2_shift);
        sum = arm_nn_requantize(arm_nn_add_wrap(a, b), out_mult, out_shift) + out_offset;
        output[i] = (int8_t)arm_nn_clamp(sum, out_activation_min, out_activation_max);
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_elementwise_mul_s8(const int8_t *input_1_vect,
                                           const int8_t *input_2_vect,
                                           const int32_t input_1_offset,
                                           const int32_t input_2_offset,
                                           int8_t *output,
                                           const int32_t out_offset,
                                           const int32_t out_mult,
                                           const int32_t out_shift,
                                           const int32_t out_activation_min,
                                           const int32_t out_activation_max,
                                           const int32_t block_size)
{
    int32_t i;
    for (i = 0; i < block_size; i++)
    {
        const int32_t prod = ((int32_t)input_1_vect[i] + input_1_offset) * ((int32_t)input_2_vect[i] + input_2_offset);
        const int32_t res = arm_nn_requantize(prod, out_mult, out_shift) + out_offset;
        output[i] = (int8_t)arm_nn_clamp(res, out_activation_min, out_activation_max);
    }
    return ARM_CMSIS_NN_SUCCESS;
}
