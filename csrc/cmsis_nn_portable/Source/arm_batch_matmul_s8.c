/*
 * cmsis-lower portable CMSIS-NN subset: int8 batch matmul (arm_batch_matmul_s8).
 * Left operand [n][h][w = rows][c = depth], right operand given transposed
 * [n][h][w = columns][c = depth]: every output is a row of lhs times a row of rhs,
 * offsets added to both, no bias, one per-tensor requantization. Batch dims of size 1
 * broadcast against the other operand's, as in the library. ctx is unused (the MVE
 * build keeps row sums there).
 */
#include "arm_nnfunctions.h"

arm_cmsis_nn_status arm_batch_matmul_s8(const cmsis_nn_context *ctx,
                                        const cmsis_nn_bmm_params *bmm_params,
                                        const cmsis_nn_per_tensor_quant_params *quant_params,
                                        const cmsis_nn_dims *input_lhs_dims,
                                        const int8_t *input_lhs,
                                        const cmsis_nn_dims *input_rhs_dims,
                                        const int8_t *input_rhs,
                                        const cmsis_nn_dims *output_dims,
                                        int8_t *output)
{
    const cmsis_nn_fc_params *fc = &bmm_params->fc_params;
    const int32_t rows = input_lhs_dims->w;
    const int32_t cols = input_rhs_dims->w;
    const int32_t depth = input_rhs_dims->c;
    int32_t bn, bh, i, j, t;
    (void)ctx;
    for (bn = 0; bn < output_dims->n; bn++)
    {
        for (bh = 0; bh < output_dims->h; bh++)
        {
            /* A batch dim of size 1 is shared by every output batch along it. */
            const int32_t ln = input_lhs_dims->n == 1 ? 0 : bn, lh = input_lhs_dims->h == 1 ? 0 : bh;
            const int32_t rn = input_rhs_dims->n == 1 ? 0 : bn, rh = input_rhs_dims->h == 1 ? 0 : bh;
            const int8_t *lhs = input_lhs + (ln * input_lhs_dims->h + lh) * rows * depth;
            const int8_t *rhs = input_rhs + (rn * input_rhs_dims->h + rh) * cols * depth;
            int8_t *out = output + (bn * output_dims->h + bh) * rows * cols;
            for (i = 0; i < rows; i++)
            {
                for (j = 0; j < cols; j++)
                {
                    uint32_t acc = 0u;
                    int32_t res;
                    for (t = 0; t < depth; t++)
                    {
                        acc += (uint32_t)(((int32_t)lhs[i * depth + t] + fc->input_offset) *
                                          ((int32_t)rhs[j * depth + t] + fc->filter_offset));
                    }
                    res = arm_nn_requantize((int32_t)acc, quant_params->multiplier, quant_params->shift) + fc->output_offset;
                    out[i * cols + j] = (int8_t)arm_nn_clamp(res, fc->activation.min, fc->activation.max);
                }
            }
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
