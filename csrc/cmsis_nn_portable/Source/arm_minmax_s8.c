/*
 * cmsis-lower portable CMSIS-NN subset: int8 elementwise maximum / minimum.
 * Neither requantizes: both inputs and the output share one parameter set, so comparing the raw bytes
 * compares the real values. A dim of size 1 in an input is broadcast over the output's dim (stride 0),
 * which covers the library's equal-shape and one-element cases with one walk.
 */
#include "arm_nnfunctions.h"

/* Elements to skip per step along a dim: 0 where the input is broadcast. */
static int32_t cl_bstride(const int32_t in_dim, const int32_t inner)
{
    return in_dim == 1 ? 0 : inner;
}

static int cl_broadcastable(const cmsis_nn_dims *in, const cmsis_nn_dims *out)
{
    return (in->n == out->n || in->n == 1) && (in->h == out->h || in->h == 1) && (in->w == out->w || in->w == 1) &&
        (in->c == out->c || in->c == 1);
}

static arm_cmsis_nn_status cl_minmax_s8(const int8_t *in_1,
                                        const cmsis_nn_dims *d_1,
                                        const int8_t *in_2,
                                        const cmsis_nn_dims *d_2,
                                        int8_t *out,
                                        const cmsis_nn_dims *d_o,
                                        const int take_max)
{
    const int32_t sn1 = cl_bstride(d_1->n, d_1->h * d_1->w * d_1->c), sh1 = cl_bstride(d_1->h, d_1->w * d_1->c);
    const int32_t sw1 = cl_bstride(d_1->w, d_1->c), sc1 = cl_bstride(d_1->c, 1);
    const int32_t sn2 = cl_bstride(d_2->n, d_2->h * d_2->w * d_2->c), sh2 = cl_bstride(d_2->h, d_2->w * d_2->c);
    const int32_t sw2 = cl_bstride(d_2->w, d_2->c), sc2 = cl_bstride(d_2->c, 1);
    int32_t n, h, w, c;
    if (!cl_broadcastable(d_1, d_o) || !cl_broadcastable(d_2, d_o))
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    for (n = 0; n < d_o->n; n++)
    {
        for (h = 0; h < d_o->h; h++)
        {
            for (w = 0; w < d_o->w; w++)
            {
                const int8_t *a = in_1 + n * sn1 + h * sh1 + w * sw1;
                const int8_t *b = in_2 + n * sn2 + h * sh2 + w * sw2;
                for (c = 0; c < d_o->c; c++)
                {
                    const int8_t x = *a;
                    const int8_t y = *b;
                    if (take_max)
                    {
                        *out++ = x >= y ? x : y;
                    }
                    else
                    {
                        *out++ = x >= y ? y : x;
                    }
                    a += sc1;
                    b += sc2;
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_maximum_s8(const cmsis_nn_context *ctx,
                                   const int8_t *input_1_data,
                                   const cmsis_nn_dims *input_1_dims,
                                   const int8_t *input_2_data,
                                   const cmsis_nn_dims *input_2_dims,
                                   int8_t *output_data,
                                   const cmsis_nn_dims *output_dims)
{
    (void)ctx;
    return cl_minmax_s8(input_1_data, input_1_dims, input_2_data, input_2_dims, output_data, output_dims, 1);
}

arm_cmsis_nn_status arm_minimum_s8(const cmsis_nn_context *ctx,
                                   const int8_t *input_1_data,
                                   const cmsis_nn_dims *input_1_dims,
                                   const int8_t *input_2_data,
                                   const cmsis_nn_dims *input_2_dims,
                                   int8_t *output_data,
                                   const cmsis_nn_dims *output_dims)
{
    (void)ctx;
    return cl_minmax_s8(input_1_data, input_1_dims, input_2_data, input_2_dims, output_data, output_dims, 0);
}
