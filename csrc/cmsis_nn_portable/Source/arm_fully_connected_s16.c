/*
 * cmsis-lower portable CMSIS-NN subset: 16x8 fully connected (int16 activations with zero point 0, int8 weights,
 * optional int64 bias, one per-tensor multiplier/shift). Exact int64 accumulation, then the single-rounding
 * 64-bit requantization with the multiplier reduced to 16 bits, as the 16x8 scheme defines it.
 */
#include "arm_nnsupportfunctions.h"

arm_cmsis_nn_status arm_fully_connected_s16(const cmsis_nn_context *ctx,
                                            const cmsis_nn_fc_params *fc_params,
                                            const cmsis_nn_per_tensor_quant_params *quant_params,
                                            const cmsis_nn_dims *input_dims,
                                            const int16_t *input_data,
                                            const cmsis_nn_dims *filter_dims,
                                            const int8_t *filter_data,
                                            const cmsis_nn_dims *bias_dims,
                                            const int64_t *bias_data,
                                            const cmsis_nn_dims *output_dims,
                                            int16_t *output_data)
{
    const int32_t depth = filter_dims->n;
    const int32_t out_depth = output_dims->c;
    const int32_t reduced = arm_nn_reduce_multiplier(quant_params->multiplier);
    int32_t b, o, k;
    (void)ctx;
    (void)bias_dims;
    for (b = 0; b < input_dims->n; b++)
    {
        const int16_t *x = input_data + b * depth;
        for (o = 0; o < out_depth; o++)
        {
            const int8_t *w = filter_data + o * depth;
            int64_t acc = bias_data != NULL ? bias_data[o] : 0;
            for (k = 0; k < depth; k++)
            {
                acc += (int32_t)x[k] * (int32_t)w[k];
            }
            output_data[b * out_depth + o] = (int16_t)arm_nn_clamp(
                arm_nn_requantize_s64(acc, reduced, quant_params->shift), fc_params->activation.min, fc_params->activation.max);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
