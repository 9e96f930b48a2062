/*
 * cmsis-lower portable CMSIS-NN subset: int8 fully connected
 * (arm_fully_connected_s8, _per_channel_s8, _wrapper_s8, arm_vector_sum_s8, buffer sizes).
 * The portable kernels ignore ctx (like CMSIS-NN pure C / DSP) and use bias_data.
 */
#include "arm_nnfunctions.h"

static void fc_core(const cmsis_nn_fc_params *fc_params,
                    const int32_t *multiplier,
                    const int32_t *shift,
                    int32_t per_channel,
                    const cmsis_nn_dims *input_dims,
                    const int8_t *input_data,
                    const cmsis_nn_dims *filter_dims,
                    const int8_t *filter_data,
                    const int32_t *bias_data,
                    const cmsis_nn_dims *output_dims,
                    int8_t *output_data)
{
    const int32_t batches = input_dims->n;
    const int32_t depth = filter_dims->n;
    const int32_t out_c = output_dims->c;
    const int32_t in_off = fc_params->input_offset;
    const int32_t w_off = fc_params->filter_offset;
    const int32_t out_off = fc_params->output_offset;
    int32_t b, oc, j;
    for (b = 0; b < batches; b++)
    {
        const int8_t *ip = input_data + b * depth;
        int8_t *op = output_data + b * out_c;
        for (oc = 0; oc < out_c; oc++)
        {
            const int8_t *wp = filter_data + oc * depth;
            uint32_t acc = bias_data != NULL ? (uint32_t)bias_data[oc] : 0u;
            const int32_t ci = per_channel ? oc : 0;
            int32_t res;
            for (j = 0; j < depth; j++)
            {
                acc += (uint32_t)(((int32_t)ip[j] + in_off) * ((int32_t)wp[j] + w_off));
            }
            res = arm_nn_requantize((int32_t)acc, multiplier[ci], shift[ci]) + out_off;
            op[oc] = (int8_t)arm_nn_clamp(res, fc_params->activation.min, fc_params->activation.max);
        }
    }
}

arm_cmsis_nn_status arm_fully_connected_s8(const cmsis_nn_context *ctx,
                                           const cmsis_nn_fc_params *fc_params,
                                           const cmsis_nn_per_tensor_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims,
                                           const int8_t *input_data,
                                           const cmsis_nn_dims *filter_dims,
                                           const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims,
                                           const int32_t *bias_data,
                                           const cmsis_nn_dims *output_dims,
                                           int8_t *output_data)
{
    (void)ctx;
    (void)bias_dims;
    fc_core(fc_params,
            &quant_params->multiplier,
            &quant_params->shift,
            0,
            input_dims,
            input_data,
            filter_dims,
            filter_data,
            bias_data,
            output_dims,
            output_data);
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_fully_connected_per_channel_s8(const cmsis_nn_context *ctx,
                                                       const cmsis_nn_fc_params *fc_params,
                                                       const cmsis_nn_per_channel_quant_params *quant_params,
                                                       const cmsis_nn_dims *input_dims,
                                                       const int8_t *input_data,
                                                       const cmsis_nn_dims *filter_dims,
                                                       const int8_t *filter_data,
                                                       const cmsis_nn_dims *bias_dims,
                                                       const int32_t *bias_data,
                                                       const cmsis_nn_dims *output_dims,
                                                       int8_t *output_data)
{
    (void)ctx;
    (void)bias_dims;
    fc_core(fc_params,
            quant_params->multiplier,
            quant_params->shift,
            1,
            input_dims,
            input_data,
            filter_dims,
            filter_data,
            bias_data,
            output_dims,
            output_data);
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_fully_connected_wrapper_s8(const cmsis_nn_context *ctx,
                                                   const cmsis_nn_fc_params *fc_params,
                                                   const cmsis_nn_quant_params *quant_params,
                                                   const cmsis_nn_dims *input_dims,
                                                   const int8_t *input_data,
                                                   const cmsis_nn_dims *filter_dims,
                                                   const int8_t *filter_data,
                                                   const cmsis_nn_dims *bias_dims,
                                                   const int32_t *bias_data,
                                                   const cmsis_nn_dims *output_dims,
                                                   int8_t *output_data)
{
    if (quant_params->is_per_channel)
    {
        cmsis_nn_per_channel_quant_params pc;
        pc.multiplier = quant_params->multiplier;
        pc.shift = quant_params->shift;
        return arm_fully_connected_per_channel_s8(ctx,
                                                  fc_params,
                                                  &pc,
                                                  input_dims,
                                                  input_data,
                                                  filter_dims,
                                                  filter_data,
                                                  bias_dims,
                                                  bias_data,
                                                  output_dims,
                                                  output_data);
    }
    else
    {
        cmsis_nn_per_tensor_quant_params pt;
        pt.multiplier = quant_params->multiplier[0];
        pt.shift = quant_params->shift[0];
        return arm_fully_connected_s8(ctx,
                                      fc_params,
                                      &pt,
                                      input_dims,
                                      input_data,
                                      filter_dims,
                                      filter_data,
                                      bias_dims,
                                      bias_data,
                                      output_dims,
                                      output_data);
    }
}

arm_cmsis_nn_status arm_vector_sum_s8(int32_t *vector_sum_buf,
                                      const int32_t vector_cols,
                                      const int32_t vector_rows,
                                      const int8_t *vector_data,
                                      const int32_t lhs_offset,
                                      const int32_t rhs_offset,
                                      const int32_t *bias_data)
{
    int32_t r, j;
    if (vector_sum_buf == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (r = 0; r < vector_rows; r++)
    {
        uint32_t sum = 0;
        uint32_t out = bias_data != NULL ? (uint32_t)bias_data[r] : 0u;
        for (j = 0; j < vector_cols; j++)
        {
            sum += (uint32_t)(int32_t)vector_data[r * vector_cols + j];
        }
        sum += (uint32_t)vector_cols * (uint32_t)rhs_offset;
        out += (uint32_t)lhs_offset * sum;
        vector_sum_buf[r] = (int32_t)out;
    }
    return ARM_CMSIS_NN_SUCCESS;
}

int32_t arm_fully_connected_s8_get_buffer_size(const cmsis_nn_dims *filter_dims)
{
    (void)filter_dims;
    return 0;
}

int32_t arm_fully_connected_s8_get_buffer_size_dsp(const cmsis_nn_dims *filter_dims)
{
    (void)filter_dims;
    return 0;
}

int32_t arm_fully_connected_s8_get_buffer_size_mve(const cmsis_nn_dims *filter_dims)
{
    return filter_dims->c * 4;
}
