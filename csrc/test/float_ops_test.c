/*
 * cmsis-lower: float_ops self-check. Prints a hash of all results (must be identical on the
 * host and on every Arm target) and checks accuracy against simple references.
 * Exit 0 on success, 1 on an accuracy / exactness failure.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cl_float_ops.h"

static uint32_t hash = 2166136261u;

static void mix(const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++)
    {
        hash = (hash ^ b[i]) * 16777619u;
    }
}

static int fails = 0;

static void check(int ok, const char *what)
{
    if (!ok)
    {
        printf("FAIL %s\n", what);
        fails++;
    }
}

int main(void)
{
    float in[64], out[64], out2[64];
    int8_t q[64];
    int i;
    for (i = 0; i < 64; i++)
    {
        in[i] = (float)(i - 32) * 0.37f + 0.01f * (float)(i % 7);
    }
    /* sigmoid / tanh vs. direct formulas (tolerance) */
    cl_sigmoid_f32(in, out, 64);
    cl_tanh_f32(in, out2, 64);
    mix(out, sizeof(out));
    mix(out2, sizeof(out2));
    for (i = 0; i < 64; i++)
    {
        const float s = 1.0f / (1.0f + (float)exp(-(double)in[i]));
        const float t = (float)tanh((double)in[i]);
        check(fabsf(out[i] - s) <= 1e-6f + 1e-5f * s, "sigmoid");
        check(fabsf(out2[i] - t) <= 2e-6f, "tanh");
    }
    /* log_softmax over axis of length 8, outer 2, inner 4 */
    cl_log_softmax_f32(in, out, 2, 8, 4);
    mix(out, sizeof(out));
    {
        int o, k, a;
        for (o = 0; o < 2; o++)
            for (k = 0; k < 4; k++)
            {
                double s = 0.0;
                for (a = 0; a < 8; a++) s += exp((double)out[(o * 8 + a) * 4 + k]);
                check(fabs(s - 1.0) < 1e-5, "log_softmax normalisation");
            }
    }
    /* quantize: exact round-half-even cases */
    {
        const float v[6] = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 1000.0f};
        const int8_t e[6] = {0, 2, 2, 0, -2, 127};
        int8_t r[6];
        float d[6];
        cl_quantize_f32_s8(v, r, 6, 1.0f, 0);
        check(memcmp(r, e, 6) == 0, "quantize half-even");
        cl_quantize_f32_s8(in, q, 64, 0.05f, -3);
        mix(q, sizeof(q));
        cl_dequantize_s8_f32(r, d, 6, 0.25f, 1);
        check(d[1] == 0.25f && d[0] == -0.25f, "dequantize");
    }
    /* reorder: NCHW -> NHWC on a 2x3x2x2 tensor and back */
    {
        const int32_t shape[4] = {2, 3, 2, 2};
        const int32_t perm[4] = {0, 2, 3, 1};
        const int32_t shape2[4] = {2, 2, 2, 3};
        const int32_t inv[4] = {0, 3, 1, 2};
        int8_t a[24], b[24], c[24];
        for (i = 0; i < 24; i++) a[i] = (int8_t)i;
        check(cl_reorder_s8(a, b, shape, 4, perm) == 0, "reorder rc");
        check(b[1] == 4 && b[3] == 1, "reorder values");
        check(cl_reorder_s8(b, c, shape2, 4, inv) == 0 && memcmp(a, c, 24) == 0, "reorder inverse");
        check(cl_reorder_f32(in, out, shape, 4, perm) == 0 && out[1] == in[4], "reorder f32");
    }
    /* LSTM cell, hidden 3, input 2, batch 1; compare with a double-precision reference */
    {
        float W[12 * 2], R[12 * 3], B[24], x[2] = {0.5f, -1.25f}, h0[3] = {0.1f, -0.2f, 0.3f}, c0[3] = {0.5f, 0.0f, -0.5f};
        float h[3], c[3], scratch[12];
        int g, j, k;
        for (i = 0; i < 24; i++) W[i] = 0.05f * (float)(i % 9) - 0.2f;
        for (i = 0; i < 36; i++) R[i] = 0.03f * (float)(i % 11) - 0.15f;
        for (i = 0; i < 24; i++) B[i] = 0.01f * (float)i - 0.1f;
        cl_lstm_cell_f32(x, h0, c0, W, R, B, 1, 2, 3, h, c, scratch);
        mix(h, sizeof(h));
        mix(c, sizeof(c));
        for (j = 0; j < 3; j++)
        {
            double gate[4];
            for (g = 0; g < 4; g++)
            {
                double acc = (double)B[g * 3 + j] + (double)B[12 + g * 3 + j];
                for (k = 0; k < 2; k++) acc += (double)W[(g * 3 + j) * 2 + k] * x[k];
                for (k = 0; k < 3; k++) acc += (double)R[(g * 3 + j) * 3 + k] * h0[k];
                gate[g] = acc;
            }
            {
                const double ig = 1.0 / (1.0 + exp(-gate[0])), og = 1.0 / (1.0 + exp(-gate[1]));
                const double fg = 1.0 / (1.0 + exp(-gate[2])), cg = tanh(gate[3]);
                const double cn = fg * c0[j] + ig * cg;
                check(fabs(cn - c[j]) < 1e-5, "lstm c");
                check(fabs(og * tanh(cn) - h[j]) < 1e-5, "lstm h");
            }
        }
    }
    printf("float_ops hash %08lx fails %d\n", (unsigned long)hash, fails);
    return fails == 0 ? 0 : 1;
}
