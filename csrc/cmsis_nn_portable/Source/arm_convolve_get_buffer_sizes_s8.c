/*
 * cmsis-lower portable CMSIS-NN subset: scratch sizes for the int8 convolution family.
 * Un-suffixed functions return the size for this portable (pure C) library, which equals
 * CMSIS-NN's pure-C build. _dsp / _mve give the sizes CMSIS-NN's DSP / MVE builds need
 * when compiled with GCC (host-side, ahead-of-time sizing).
 * Note: kernels of this library never use the scratch; only NULL checks depend on it.
 */
#include "arm_nnfunctions.h"

static int32_t conv_s8_size_scalar(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    const int32_t rc = filter_dims->w * filter_dims->h * input_dims->c;
    return 4 * ((rc + 3) & ~3);
}

int32_t arm_convolve_s8_get_buffer_size(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    return conv_s8_size_scalar(input_dims, filter_dims);
}

int32_t arm_convolve_s8_get_buffer_size_dsp(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    return conv_s8_size_scalar(input_dims, filter_dims);
}

int32_t arm_convolve_s8_get_buffer_size_mve(const cmsis_nn_dims *input_dims, const cmsis_nn_dims *filter_dims)
{
    const int32_t rc = filter_dims->w * filter_dims->h * input_dims->c;
    return 64 * ((rc + 15) / 16);
}

int32_t arm_convolve_1x1_s8_fast_get_buffer_size(const cmsis_nn_dims *input_dims)
{
    (void)input_dims;
    return 0; /* GCC builds (DSP scratch only with Arm Compiler 6) */
}

int32_t arm_convolve_1_x_n_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                              const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *output_dims)
{
    (void)conv_params;
    (void)output_dims;
    return conv_s8_size_scalar(input_dims, filter_dims);
}

static int32_t ceil_div_min1(int32_t num, int32_t den)
{
    int32_t q = (num + den - 1) / den;
    return q < 1 ? 1 : q;
}

int32_t arm_convolve_1_x_n_s8_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                  const cmsis_nn_dims *input_dims,
                                                  const cmsis_nn_dims *filter_dims,
                                                  const cmsis_nn_dims *output_dims)
{
    const int32_t sw = conv_params->stride.w;
    const int32_t pw = conv_params->padding.w;
    const int32_t kw = filter_dims->w;
    const int32_t c = input_dims->c;
    const int32_t w_out = output_dims->w;
    const int32_t total_pad = (w_out - 1) * sw + kw - input_dims->w;
    const int32_t asym = total_pad % 2;
    const int32_t rp = (pw + asym != 0) ? ceil_div_min1(pw + asym, sw) : 0;
    const int32_t lp = (pw != 0) ? ceil_div_min1(pw, sw) : 0;
    int32_t np = w_out - rp - lp;
    int32_t a, b;
    if (np < 0)
    {
        np = 0;
    }
    if (rp + np + lp != w_out)
    {
        return arm_convolve_s8_get_buffer_size_mve(input_dims, filter_dims);
    }
    a = kw * c + pw * c;
    b = (kw - 1) * c + (asym != 0 ? rp * c : pw * c);
    return a > b ? a : b;
}

int32_t arm_convolve_wrapper_s8_get_buffer_size(const cmsis_nn_conv_params *conv_params,
                                                const cmsis_nn_dims *input_dims,
                                                const cmsis_nn_dims *filter_dims,
                                                const cmsis_nn_dims *output_dims)
{
    if (arm_nn_is_convolve_1x1(conv_params, input_dims, filter_dims))
    {
        return arm_nn_is_convolve_1x1_fast(conv_params) ? arm_convolve_1x1_s8_fast_get_buffer_size(input_dims) : 0;
    }
    if (arm_nn_is_convolve_1_x_n(conv_params, input_dims, filter_dims))
    {
        return arm_convolve_1_x_n_s8_get_buffer_size(conv_params, input_dims, filter_dims, output_dims);
    }
    return arm_convolve_s8_get_buffer_size(input_dims, filter_dims);
}

int32_t arm_convolve_wrapper_s8_get_buffer_size_dsp(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims)
{
    if (arm_nn_is_convolve_1x1(conv_params, input_dims, filter_dims))
    {
        return 0; /* 1x1 fast: 4*C only with Arm Compiler 6; 1x1: none */
    }
    if (arm_nn_is_convolve_1_x_n(conv_params, input_dims, filter_dims))
    {
        return arm_convolve_s8_get_buffer_size_dsp(input_dims, filter_dims);
    }
    (void)output_dims;
    return arm_convolve_s8_get_buffer_size_dsp(input_dims, filter_dims);
}

int32_t arm_convolve_wrapper_s8_get_buffer_size_mve(const cmsis_nn_conv_params *conv_params,
                                                    const cmsis_nn_dims *input_dims,
                                                    const cmsis_nn_dims *filter_dims,
                                                    const cmsis_nn_dims *output_dims)
{
    if (arm_nn_is_convolve_1x1(conv_params, input_dims, filter_dims))
    {
        return 0;
    }
    if (arm_nn_is_convolve_1_x_n(conv_params, input_dims, filter_dims))
    {
        return arm_convolve_1_x_n_s8_get_buffer_size_mve(conv_params, input_dims, filter_dims, output_dims);
    }
    return arm_convolve_s8_get_buffer_size_mve(input_dims, filter_dims);
}
