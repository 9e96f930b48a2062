/*
 * cmsis-lower portable CMSIS-NN subset: arm_pad_s8 (constant padding of an NHWC tensor).
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_pad_s8(const int8_t *input,
                               int8_t *output,
                               const int8_t pad_value,
                               const cmsis_nn_dims *input_size,
                               const cmsis_nn_dims *pre_pad,
                               const cmsis_nn_dims *post_pad)
{
    const int32_t on = pre_pad->n + input_size->n + post_pad->n;
    const int32_t oh = pre_pad->h + input_size->h + post_pad->h;
    const int32_t ow = pre_pad->w + input_size->w + post_pad->w;
    const int32_t oc = pre_pad->c + input_size->c + post_pad->c;
    int32_t n, h, w, c;
    for (n = 0; n < on; n++)
    {
        const int32_t in_n = n - pre_pad->n;
        for (h = 0; h < oh; h++)
        {
            const int32_t in_h = h - pre_pad->h;
            for (w = 0; w < ow; w++)
            {
                const int32_t in_w = w - pre_pad->w;
                int8_t *op = output + ((n * oh + h) * ow + w) * oc;
                const bool row_in = in_n >= 0 && in_n < input_size->n && in_h >= 0 && in_h < input_size->h &&
                    in_w >= 0 && in_w < input_size->w;
                for (c = 0; c < oc; c++)
                {
                    const int32_t in_c = c - pre_pad->c;
                    if (row_in && in_c >= 0 && in_c < input_size->c)
                    {
                        op[c] = input[((in_n * input_size->h + in_h) * input_size->w + in_w) * input_size->c + in_c];
                    }
                    else
                    {
                        op[c] = pad_value;
                    }
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
