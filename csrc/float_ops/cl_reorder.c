/* cmsis-lower float_ops: generic N-d permutation copy (ndim <= 6), any element size. */
#include "cl_float_ops.h"

#include <string.h>

#define CL_REORDER_MAX_DIMS 6

int32_t cl_reorder(const void *in, void *out, size_t elem_size, const int32_t *in_shape, int32_t ndim, const int32_t *perm)
{
    int32_t in_stride[CL_REORDER_MAX_DIMS];
    int32_t shape[CL_REORDER_MAX_DIMS];
    int32_t stride[CL_REORDER_MAX_DIMS];
    int32_t idx[CL_REORDER_MAX_DIMS];
    int32_t i, total = 1, seen = 0;
    const unsigned char *src = (const unsigned char *)in;
    unsigned char *dst = (unsigned char *)out;
    int32_t n, off;
    if (ndim < 1 || ndim > CL_REORDER_MAX_DIMS || elem_size == 0u)
    {
        return -1;
    }
    in_stride[ndim - 1] = 1;
    for (i = ndim - 2; i >= 0; i--)
    {
        in_stride[i] = in_stride[i + 1] * in_shape[i + 1];
    }
    for (i = 0; i < ndim; i++)
    {
        if (perm[i] < 0 || perm[i] >= ndim || (seen & (1 << perm[i])) != 0)
        {
            return -1;
        }
        seen |= 1 << perm[i];
        shape[i] = in_shape[perm[i]];
        stride[i] = in_stride[perm[i]];
        idx[i] = 0;
        total *= shape[i];
    }
    off = 0;
    for (n = 0; n < total; n++)
    {
        memcpy(dst + (size_t)n * elem_size, src + (size_t)off * elem_size, elem_size);
        /* odometer increment over the output dims, tracking the source offset */
        for (i = ndim - 1; i >= 0; i--)
        {
            idx[i]++;
            off += stride[i];
            if (idx[i] < shape[i])
            {
                break;
            }
            off -= stride[i] * shape[i];
            idx[i] = 0;
        }
    }
    return 0;
}

int32_t cl_reorder_s8(const int8_t *in, int8_t *out, const int32_t *in_shape, int32_t ndim, const int32_t *perm)
{
    return cl_reorder(in, out, sizeof(int8_t), in_shape, ndim, perm);
}

int32_t cl_reorder_f32(const float *in, float *out, const int32_t *in_shape, int32_t ndim, const int32_t *perm)
{
    return cl_reorder(in, out, sizeof(float), in_shape, ndim, perm);
}
