/*
 * cmsis-lower portable CMSIS-NN subset: scratch sizes for int8 depthwise convolution.
 * Un-suffixed = this portable library (= CMSIS-NN pure C); _dsp / _mve = CMSIS-NN DSP / MVE
 * builds with GCC constants (DW->conv threshold 1).
 */
#include "arm_nnfunctions.h"

#define CH_IN_BLOCK_MVE (124)
#define DW_TO_CONV_THRESHOLD_GCC (1)

int32_t arm_depthwise_conv_s8_opt_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    (void)input_dims;
    (void)filter_dims;
    return 0;
}

int32_t arm_depthwise_conv_s8_opt_get_buffer_size_dsp(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    return 2 * input_dims->c * filter_dims->w * filter_dims->h;
}

int32_t arm_depthwise_conv_s8_opt_get_buffer_size_mve(const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims)
{
    (void)input_dims;
    return 4 * CH_IN_BLOCK_MVE * filter_dims->w * filter_dims->h;
}

static bool dw_opt_case(const cmsis_nn_dw_conv_params *p, const cmsis_nn_dims *in, const cmsis_nn_dims *out)
{
    return in->c == out->c && in->n == 1 && p->dilation.w == 1 && p->dilation.h == 1;
}

int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                      const cmsis_nn_dims *input_dims,
                                                      const cmsis_nn_dims *filter_dims,
                                                      const cmsis_nn_dims *output_dims)
{
    (void)dw_conv_params;
    (void)input_dims;
    (void)filter_dims;
    (void)output_dims;
    return 0;
}

int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims)
{
    if (dw_opt_case(dw_conv_params, input_dims, output_dims))
    {
        if (filter_dims->w == 3 && filter_dims->h == 3 && dw_conv_params->padding.h <= 1 &&
            dw_conv_params->padding.w <= 1)
        {
            return 0;
        }
        return arm_depthwise_conv_s8_opt_get_buffer_size_dsp(input_dims, filter_dims);
    }
    return 0;
}

int32_t arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(const cmsis_nn_dw_conv_params *dw_conv_params,
                                                          const cmsis_nn_dims *input_dims,
                                                          const cmsis_nn_dims *filter_dims,
                                                          const cmsis_nn_dims *output_dims)
{
    int32_t size = dw_opt_case(dw_conv_params, input_dims, output_dims)
        ? arm_depthwise_conv_s8_opt_get_buffer_size_mve(input_dims, filter_dims)
        : 0;
    if (input_dims->c == 1 && output_dims->c > DW_TO_CONV_THRESHOLD_GCC)
    {
        cmsis_nn_conv_params conv_params;
        cmsis_nn_dims conv_filter;
        int32_t conv_size;
        conv_params.input_offset = dw_conv_params->input_offset;
        conv_params.output_offset = dw_conv_params->output_offset;
        conv_params.stride = dw_conv_params->stride;
        conv_params.padding = dw_conv_params->padding;
        conv_params.dilation = dw_conv_params->dilation;
        conv_params.activation = dw_conv_params->activation;
        conv_filter.n = filter_dims->c;
        conv_filter.h = filter_dims->h;
        conv_filter.w = filter_dims->w;
        conv_filter.c = filter_dims->n;
        conv_size = arm_convolve_wrapper_s8_get_buffer_size_mve(&conv_params, input_dims, &conv_filter, output_dims) +
            filter_dims->c * filter_dims->h * filter_dims->w;
        if (conv_size > size)
        {
            size = conv_size;
        }
    }
    return size;
}
