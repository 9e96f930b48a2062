/*
 * cmsis-lower portable CMSIS-NN subset: int8 convolution family
 * (arm_convolve_wrapper_s8, arm_convolve_s8, arm_convolve_1x1_s8_fast,
 *  arm_convolve_1x1_s8, arm_convolve_1_x_n_s8). Pure-C dispatch and argument checks.
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_convolve_s8(const cmsis_nn_context *ctx,
                                    const cmsis_nn_conv_params *conv_params,
                                    const cmsis_nn_per_channel_quant_params *quant_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const int8_t *filter_data,
                                    const cmsis_nn_dims *bias_dims,
                                    const int32_t *bias_data,
                                    const cmsis_nn_dims *upscale_dims,
                                    const cmsis_nn_dims *output_dims,
                                    int8_t *output_data)
{
    int32_t groups;
    (void)bias_dims;
    if (ctx == NULL || ctx->buf == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if (filter_dims->c <= 0 || input_dims->c < filter_dims->c)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    groups = input_dims->c / filter_dims->c;
    if ((input_dims->c % groups) != 0 || (output_dims->c % groups) != 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    arm_nn_conv_core_s8(conv_params,
                        quant_params->multiplier,
                        quant_params->shift,
                        input_dims,
                        input_data,
                        filter_dims,
                        filter_data,
                        bias_data,
                        upscale_dims,
                        output_dims,
                        output_data);
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_convolve_1x1_s8_fast(const cmsis_nn_context *ctx,
                                             const cmsis_nn_conv_params *conv_params,
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
    const int32_t rows = input_dims->n * input_dims->h * input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_c = output_dims->c;
    const int32_t in_off = conv_params->input_offset;
    const int32_t out_off = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    int32_t r, oc, c;
    (void)ctx;
    (void)bias_dims;
    (void)filter_dims;
    if (conv_params->padding.w != 0 || conv_params->padding.h != 0 || conv_params->stride.w != 1 ||
        conv_params->stride.h != 1)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (r = 0; r < rows; r++)
    {
        const int8_t *ip = input_data + r * in_c;
        int8_t *op = output_data + r * out_c;
        for (oc = 0; oc < out_c; oc++)
        {
            const int8_t *wp = filter_data + oc * in_c;
            uint32_t acc = bias_data != NULL ? (uint32_t)bias_data[oc] : 0u;
            int32_t res;
            for (c = 0; c < in_c; c++)
            {
                acc += (uint32_t)(((int32_t)ip[c] + in_off) * (int32_t)wp[c]);
            }
            res = arm_nn_requantize((int32_t)acc, quant_params->multiplier[oc], quant_params->shift[oc]) + out_off;
            op[oc] = (int8_t)arm_nn_clamp(res, act_min, act_max);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_convolve_1x1_s8(const cmsis_nn_context *ctx,
                                        const cmsis_nn_conv_params *conv_params,
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
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t in_off = conv_params->input_offset;
    const int32_t out_off = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    int32_t b, oy, ox, oc, c;
    (void)ctx;
    (void)bias_dims;
    (void)filter_dims;
    if (conv_params->padding.w != 0 || conv_params->padding.h != 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (b = 0; b < input_dims->n; b++)
    {
        for (oy = 0; oy < out_h; oy++)
        {
            for (ox = 0; ox < out_w; ox++)
            {
                const int8_t *ip =
                    input_data + ((b * in_h + oy * conv_params->stride.h) * in_w + ox * conv_params->stride.w) * in_c;
                int8_t *op = output_data + ((b * out_h + oy) * out_w + ox) * out_c;
                for (oc = 0; oc < out_c; oc++)
                {
                    const int8_t *wp = filter_data + oc * in_c;
                    uint32_t acc = bias_data != NULL ? (uint32_t)bias_data[oc] : 0u;
                    int32_t res;
                    for (c = 0; c < in_c; c++)
                    {
                        acc += (uint32_t)(((int32_t)ip[c] + in_off) * (int32_t)wp[c]);
                    }
                    res = arm_nn_requantize((int32_t)acc, quant_params->multiplier[oc], quant_params->shift[oc]) +
                        out_off;
                    op[oc] = (int8_t)arm_nn_clamp(res, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_convolve_1_x_n_s8(const cmsis_nn_context *ctx,
                                          const cmsis_nn_conv_params *conv_params,
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
    if (input_dims->h != 1 || conv_params->dilation.w != 1 || ctx == NULL || ctx->buf == NULL ||
        conv_params->stride.w == 0 || ((conv_params->stride.w * input_dims->c) % 4) != 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    return arm_convolve_s8(ctx,
                           conv_params,
                           quant_params,
                           input_dims,
                           input_data,
                           filter_dims,
                           filter_data,
                           bias_dims,
                           bias_data,
                           NULL,
                           output_dims,
                           output_data);
}

arm_cmsis_nn_status arm_convolve_wrapper_s8(const cmsis_nn_context *ctx,
                                            const cmsis_nn_conv_params *conv_params,
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
    if (arm_nn_is_convolve_1x1(conv_params, input_dims, filter_dims))
    {
        if (arm_nn_is_convolve_1x1_fast(conv_params))
        {
            return arm_convolve_1x1_s8_fast(ctx,
                                            conv_params,
                                            quant_params,
                                            input_dims,
                                            input_data,
                                            filter_dims,
                                            filter_data,
                                            bias_dims,
                                            bias_data,
                                            output_dims,
                                            output_data);
        }
        return arm_convolve_1x1_s8(ctx,
                                   conv_params,
                                   quant_params,
                                   input_dims,
                                   input_data,
                                   filter_dims,
                                   filter_data,
                                   bias_dims,
                                   bias_data,
                                   output_dims,
                                   output_data);
    }
    if (arm_nn_is_convolve_1_x_n(conv_params, input_dims, filter_dims))
    {
        return arm_convolve_1_x_n_s8(ctx,
                                     conv_params,
                                     quant_params,
                                     input_dims,
                                     input_data,
                                     filter_dims,
                                     filter_data,
                                     bias_dims,
                                     bias_data,
                                     output_dims,
                                     output_data);
    }
    return arm_convolve_s8(ctx,
                           conv_params,
                           quant_params,
                           input_dims,
                           input_data,
                           filter_dims,
                           filter_data,
                           bias_dims,
                           bias_data,
                           NULL,
                           output_dims,
                           output_data);
}
