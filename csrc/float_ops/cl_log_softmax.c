/* cmsis-lower float_ops: log_softmax over one axis. */
#include "cl_float_ops.h"

void cl_log_softmax_f32(const float *in, float *out, int32_t outer, int32_t axis_len, int32_t inner)
{
    int32_t o, a, i;
    for (o = 0; o < outer; o++)
    {
        for (i = 0; i < inner; i++)
        {
            const float *ip = in + (int32_t)o * axis_len * inner + i;
            float *op = out + (int32_t)o * axis_len * inner + i;
            float max = ip[0];
            float sum = 0.0f;
            float lse;
            for (a = 1; a < axis_len; a++)
            {
                if (ip[a * inner] > max)
                {
                    max = ip[a * inner];
                }
            }
            for (a = 0; a < axis_len; a++)
            {
                sum += cl_expf(ip[a * inner] - max);
            }
            lse = cl_logf(sum);
            for (a = 0; a < axis_len; a++)
            {
                op[a * inner] = (ip[a * inner] - max) - lse;
            }
        }
    }
}
