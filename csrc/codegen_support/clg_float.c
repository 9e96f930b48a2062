/* cmsis-lower generated-code support: float kernels (see clg_float.h). */
#include "clg_float.h"

#include <math.h>

static double clg_sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

static double clg_clampd(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

static double clg_unary(int32_t op, double x, double p0, double p1)
{
    switch (op)
    {
    case CLG_ABS:
        return fabs(x);
    case CLG_NEG:
        return -x;
    case CLG_EXP:
        return exp(x);
    case CLG_LOG:
        return log(x);
    case CLG_SQRT:
        return sqrt(x);
    case CLG_RELU:
        return x > 0.0 ? x : 0.0;
    case CLG_SIGMOID:
        return clg_sigmoid(x);
    case CLG_TANH:
        return tanh(x);
    case CLG_SILU:
        return x * clg_sigmoid(x);
    case CLG_HARDSWISH:
        return (x * clg_clampd(x + 3.0, 0.0, 6.0)) / 6.0;
    case CLG_HARDSIGMOID:
        return clg_clampd(x / 6.0 + 0.5, 0.0, 1.0);
    case CLG_LEAKY_RELU:
        return x >= 0.0 ? x : x * p0;
    case CLG_HARDTANH:
        return clg_clampd(x, p0, p1);
    default:
        return x;
    }
}

void clg_unary_f32(int32_t op, const float *in, float *out, int32_t n, double p0, double p1)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = (float)clg_unary(op, (double)in[i], p0, p1);
    }
}

static double clg_binary(int32_t op, double a, double b)
{
    switch (op)
    {
    case CLG_ADD:
        return a + b;
    case CLG_SUB:
        return a - b;
    case CLG_MUL:
        return a * b;
    case CLG_DIV:
        return a / b;
    case CLG_POW:
        return pow(a, b);
    case CLG_MAXIMUM:
        return (a != a || b != b) ? (a + b) : (a > b ? a : b);
    case CLG_MINIMUM:
        return (a != a || b != b) ? (a + b) : (a < b ? a : b);
    default:
        return a;
    }
}

#define CLG_FLOAT_MAX_DIMS 8

void clg_binary_f32(int32_t op,
                    const float *a,
                    const int32_t *a_strides,
                    const float *b,
                    const int32_t *b_strides,
                    float *out,
                    int32_t ndim,
                    const int32_t *shape)
{
    int32_t idx[CLG_FLOAT_MAX_DIMS];
    int32_t total = 1;
    int32_t k;
    int32_t o;
    int32_t ao = 0;
    int32_t bo = 0;
    for (k = 0; k < ndim; k++)
    {
        idx[k] = 0;
        total *= shape[k];
    }
    for (o = 0; o < total; o++)
    {
        out[o] = (float)clg_binary(op, (double)a[ao], (double)b[bo]);
        for (k = ndim - 1; k >= 0; k--)
        {
            ao += a_strides[k];
            bo += b_strides[k];
            if (++idx[k] < shape[k])
            {
                break;
            }
            ao -= a_strides[k] * shape[k];
            bo -= b_strides[k] * shape[k];
            idx[k] = 0;
        }
    }
}

void clg_mean_f32(const float *in, float *out, int32_t ndim, const int32_t *shape, const uint8_t *reduce)
{
    int32_t strides[CLG_FLOAT_MAX_DIMS];
    int32_t kidx[CLG_FLOAT_MAX_DIMS];
    int32_t ridx[CLG_FLOAT_MAX_DIMS];
    int32_t n_out = 1;
    int32_t n_red = 1;
    int32_t k;
    int32_t o;
    int32_t s = 1;
    for (k = ndim - 1; k >= 0; k--)
    {
        strides[k] = s;
        s *= shape[k];
        kidx[k] = 0;
        if (reduce[k])
        {
            n_red *= shape[k];
        }
        else
        {
            n_out *= shape[k];
        }
    }
    for (o = 0; o < n_out; o++)
    {
        double acc = 0.0;
        int32_t base = 0;
        int32_t r;
        for (k = 0; k < ndim; k++)
        {
            base += kidx[k] * strides[k];
            ridx[k] = 0;
        }
        /* reduced dims in row-major order: increasing input position, as the reference sums */
        for (r = 0; r < n_red; r++)
        {
            int32_t pos = base;
            for (k = 0; k < ndim; k++)
            {
                pos += ridx[k] * strides[k];
            }
            acc += (double)in[pos];
            for (k = ndim - 1; k >= 0; k--)
            {
                if (!reduce[k])
                {
                    continue;
                }
                if (++ridx[k] < shape[k])
                {
                    break;
                }
                ridx[k] = 0;
            }
        }
        out[o] = (float)(acc / (double)n_red);
        for (k = ndim - 1; k >= 0; k--)
        {
            if (reduce[k])
            {
                continue;
            }
            if (++kidx[k] < shape[k])
            {
                break;
            }
            kidx[k] = 0;
        }
    }
}

void clg_softmax_f32(const float *in, float *out, int32_t outer, int32_t len, int32_t inner, int32_t is_log)
{
    int32_t o;
    int32_t i;
    int32_t k;
    for (o = 0; o < outer; o++)
    {
        for (i = 0; i < inner; i++)
        {
            const int32_t base = o * len * inner + i;
            double m = -HUGE_VAL;
            double sum = 0.0;
            double ls;
            for (k = 0; k < len; k++)
            {
                const double v = (double)in[base + k * inner];
                m = (v > m || v != v) ? v : m;
            }
            for (k = 0; k < len; k++)
            {
                sum += exp((double)in[base + k * inner] - m);
            }
            ls = log(sum);
            for (k = 0; k < len; k++)
            {
                const double x = (double)in[base + k * inner];
                out[base + k * inner] = is_log ? (float)(x - m - ls) : (float)(exp(x - m) / sum);
            }
        }
    }
}

void clg_matmul_f32(const float *a,
                    const float *b,
                    float *out,
                    int32_t nbatch_dims,
                    const int32_t *batch_shape,
                    const int32_t *a_bstrides,
                    const int32_t *b_bstrides,
                    int32_t M,
                    int32_t K,
                    int32_t N)
{
    int32_t idx[CLG_FLOAT_MAX_DIMS];
    int32_t batches = 1;
    int32_t bi;
    int32_t k;
    for (k = 0; k < nbatch_dims; k++)
    {
        idx[k] = 0;
        batches *= batch_shape[k];
    }
    for (bi = 0; bi < batches; bi++)
    {
        int32_t ao = 0;
        int32_t bo = 0;
        int32_t m;
        int32_t n;
        for (k = 0; k < nbatch_dims; k++)
        {
            ao += idx[k] * a_bstrides[k];
            bo += idx[k] * b_bstrides[k];
        }
        for (n = 0; n < N; n++)
        {
            for (m = 0; m < M; m++)
            {
                double acc = 0.0;
                for (k = 0; k < K; k++)
                {
                    acc += (double)a[ao + m * K + k] * (double)b[bo + k * N + n];
                }
                out[bi * M * N + m * N + n] = (float)acc;
            }
        }
        for (k = nbatch_dims - 1; k >= 0; k--)
        {
            if (++idx[k] < batch_shape[k])
            {
                break;
            }
            idx[k] = 0;
        }
    }
}

void clg_linear_f32(const float *x, const float *w, const float *bias, float *y, int32_t rows, int32_t K, int32_t O)
{
    int32_t r;
    int32_t o;
    int32_t k;
    for (r = 0; r < rows; r++)
    {
        for (o = 0; o < O; o++)
        {
            double acc = bias ? (double)bias[o] : 0.0;
            for (k = 0; k < K; k++)
            {
                acc += (double)x[r * K + k] * (double)w[o * K + k];
            }
            y[r * O + o] = (float)acc;
        }
    }
}

void clg_lstm_f32(const float *X,
                  const float *W,
                  const float *R,
                  const float *B,
                  const float *h0,
                  const float *c0,
                  float *Y,
                  float *Yh,
                  float *Yc,
                  int32_t S,
                  int32_t N,
                  int32_t I,
                  int32_t H,
                  double *work)
{
    double *const h = work;
    double *const c = h + N * H;
    double *const h_new = c + N * H;
    double *const gates = h_new + N * H;
    int32_t t;
    int32_t n;
    int32_t g;
    int32_t k;
    int32_t j;
    for (k = 0; k < N * H; k++)
    {
        h[k] = h0 ? (double)h0[k] : 0.0;
        c[k] = c0 ? (double)c0[k] : 0.0;
    }
    for (t = 0; t < S; t++)
    {
        for (n = 0; n < N; n++)
        {
            const int32_t xo = (t * N + n) * I;
            for (g = 0; g < 4 * H; g++)
            {
                double acc = B ? (double)B[g] + (double)B[4 * H + g] : 0.0;
                for (k = 0; k < I; k++)
                {
                    acc += (double)X[xo + k] * (double)W[g * I + k];
                }
                for (k = 0; k < H; k++)
                {
                    acc += h[n * H + k] * (double)R[g * H + k];
                }
                gates[g] = acc;
            }
            for (j = 0; j < H; j++)
            {
                const double it = clg_sigmoid(gates[j]);
                const double ot = clg_sigmoid(gates[H + j]);
                const double ft = clg_sigmoid(gates[2 * H + j]);
                const double ct = tanh(gates[3 * H + j]);
                const double cell = (double)(float)(ft * c[n * H + j] + it * ct);
                c[n * H + j] = cell;
                h_new[n * H + j] = (double)(float)(ot * tanh(cell));
            }
        }
        for (k = 0; k < N * H; k++)
        {
            h[k] = h_new[k];
            Y[t * N * H + k] = (float)h[k];
        }
    }
    for (k = 0; k < N * H; k++)
    {
        Yh[k] = (float)h[k];
        Yc[k] = (float)c[k];
    }
}
