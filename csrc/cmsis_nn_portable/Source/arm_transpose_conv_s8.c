/*
 * cmsis-lower portable CMSIS-NN subset: int8 transpose convolution
 * (arm_transpose_conv_wrapper_s8, arm_transpose_conv_s8, scratch sizes).
 * out[b, iy*sh - pad_h + ky, ix*sw - pad_w + kx, oc] += (x + input_offset) * w[oc, ky, kx, ic],
 * computed as a gather per output element; then requantize, offset, clamp.
 * Filter layout {C_OUT, KH, KW, C_IN}. Dilation must be 1.
 */
#include "arm_nnfunctions.h"

#define REVERSE_TCOL_EFFICIENT_THRESHOLD (16)

static bool use_reverse_conv(const cmsis_nn_transpose_conv_params *p, const cmsis_nn_dims *input_dims)
{
    return p->stride.w <= 2 && p->stride.h <= 2 && input_dims->c > REVERSE_TCOL_EFFICIENT_THRESHOLD;
}

arm_cmsis_nn_status arm_transpose_conv_s8(const cmsis_nn_context *ctx,
                                          const cmsis_nn_context *output_ctx,
                                          const cmsis_nn_transpose_conv_params *transpose_conv_params,
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
    const cmsis_nn_transpose_conv_params *p = transpose_conv_params;
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t kh = filter_dims->h;
    const int32_t kw = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t sh = p->stride.h;
    const int32_t sw = p->stride.w;
    int32_t b, oy, ox, oc, ky, kx, c;
    (void)output_ctx;
    (void)bias_dims;
    if (ctx == NULL || ctx->buf == NULL || sh <= 0 || sw <= 0)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (b = 0; b < input_dims->n; b++)
    {
        const int8_t *in_batch = input_data + b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; oy++)
        {
            for (ox = 0; ox < out_w; ox++)
            {
                int8_t *op = output_data + ((b * out_h + oy) * out_w + ox) * out_c;
                for (oc = 0; oc < out_c; oc++)
                {
                    uint32_t acc = bias_data != NULL ? (uint32_t)bias_data[oc] : 0u;
                    int32_t res;
                    for (ky = 0; ky < kh; ky++)
                    {
                        const int32_t ty = oy + p->padding.h - ky;
                        int32_t iy;
                        if (ty < 0 || (ty % sh) != 0)
                        {
                            continue;
                        }
                        iy = ty / sh;
                        if (iy >= in_h)
                        {
                            continue;
                        }
                        for (kx = 0; kx < kw; kx++)
                        {
                            const int32_t tx = ox + p->padding.w - kx;
                            int32_t ix;
                            const int8_t *ip;
                            const int8_t *wp;
                            if (tx < 0 || (tx % sw) != 0)
                            {
                                continue;
                            }
                            ix = tx / sw;
                            if (ix >= in_w)
                            {
                                continue;
                            }
                            ip = in_batch + (iy * in_w + ix) * in_c;
                            wp = filter_data + ((oc * kh + ky) * kw + kx) * in_c;
                            for (c = 0; c < in_c; c++)
                            {
                                acc += (uint32_t)(((int32_t)ip[c] + p->input_offset) * (int32_t)wp[c]);
                            }
                        }
                    }
                    res = arm_nn_requantize((int32_t)acc, quant_params->multiplier[oc], quant_params->shift[oc]) +
                        p->output_offset;
                    op[oc] = (int8_t)arm_nn_clamp(res, p->activation.min, p->activation.max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_transpose_conv_wrapper_s8(const cmsis_nn_context *ctx,
                                                  const cmsis_nn_context *reverse_conv_ctx,
                                                  const cmsis_nn_transpose_conv_params *transpose_conv_params,
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
    /* Both CMSIS-NN paths (reverse conv / row scatter) compute the same result. */
    return arm_transpose_conv_s8(ctx,
                                 reverse_conv_ctx,
                                 transpose_conv_params,
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

static int32_t tconv_size(const cmsis_nn_transpose_conv_params *p,
                          const cmsis_nn_dims *input_dims,
                          const cmsis_nn_dims *filter_dims,
                          const cmsis_nn_dims *out_dims,
                          int mve)
{
    if (use_reverse_conv(p, input_dims))
    {
        const int32_t rc = filter_dims->w * filter_dims->h * input_dims->c;
        return mve ? 64 * ((rc + 15) / 16) : 4 * ((rc + 3) & ~3);
    }
    return 4 * ((input_dims->w - 1) * p->stride.w + MAX(filter_dims->w, p->stride.h)) * out_dims->c *
        MAX(filter_dims->h, p->stride.h);
}

int32_t arm_transpose_conv_s8_get_buffer_size(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                              const cmsis_nn_dims *input_dims,
                                              const cmsis_nn_dims *filter_dims,
                                              const cmsis_nn_dims *out_dims)
{
    return tconv_size(transpose_conv_params, input_dims, filter_dims, out_dims, 0);
}

int32_t arm_transpose_conv_s8_get_buffer_size_dsp(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                  const cmsis_nn_dims *input_dims,
                                                  const cmsis_nn_dims *filter_dims,
                                                  const cmsis_nn_dims *out_dims)
{
    return tconv_size(transpose_conv_params, input_dims, filter_dims, out_dims, 0);
}

int32_t arm_transpose_conv_s8_get_buffer_size_mve(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                  const cmsis_nn_dims *input_dims,
                                                  const cmsis_nn_dims *filter_dims,
                                                  const cmsis_nn_dims *out_dims)
{
    return tconv_size(transpose_conv_params, input_dims, filter_dims, out_dims, 1);
}

int32_t arm_transpose_conv_s8_get_reverse_conv_buffer_size(const cmsis_nn_transpose_conv_params *transpose_conv_params,
                                                           const cmsis_nn_dims *input_dims,
                                                           const cmsis_nn_dims *filter_dims)
{
    if (use_reverse_conv(transpose_conv_params, input_dims))
    {
        return input_dims->c * filter_dims->w * filter_dims->h * filter_dims->n;
    }
    return 0;
}
