/*
 * cmsis-lower portable CMSIS-NN subset: 16x8 convolution (arm_convolve_wrapper_s16,
 * arm_convolve_s16) and their scratch sizes. int16 activations (no offsets), int8 weights,
 * int64 bias (64-bit single-rounding requantize) or int32 bias (32-bit double rounding).
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_convolve_s16(const cmsis_nn_context *ctx,
                                     const cmsis_nn_conv_params *conv_params,
                                     const cmsis_nn_per_channel_quant_params *quant_params,
                                     const cmsis_nn_dims *input_dims,
                                     const int16_t *input_data,
                                     const cmsis_nn_dims *filter_dims,
                                     const int8_t *filter_data,
                                     const cmsis_nn_dims *bias_dims,
                                     const cmsis_nn_bias_data *bias_data,
                                     const cmsis_nn_dims *output_dims,
                                     int16_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t kh = filter_dims->h;
    const int32_t kw = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    const bool int32_bias = bias_data != NULL && bias_data->is_int32_bias;
    const void *bias_ptr = bias_data != NULL ? bias_data->data : NULL;
    int32_t b, oy, ox, oc, ky, kx, c;
    (void)bias_dims;
    if (ctx == NULL || ctx->buf == NULL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (b = 0; b < input_dims->n; b++)
    {
        const int16_t *in_batch = input_data + b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * conv_params->stride.h - conv_params->padding.h;
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * conv_params->stride.w - conv_params->padding.w;
                int16_t *op = output_data + ((b * out_h + oy) * out_w + ox) * out_c;
                for (oc = 0; oc < out_c; oc++)
                {
                    int64_t acc = 0;
                    int32_t res;
                    for (ky = 0; ky < kh; ky++)
                    {
                        const int32_t iy = base_y + ky * conv_params->dilation.h;
                        if (iy < 0 || iy >= in_h)
                        {
                            continue;
                        }
                        for (kx = 0; kx < kw; kx++)
                        {
                            const int32_t ix = base_x + kx * conv_params->dilation.w;
                            const int16_t *ip;
                            const int8_t *wp;
                            if (ix < 0 || ix >= in_w)
                            {
                                continue;
                            }
                            ip = in_batch + (iy * in_w + ix) * in_c;
                            wp = filter_data + ((oc * kh + ky) * kw + kx) * in_c;
                            for (c = 0; c < in_c; c++)
                            {
                                acc += (int32_t)ip[c] * (int32_t)wp[c];
                            }
                        }
                    }
                    if (int32_bias)
                    {
                        uint32_t acc32 = (uint32_t)acc;
                        if (bias_ptr != NULL)
                        {
                            acc32 += (uint32_t)((const int32_t *)bias_ptr)[oc];
                        }
                        res = arm_nn_requantize((int32_t)acc32, quant_params->multiplier[oc], quant_params->shift[oc]);
                    }
                    else
                    {
                        if (bias_ptr != NULL)
                        {
                            acc += ((const int64_t *)bias_ptr)[oc];
                        }
                        res = arm_nn_requantize_s64(
                            acc, arm_nn_reduce_multiplier(quant_params->multiplier[oc]), quant_params->shift[oc]);
                    }
                    op[oc] = (int16_t)arm_nn_clamp(res, act_min, act_max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_convolve_wrapper_s16(const cmsis_nn_context *ctx,
                                             const cmsis_nn_conv_params *conv_params,
                                             const cmsis_nn_per_channel_quant_params *quant_params,
                                             const cmsis_nn_dims *input_dims,
                                             const int16_t *input_data,
                                             const cmsis_nn_dims *filter_dims,
                                             const int8_t *filter_data,
                                             const cmsis_nn_dims *bias_dims,
                                             const cmsis_nn_bias_data *bias_data,
                                             const cmsis_nn_dims *output_dims,
                                             int16_t *output_data)
{
    return arm_convolve_s16(ctx,
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

int32_t arm_convolve_s16_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    return 4 * input_dims->c * filter_dims->w * filter_dims->h;
}

int32_t arm_convolve_wrapper_s16_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                                 const cmsis_nn_dims *input_dims,
                                                 const cmsis_nn_dims *filter_dims,
                                                 const cmsis_nn_dims *output_dims)
{
    (void)conv_params;
    (void)output_dims;
    return arm_convolve_s16_get_buffer_size(input_dims, filter_dims);
}

int32_t arm_convolve_wrapper_s16_get_buffer_size_dsp(const cmsis_nn_conv_params *conv_params,
                                                     const cmsis_nn_dims *input_dims,
                                                     const cmsis_nn_dims *filter_dims,
                                                     const cmsis_nn_dims *output_dims)
{
    return arm_convolve_wrapper_s16_get_buffer_size(conv_params, input_dims, filter_dims, output_dims);
}

int32_t arm_convolve_wrapper_s16_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                     const cmsis_nn_dims *input_dims,
                                                     const cmsis_nn_dims *filter_dims,
                                                     const cmsis_nn_dims *output_dims)
{
    const int32_t rc = input_dims->c * filter_dims->w * filter_dims->h;
    (void)conv_params;
    (void)output_dims;
    return 64 * ((rc + 7) / 8);
}
