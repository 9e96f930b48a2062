/* cmsis-lower float_ops: one forward step of an ONNX LSTM cell (gates i, o, f, c). */
#include "cl_float_ops.h"

void cl_lstm_cell_f32(const float *x,
                      const float *h_prev,
                      const float *c_prev,
                      const float *W,
                      const float *R,
                      const float *B,
                      int32_t batch,
                      int32_t input_size,
                      int32_t hidden,
                      float *h_out,
                      float *c_out,
                      float *scratch)
{
    int32_t b, g, j, k;
    for (b = 0; b < batch; b++)
    {
        const float *xb = x + b * input_size;
        const float *hb = h_prev != NULL ? h_prev + b * hidden : NULL;
        const float *cb = c_prev != NULL ? c_prev + b * hidden : NULL;
        /* gates[g*hidden + j] = W x + R h + Wb + Rb */
        for (g = 0; g < 4 * hidden; g++)
        {
            float acc = 0.0f;
            const float *wr = W + g * input_size;
            for (k = 0; k < input_size; k++)
            {
                acc += wr[k] * xb[k];
            }
            if (hb != NULL)
            {
                const float *rr = R + g * hidden;
                for (k = 0; k < hidden; k++)
                {
                    acc += rr[k] * hb[k];
                }
            }
            if (B != NULL)
            {
                acc += B[g] + B[4 * hidden + g];
            }
            scratch[g] = acc;
        }
        for (j = 0; j < hidden; j++)
        {
            const float i_g = cl_sigmoidf(scratch[j]);
            const float o_g = cl_sigmoidf(scratch[hidden + j]);
            const float f_g = cl_sigmoidf(scratch[2 * hidden + j]);
            const float c_g = cl_tanhf(scratch[3 * hidden + j]);
            const float c_old = cb != NULL ? cb[j] : 0.0f;
            const float c_new = f_g * c_old + i_g * c_g;
            c_out[b * hidden + j] = c_new;
            h_out[b * hidden + j] = o_g * cl_tanhf(c_new);
        }
    }
}
