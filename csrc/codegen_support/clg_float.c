/* cmsis-lower generated-code support: float kernels (see clg_float.h). */
#include "clg_float.h"

#include "clg_fmath.h"

#include <math.h>
#include <string.h>

/* Every NaN stored is this one (x86 makes negative NaNs, Arm positive ones). */
static float clg_canon(float x)
{
    if (x != x)
    {
        const uint32_t qnan = 0x7fc00000u;
        memcpy(&x, &qnan, sizeof x);
    }
    return x;
}

static float clg_clampf(float x, float lo, float hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

static float clg_unary(int32_t op, float x, float p0, float p1)
{
    switch (op)
    {
    case CLG_ABS:
        return fabsf(x);
    case CLG_NEG:
        return -x;
    case CLG_EXP:
        return clg_expf(x);
    case CLG_LOG:
        return clg_logf(x);
    case CLG_SQRT:
        return clg_sqrtf(x);
    case CLG_RELU:
        return x > 0.0f ? x : 0.0f;
    case CLG_SIGMOID:
        return clg_sigmoidf(x);
    case CLG_TANH:
        return clg_tanhf(x);
    case CLG_SILU:
        return x * clg_sigmoidf(x);
    case CLG_HARDSWISH:
        return (x * clg_clampf(x + 3.0f, 0.0f, 6.0f)) / 6.0f;
    case CLG_HARDSIGMOID:
        return clg_clampf(x / 6.0f + 0.5f, 0.0f, 1.0f);
    case CLG_LEAKY_RELU:
        return x >= 0.0f ? x : x * p0;
    case CLG_HARDTANH:
        return clg_clampf(x, p0, p1);
    default:
        return x;
    }
}

void clg_hypot_f32(const float *a, const float *b, float *y, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        const float re = a[i];
        const float im = b[i];
        y[i] = clg_canon(clg_sqrtf(re * re + im * im));
    }
}

void clg_unary_f32(int32_t op, const float *in, float *out, int32_t n, float p0, float p1)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        out[i] = clg_canon(clg_unary(op, in[i], p0, p1));
    }
}

static float clg_binary(int32_t op, float a, float b)
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
        return clg_powf(a, b);
    case CLG_MAXIMUM:
        return (a != a || b != b) ? (a + b) : (a > b ? a : b);
    case CLG_MINIMUM:
        return (a != a || b != b) ? (a + b) : (a < b ? a : b);
    default:
        return a;
    }
}

#define CLG_FLOAT_MAX_DIMS 8

/* One more output dim (of size > 1, element stride `step` in a row-major output) read with
 * `stride`: see clg_binary_f32. */
static int32_t clg_flat_state(int32_t state, int32_t stride, int32_t step)
{
    if (stride == step && (state == 2 || state == 1))
    {
        return 1;
    }
    if (stride == 0 && (state == 2 || state == 0))
    {
        return 0;
    }
    return -1;
}

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
    int32_t step = 1;
    /* per operand: 2 undecided (only size-1 dims so far), 1 read contiguously over the
     * output, 0 one broadcast value, -1 neither */
    int32_t a_flat = 2;
    int32_t b_flat = 2;
    for (k = ndim - 1; k >= 0; k--)
    {
        idx[k] = 0;
        total *= shape[k];
        if (shape[k] != 1)
        {
            a_flat = clg_flat_state(a_flat, a_strides[k], step);
            b_flat = clg_flat_state(b_flat, b_strides[k], step);
            step *= shape[k];
        }
    }
    if (a_flat >= 0 && b_flat >= 0)
    {
        /* the common case (same shapes, or one operand a single value): one flat loop */
        const int32_t sa = a_flat == 0 ? 0 : 1;
        const int32_t sb = b_flat == 0 ? 0 : 1;
        for (o = 0; o < total; o++)
        {
            out[o] = clg_canon(clg_binary(op, a[o * sa], b[o * sb]));
        }
        return;
    }
    for (o = 0; o < total; o++)
    {
        out[o] = clg_canon(clg_binary(op, a[ao], b[bo]));
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
        float acc = 0.0f;
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
            acc = acc + in[pos];
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
        out[o] = clg_canon(acc / (float)n_red);
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
            const float *x = in + o * len * inner + i;
            float *y = out + o * len * inner + i;
            float m = -HUGE_VALF;
            float sum = 0.0f;
            for (k = 0; k < len; k++)
            {
                const float v = x[k * inner];
                m = (v > m || v != v) ? v : m;
            }
            if (is_log)
            {
                float ls;
                for (k = 0; k < len; k++)
                {
                    sum = sum + clg_expf(x[k * inner] - m);
                }
                ls = clg_logf(sum);
                for (k = 0; k < len; k++)
                {
                    y[k * inner] = clg_canon((x[k * inner] - m) - ls);
                }
            }
            else
            {
                /* Each exponential once (the dearest part in soft float): kept in y until the sum
                 * is known. y[k] is written only after x[k] is read, so in may equal out. */
                for (k = 0; k < len; k++)
                {
                    const float e = clg_expf(x[k * inner] - m);
                    y[k * inner] = e;
                    sum = sum + e;
                }
                for (k = 0; k < len; k++)
                {
                    y[k * inner] = clg_canon(y[k * inner] / sum);
                }
            }
        }
    }
}

void clg_softmax_s8_f32(const int8_t *in, float *out, int32_t outer, int32_t len, int32_t inner, const float *table)
{
    int32_t r;
    int32_t k;
    /* The row's exponentials are table[qmax - q]: no exp at run time (an exp is ~900
     * instructions in soft float), only one add and one divide per element. Row r of
     * [outer][len][inner] starts at (r / inner) * len * inner + r % inner, stride inner. */
    for (r = 0; r < outer * inner; r++)
    {
        const int32_t base = (r / inner) * len * inner + r % inner;
        const int8_t *q = in + base;
        float *y = out + base;
        int32_t m = -128;
        float sum = 0.0f;
        for (k = 0; k < len; k++)
        {
            m = q[k * inner] > m ? q[k * inner] : m;
        }
        for (k = 0; k < len; k++)
        {
            sum = sum + table[m - q[k * inner]];
        }
        for (k = 0; k < len; k++)
        {
            y[k * inner] = table[m - q[k * inner]] / sum;
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
        for (m = 0; m < M; m++)
        {
            for (n = 0; n < N; n++)
            {
                float acc = 0.0f;
                for (k = 0; k < K; k++)
                {
                    acc = acc + a[ao + m * K + k] * b[bo + k * N + n];
                }
                out[bi * M * N + m * N + n] = clg_canon(acc);
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
            float acc = bias ? bias[o] : 0.0f;
            for (k = 0; k < K; k++)
            {
                acc = acc + x[r * K + k] * w[o * K + k];
            }
            y[r * O + o] = clg_canon(acc);
        }
    }
}

/*
 * Without an FPU (Cortex-M3, M0+) every float multiply and add is a library call of
 * dozens of instructions. A term v * w with v = +-0 and a finite w is +-0, and adding
 * +-0 leaves a nonzero sum unchanged, so when v is zero and no accumulator is zero
 * (a zero sum could change its sign) the four products can be skipped with the same
 * result, bit for bit, provided the weights are finite (the caller says so: constant
 * weights checked by the emitter). The LSTM input often holds exact zeros (ReLU
 * outputs). With an FPU the test costs more than it saves.
 */
#if defined(__arm__) && !defined(__ARM_FP)
#define CLG_SOFT_FLOAT 1
static uint32_t clg_magnitude(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u << 1;
}

static int clg_skip_zero(int32_t finite, float v, float a0, float a1, float a2, float a3)
{
    return finite && clg_magnitude(v) == 0u && clg_magnitude(a0) != 0u && clg_magnitude(a1) != 0u && clg_magnitude(a2) != 0u &&
           clg_magnitude(a3) != 0u;
}
#else
#define CLG_SOFT_FLOAT 0
#endif

/*
 * acc[j] += sum_k v[k] rows[j n + k] (k ascending) for the four consecutive rows of length n:
 * the four sums share the loads of v, and each keeps its own order.
 */
static inline void clg_dot4(const float *v, const float *rows, int32_t n, float *acc, int32_t finite)
{
    const float *w0 = rows;
    const float *w1 = w0 + n;
    const float *w2 = w1 + n;
    const float *w3 = w2 + n;
    float a0 = acc[0];
    float a1 = acc[1];
    float a2 = acc[2];
    float a3 = acc[3];
    int32_t k;
#if !CLG_SOFT_FLOAT
    (void)finite;
#endif
    for (k = 0; k < n; k++)
    {
        const float x = v[k];
#if CLG_SOFT_FLOAT
        if (clg_skip_zero(finite, x, a0, a1, a2, a3))
        {
            continue;
        }
#endif
        a0 = a0 + x * w0[k];
        a1 = a1 + x * w1[k];
        a2 = a2 + x * w2[k];
        a3 = a3 + x * w3[k];
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

/*
 * One step's gate pre-activations for one batch row: gates[g] = (B[g] + B[4H+g])
 * + sum_k x[k] W[g][k] + sum_k h[k] R[g][k], each sum in k order, four gates at a
 * time (4H is a multiple of 4).
 */
static void clg_lstm_gates(const float *x, const float *h, const float *W, const float *R, const float *B, float *gates,
                           int32_t I, int32_t H, int32_t finite)
{
    const int32_t G = 4 * H;
    int32_t g;
    int32_t j;
    for (g = 0; g < G; g += 4)
    {
        for (j = 0; j < 4; j++)
        {
            gates[g + j] = B ? B[g + j] + B[G + g + j] : 0.0f;
        }
        clg_dot4(x, W + g * I, I, gates + g, finite);
        clg_dot4(h, R + g * H, H, gates + g, finite);
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
                  int32_t weights_finite,
                  float *work)
{
    float *const h = work;
    float *const c = h + N * H;
    float *const h_new = c + N * H;
    float *const gates = h_new + N * H;
    int32_t t;
    int32_t n;
    int32_t k;
    int32_t j;
    for (k = 0; k < N * H; k++)
    {
        h[k] = h0 ? h0[k] : 0.0f;
        c[k] = c0 ? c0[k] : 0.0f;
    }
    for (t = 0; t < S; t++)
    {
        for (n = 0; n < N; n++)
        {
            clg_lstm_gates(X + (t * N + n) * I, h + n * H, W, R, B, gates, I, H, weights_finite);
            for (j = 0; j < H; j++)
            {
                const float it = clg_sigmoidf(gates[j]);
                const float ot = clg_sigmoidf(gates[H + j]);
                const float ft = clg_sigmoidf(gates[2 * H + j]);
                const float ct = clg_tanhf(gates[3 * H + j]);
                const float cell = ft * c[n * H + j] + it * ct;
                c[n * H + j] = cell;
                h_new[n * H + j] = ot * clg_tanhf(cell);
            }
        }
        for (k = 0; k < N * H; k++)
        {
            h[k] = h_new[k];
            Y[t * N * H + k] = clg_canon(h[k]);
        }
    }
    for (k = 0; k < N * H; k++)
    {
        Yh[k] = clg_canon(h[k]);
        Yc[k] = clg_canon(c[k]);
    }
}
