/*
 * cmsis-lower portable CMSIS-NN subset: 16x8 depthwise convolution
 * (arm_depthwise_conv_wrapper_s16, arm_depthwise_conv_s16, arm_depthwise_conv_fast_s16)
 * and their scratch sizes. int64 bias, 64-bit single-rounding requantize.
 */
#include "arm_nnfunctions.h"

#define DW_S16_FAST_MAX_KERNEL (512)

static void dw_s16_core(const cmsis_nn_dw_conv_params *p,
                        const cmsis_nn_per_channel_quant_params *quant_params,
                        const cmsis_nn_dims *input_dims,
                        const int16_t *input_data,
                        const cmsis_nn_dims *filter_dims,
                        const int8_t *filter_data,
                        const int64_t *bias_data,
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
    const int32_t ch_mult = p->ch_mult;
    int32_t b, oy, ox, ic, m, ky, kx;
    for (b = 0; b < input_dims->n; b++)
    {
        const int16_t *in_batch = input_data + b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * p->stride.h - p->padding.h;
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * p->stride.w - p->padding.w;
                int16_t *op = output_data + ((b * out_h + oy) * out_w + ox) * out_c;
                for (ic = 0; ic < in_c; ic++)
                {
                    for (m = 0; m < ch_mult; m++)
                    {
                        const int32_t oc = ic * ch_mult + m;
                        int64_t acc = bias_data != NULL ? bias_data[oc] : 0;
                        int32_t res;
                        for (ky = 0; ky < kh; ky++)
                        {
                            const int32_t iy = base_y + ky * p->dilation.h;
                            if (iy < 0 || iy >= in_h)
                            {
                                continue;
                            }
                            for (kx = 0; kx < kw; kx++)
                            {
                                const int32_t ix = base_x + kx * p->dilation.w;
                                if (ix < 0 || ix >= in_w)
                                {
                                    continue;
                                }
                                acc += (int32_t)in_batch[(iy * in_w + ix) * in_c + ic] *
                                    (int32_t)filter_data[(ky * kw + kx) * out_c + oc];
                            }
                        }
                        res = arm_nn_requantize_s64(
                            acc, arm_nn_reduce_multiplier(quant_params->multiplier[oc]), quant_params->shift[oc]);
                        op[oc] = (int16_t)arm_nn_clamp(res, p->activation.min, p->activation.max);
                    }
                }
            }
        }
    }
}

arm_cmsis_nn_status arm_depthwise_conv_s16(const cmsis_nn_context *ctx,
                                           const cmsis_nn_dw_conv_params *dw_conv_params,
                                           const cmsis_nn_per_channel_quant_params *quant_params,
                                           const cmsis_nn_dims *input_dims,
                                           const int16_t *input_data,
                                           const cmsis_nn_dims *filter_dims,
                                           const int8_t *filter_data,
                                           const cmsis_nn_dims *bias_dims,
                                           const int64_t *bias_data,
                                           const cmsis_nn_dims *output_dims,
                                           int16_t *output_data)
{
    (void)ctx;
    (void)bias_dims;
    dw_s16_core(
        dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, bias_data, output_dims, output_data);
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_depthwise_conv_fast_s16(const cmsis_nn_context *ctx,
                                                const cmsis_nn_dw_conv_params *dw_conv_params,
                                                const cmsis_nn_per_channel_quant_params *quant_params,
                                                const cmsis_nn_dims *input_dims,
                                                const int16_t *input_data,
                                                const cmsis_nn_dims *filter_dims,
                                                const int8_t *filter_data,
                                                const cmsis_nn_dims *bias_dims,
                                                const int64_t *bias_data,
                                                const cmsis_nn_dims *output_dims,
                                                int16_t *output_data)
{
    (void)bias_dims;
    if (input_dims->c != output_dims->c || filter_dims->w * filter_dims->h >= DW_S16_FAST_MAX_KERNEL)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    if ((ctx == NULL || ctx->buf == NULL) && arm_depthwise_conv_fast_s16_get_buffer_size(input_dims, filter_dims) > 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    dw_s16_core(
        dw_conv_params, quant_params, input_dims, input_data, filter_dims, filter_data, bias_data, output_dims, output_data);
    return ARM_CMSIS_NN_SUCCESS;
}

static bool dw_s16_use_fast(const cmsis_nn_dw_conv_params *p, const cmsis_nn_dims *filter_dims)
{
    return p->ch_mult == 1 && p->dilation.w == 1 && p->dilation.h == 1 &&
        filter_dims->w * filter_dims->h < DW_S16_FAST_MAX_KERNEL;
}

arm_cmsis_nn_status arm_depthwise_conv_wrapper_s16(const cmsis_nn_context *ctx,
                                                   const cmsis_nn_dw_conv_params *dw_conv_params,
                                                   const cmsis_nn_per_channel_quant_params *quant_params,
                                                   const cmsis_nn_dims *input_dims,
                                                   const int16_t *input_data,
                                                   const cmsis_nn_dims *filter_dims,
                                                   const int8_t *filter_data,
                                                   const cmsis_nn_dims *bias_dims,
                                                   const int64_t *bias_data,
                                                   const cmsis_nn_dims *output_dims,
                                                   int16_t *output_data)
{
    if (dw_s16_use_fast(dw_conv_params, filter_dims))
    {
        return arm_depthwise_conv_fast_s16(ctx,
                                           dw_conv_params,
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
    return arm_depthwise_conv_s16(ctx,
                                  dw_conv_params,
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

int32_t arm_depthwise_conv_fast_s16_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    (void)input_dims;
    (void)filter_dims;
    return 0;
}

int32_t arm_depthwise_conv_wrapper_s16_get_buffer_size(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                       const cmsis_nn_dims *input_dims,
                                                       const cmsis_nn_dims *filter_dims,
                                                       const cmsis_nn_dims *output_dims)
{
    (void)output_dims;
    return dw_s16_use_fast(dw_conv_params, filter_dims) ? arm_depthwise_conv_fast_s16_get_buffer_size(input_dims, filter_dims)
                                                         : 0;
}

int32_t arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims,
                                                           const cmsis_nn_dims *output_dims)
{
    (void)output_dims;
    return dw_s16_use_fast(dw_conv_params, filter_dims) ? 2 * input_dims->c * filter_dims->w * filter_dims->h : 0;
}

int32_t arm_depthwise_conv_wrapper_s16_get_buffer_size_mve(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims,
                                                           const cmsis_nn_dims *output_dims)
{
    (void)output_dims;
    return dw_s16_use_fast(dw_conv_params, filter_dims) ? 8 * input_dims->c * filter_dims->w * filter_dims->h + 8 : 0;
}
