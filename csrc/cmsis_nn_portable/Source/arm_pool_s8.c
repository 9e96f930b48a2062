/*
 * cmsis-lower portable CMSIS-NN subset: int8 pooling (arm_avgpool_s8, arm_max_pool_s8).
 * Windows are clipped to the input (padding taps are ignored); batches supported.
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_avgpool_s8(const cmsis_nn_context *ctx,
                                   const cmsis_nn_pool_params *pool_params,
                                   const cmsis_nn_dims *input_dims,
                                   const int8_t *input_data,
                                   const cmsis_nn_dims *filter_dims,
                                   const cmsis_nn_dims *output_dims,
                                   int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t ch = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t kh = filter_dims->h;
    const int32_t kw = filter_dims->w;
    const int32_t batches = input_dims->n > 0 ? input_dims->n : 1;
    int32_t b, oy, ox, c, y, x;
    (void)ctx;
    for (b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + b * in_h * in_w * ch;
        int8_t *out_batch = output_data + b * out_h * out_w * ch;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * pool_params->stride.h - pool_params->padding.h;
            const int32_t y0 = MAX(0, -base_y);
            const int32_t y1 = MIN(kh, in_h - base_y);
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * pool_params->stride.w - pool_params->padding.w;
                const int32_t x0 = MAX(0, -base_x);
                const int32_t x1 = MIN(kw, in_w - base_x);
                const int32_t count = (y1 > y0 && x1 > x0) ? (y1 - y0) * (x1 - x0) : 0;
                if (count == 0)
                {
                    return ARM_CMSIS_NN_ARG_ERROR;
                }
                for (c = 0; c < ch; c++)
                {
                    int32_t sum = 0;
                    for (y = y0; y < y1; y++)
                    {
                        for (x = x0; x < x1; x++)
                        {
                            sum += in_batch[((base_y + y) * in_w + (base_x + x)) * ch + c];
                        }
                    }
                    sum = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                    out_batch[(oy * out_w + ox) * ch + c] =
                        (int8_t)arm_nn_clamp(sum, pool_params->activation.min, pool_params->activation.max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

int32_t arm_avgpool_s8_get_buffer_size(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    (void)ch_src;
    return 0;
}

int32_t arm_avgpool_s8_get_buffer_size_dsp(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    return (int32_t)ch_src * 4;
}

int32_t arm_avgpool_s8_get_buffer_size_mve(const int dim_dst_width, const int ch_src)
{
    (void)dim_dst_width;
    (void)ch_src;
    return 0;
}

arm_cmsis_nn_status arm_max_pool_s8(const cmsis_nn_context *ctx,
                                    const cmsis_nn_pool_params *pool_params,
                                    const cmsis_nn_dims *input_dims,
                                    const int8_t *input_data,
                                    const cmsis_nn_dims *filter_dims,
                                    const cmsis_nn_dims *output_dims,
                                    int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t ch = input_dims->c;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t kh = filter_dims->h;
    const int32_t kw = filter_dims->w;
    const int32_t batches = input_dims->n > 0 ? input_dims->n : 1;
    int32_t b, oy, ox, c, y, x;
    (void)ctx;
    for (b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + b * in_h * in_w * ch;
        int8_t *out_batch = output_data + b * out_h * out_w * ch;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * pool_params->stride.h - pool_params->padding.h;
            const int32_t y0 = MAX(0, -base_y);
            const int32_t y1 = MIN(kh, in_h - base_y);
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * pool_params->stride.w - pool_params->padding.w;
                const int32_t x0 = MAX(0, -base_x);
                const int32_t x1 = MIN(kw, in_w - base_x);
                for (c = 0; c < ch; c++)
                {
                    int32_t m = NN_Q7_MIN;
                    for (y = y0; y < y1; y++)
                    {
                        for (x = x0; x < x1; x++)
                        {
                            const int32_t v = in_batch[((base_y + y) * in_w + (base_x + x)) * ch + c];
                            if (v > m)
                            {
                                m = v;
                            }
                        }
                    }
                    out_batch[(oy * out_w + ox) * ch + c] =
                        (int8_t)arm_nn_clamp(m, pool_params->activation.min, pool_params->activation.max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
