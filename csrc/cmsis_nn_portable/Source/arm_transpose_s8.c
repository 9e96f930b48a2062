/*
 * cmsis-lower portable CMSIS-NN subset: arm_transpose_s8 (permutation of up to 4 dims).
 * Shape = the first num_dims entries of {n, h, w, c}; output dim i = input dim permutations[i].
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_transpose_s8(const int8_t *input_data,
                                     int8_t *const output_data,
                                     const cmsis_nn_dims *const input_dims,
                                     const cmsis_nn_dims *const output_dims,
                                     const cmsis_nn_transpose_params *const transpose_params)
{
    int32_t shape[4];
    int32_t in_stride[4];
    int32_t out_shape[4] = {1, 1, 1, 1};
    int32_t src_stride[4] = {0, 0, 0, 0};
    const int32_t nd = transpose_params->num_dims;
    int32_t i, i0, i1, i2, i3;
    int8_t *op = output_data;
    (void)output_dims;
    if (nd < 1 || nd > 4)
    {
        return ARM_CMSIS_NN_ARG_ERROR;
    }
    shape[0] = input_dims->n;
    shape[1] = input_dims->h;
    shape[2] = input_dims->w;
    shape[3] = input_dims->c;
    in_stride[nd - 1] = 1;
    for (i = nd - 2; i >= 0; i--)
    {
        in_stride[i] = in_stride[i + 1] * shape[i + 1];
    }
    /* right-align the permuted dims into a 4-d loop nest */
    for (i = 0; i < nd; i++)
    {
        const uint32_t p = transpose_params->permutations[i];
        if (p >= (uint32_t)nd)
        {
            return ARM_CMSIS_NN_ARG_ERROR;
        }
        out_shape[4 - nd + i] = shape[p];
        src_stride[4 - nd + i] = in_stride[p];
    }
    for (i0 = 0; i0 < out_shape[0]; i0++)
    {
        for (i1 = 0; i1 < out_shape[1]; i1++)
        {
            for (i2 = 0; i2 < out_shape[2]; i2++)
            {
                const int8_t *base = input_data + i0 * src_stride[0] + i1 * src_stride[1] + i2 * src_stride[2];
                for (i3 = 0; i3 < out_shape[3]; i3++)
                {
                    *op++ = base[i3 * src_stride[3]];
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
