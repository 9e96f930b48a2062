/*
 * cmsis-lower: makes the int16 (16x8) kernel vectors from the real CMSIS-NN: arm_fully_connected_s16,
 * arm_elementwise_add_s16, arm_elementwise_mul_s16, arm_nn_activation_s16 (sigmoid, tanh) and arm_softmax_s16.
 * Build on the host against a CMSIS-NN checkout and print the JSON to stdout (test/vectors/s16/vectors.test.ts
 * does this, lists the sources, and compares with the committed vectors.json):
 *   cc -std=c99 -I$NN/Include make_vectors.c <the kernels' sources> -lm -o make_vectors && ./make_vectors
 * Built against the project's portable subset (csrc/cmsis_nn_portable) it must print the same file.
 *
 * Besides the outputs it prints the library's sigmoid_table_uint16 and the two softmax tables. CMSIS-NN defines
 * those (513 int16 entries: exp on [-10, 0] and 1/(1+x) on [0, 1], output range [-1, 1)) but leaves making them
 * to the caller; they are made here the way TFLite Micro makes them (gen_lut, float), so the TS twin's own
 * tables are checked against an independent C build of the same definition.
 *
 * Parameters come from random scales the way TFLite Micro derives them (QuantizeMultiplier), plus hand-picked
 * edge cases: saturating outputs, narrowed activation ranges, positive and negative shifts, odd lengths, a fully
 * connected depth above 512 (the DSP/MVE builds switch to a 64-bit tail there) and inputs at the int16 ends.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "arm_nnfunctions.h"

/* The library's interpolation table (arm_nntables.c; the portable subset defines the same symbol). */
extern const uint16_t sigmoid_table_uint16[256];

#define MAXN 8192

static uint32_t rng_state = 0x1F123BB5u;

static uint32_t next_u32(void)
{
    /* xorshift32: a fixed sequence on every host and core, so the file is reproducible byte for byte. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Uniform in [lo, hi] (inclusive), lo < hi, span below 2^32. */
static int32_t uniform(int32_t lo, int32_t hi)
{
    return (int32_t)((int64_t)lo + (int64_t)(next_u32() % (uint32_t)((int64_t)hi - lo + 1)));
}

/* A scale 2^e · (1 + frac), e uniform in [lo_exp, hi_exp]: covers several binades so shifts vary. */
static double random_scale(int lo_exp, int hi_exp)
{
    const double frac = (double)(next_u32() % 1000000u) / 1000000.0;
    return ldexp(1.0 + frac, uniform(lo_exp, hi_exp));
}

/* TFLite's QuantizeMultiplier: real = m · 2^(shift − 31), m in [2^30, 2^31), rounded half away from zero. */
static void quantize_multiplier(double real, int32_t *mult, int32_t *shift)
{
    int e;
    double q;
    long long m;
    if (real == 0.0)
    {
        *mult = 0;
        *shift = 0;
        return;
    }
    q = frexp(real, &e);
    m = (long long)round(q * 2147483648.0);
    if (m == 2147483648LL)
    {
        m /= 2;
        e++;
    }
    if (e < -31)
    {
        m = 0;
        e = 0;
    }
    *mult = (int32_t)m;
    *shift = e;
}

static int first_case = 1;

static void begin_case(const char *fn)
{
    printf("%s{\"function\":\"%s\"", first_case ? "" : ",\n", fn);
    first_case = 0;
}

static void print_int(const char *key, int32_t v)
{
    printf(",\"%s\":%ld", key, (long)v);
}

/* int64 in decimal without %lld (newlib-nano's printf on the Cortex-M builds has no long long). */
static void print_i64(int64_t v)
{
    char digits[24];
    int n = 0;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
    {
        digits[n++] = (char)('0' + (int)(mag % 10u));
        mag /= 10u;
    } while (mag != 0u);
    if (v < 0)
    {
        putchar('-');
    }
    while (n > 0)
    {
        putchar(digits[--n]);
    }
}

static void print_s16(const char *key, const int16_t *x, int32_t n)
{
    int32_t i;
    printf(",\"%s\":[", key);
    for (i = 0; i < n; i++)
    {
        printf(i ? ",%d" : "%d", (int)x[i]);
    }
    printf("]");
}

static void print_s8(const char *key, const int8_t *x, int32_t n)
{
    int32_t i;
    printf(",\"%s\":[", key);
    for (i = 0; i < n; i++)
    {
        printf(i ? ",%d" : "%d", (int)x[i]);
    }
    printf("]");
}

static void print_s64(const char *key, const int64_t *x, int32_t n)
{
    int32_t i;
    printf(",\"%s\":[", key);
    for (i = 0; i < n; i++)
    {
        if (i)
        {
            putchar(',');
        }
        print_i64(x[i]);
    }
    printf("]");
}

/* int16 samples: uniform within +-amp, with the int16 ends every 11th place (saturation paths). */
static void fill_s16(int16_t *x, int32_t n, int32_t amp)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        x[i] = (int16_t)uniform(-amp, amp > 32767 ? 32767 : amp);
        if (i % 11 == 5)
        {
            x[i] = (int16_t)((i / 11) % 2 ? 32767 : -32768);
        }
    }
}

static void fill_s8(int8_t *x, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        x[i] = (int8_t)uniform(-127, 127);
    }
}

/* ---- arm_fully_connected_s16 ---- */

static void fc_case(int32_t batches, int32_t depth, int32_t out_depth, double real_scale, int with_bias, int32_t act_min,
                    int32_t act_max, int32_t amp)
{
    static int16_t in[MAXN], out[MAXN];
    static int8_t w[MAXN];
    static int64_t bias[256];
    cmsis_nn_context ctx = {NULL, 0};
    cmsis_nn_fc_params fp;
    cmsis_nn_per_tensor_quant_params qp;
    cmsis_nn_dims in_d = {batches, 1, 1, depth}, f_d = {depth, 1, 1, out_depth}, b_d = {1, 1, 1, out_depth},
                  o_d = {batches, 1, 1, out_depth};
    int32_t i;
    fill_s16(in, batches * depth, amp);
    fill_s8(w, depth * out_depth);
    for (i = 0; i < out_depth; i++)
    {
        /* int64 bias up to +-2^38: beyond int32 (as the 16x8 scheme allows) yet exact as a JSON number. */
        bias[i] = ((int64_t)uniform(-(1 << 30), 1 << 30)) * (i % 3 == 0 ? 256 : 1);
    }
    quantize_multiplier(real_scale, &qp.multiplier, &qp.shift);
    fp.input_offset = 0;
    fp.filter_offset = 0;
    fp.output_offset = 0;
    fp.activation.min = act_min;
    fp.activation.max = act_max;
    if (arm_fully_connected_s16(&ctx, &fp, &qp, &in_d, in, &f_d, w, &b_d, with_bias ? bias : NULL, &o_d, out) !=
        ARM_CMSIS_NN_SUCCESS)
    {
        fprintf(stderr, "arm_fully_connected_s16 failed\n");
        exit(1);
    }
    begin_case("arm_fully_connected_s16");
    print_int("batches", batches);
    print_int("depth", depth);
    print_int("out_depth", out_depth);
    print_int("multiplier", qp.multiplier);
    print_int("shift", qp.shift);
    print_int("activation_min", act_min);
    print_int("activation_max", act_max);
    print_s16("input", in, batches * depth);
    print_s8("weights", w, depth * out_depth);
    if (with_bias)
    {
        print_s64("bias", bias, out_depth);
    }
    print_s16("expected_output", out, batches * out_depth);
    printf("}");
}

/* ---- arm_elementwise_add_s16 / arm_elementwise_mul_s16 ---- */

static void add_case(int32_t n, double s1, double s2, double s_out, int32_t act_min, int32_t act_max)
{
    static int16_t a[MAXN], b[MAXN], out[MAXN];
    /* TFLite Micro's int16 ADD: both inputs rescaled to twice the larger scale after a 15-bit left shift. */
    const int32_t left_shift = 15;
    const double twice_max = 2.0 * (s1 > s2 ? s1 : s2);
    int32_t m1, sh1, m2, sh2, mo, sho;
    quantize_multiplier(s1 / twice_max, &m1, &sh1);
    quantize_multiplier(s2 / twice_max, &m2, &sh2);
    quantize_multiplier(twice_max / ((double)(1 << left_shift) * s_out), &mo, &sho);
    fill_s16(a, n, 32767);
    fill_s16(b, n, 20000);
    arm_elementwise_add_s16(a, b, 0, m1, sh1, 0, m2, sh2, left_shift, out, 0, mo, sho, act_min, act_max, n);
    begin_case("arm_elementwise_add_s16");
    print_int("size", n);
    print_int("input_1_mult", m1);
    print_int("input_1_shift", sh1);
    print_int("input_2_mult", m2);
    print_int("input_2_shift", sh2);
    print_int("left_shift", left_shift);
    print_int("out_mult", mo);
    print_int("out_shift", sho);
    print_int("activation_min", act_min);
    print_int("activation_max", act_max);
    print_s16("input_1", a, n);
    print_s16("input_2", b, n);
    print_s16("expected_output", out, n);
    printf("}");
}

static void mul_case(int32_t n, double real_scale, int32_t act_min, int32_t act_max)
{
    static int16_t a[MAXN], b[MAXN], out[MAXN];
    int32_t mo, sho;
    quantize_multiplier(real_scale, &mo, &sho);
    fill_s16(a, n, 32767);
    fill_s16(b, n, 9000);
    arm_elementwise_mul_s16(a, b, 0, 0, out, 0, mo, sho, act_min, act_max, n);
    begin_case("arm_elementwise_mul_s16");
    print_int("size", n);
    print_int("out_mult", mo);
    print_int("out_shift", sho);
    print_int("activation_min", act_min);
    print_int("activation_max", act_max);
    print_s16("input_1", a, n);
    print_s16("input_2", b, n);
    print_s16("expected_output", out, n);
    printf("}");
}

/* ---- arm_nn_activation_s16 ---- */

static void activation_case(arm_nn_activation_type type, int32_t left_shift, int32_t stride, int32_t offset)
{
    static int16_t in[MAXN], out[MAXN];
    int32_t n = 0, v;
    /* Every stride-th int16 from -32768 (shifted by offset), then both ends: the whole transfer curve. */
    for (v = -32768 + offset; v <= 32767 && n < MAXN - 2; v += stride)
    {
        in[n++] = (int16_t)v;
    }
    in[n++] = -32768;
    in[n++] = 32767;
    arm_nn_activation_s16(in, out, n, left_shift, type);
    begin_case(type == ARM_SIGMOID ? "arm_nn_activation_s16_sigmoid" : "arm_nn_activation_s16_tanh");
    print_int("left_shift", left_shift);
    print_s16("input", in, n);
    print_s16("expected_output", out, n);
    printf("}");
}

/* ---- arm_softmax_s16 and its tables ---- */

static float exp_f(float x)
{
    return expf(x);
}

static float one_over_one_plus_x(float x)
{
    return 1.0f / (1.0f + x);
}

static float round_away(float x)
{
    return roundf(x);
}

/*
 * TFLite's gen_lut for int16 in and out, output range [-1, 1): 512 steps over [in_min, in_max]; each entry is
 * the rounded sample minus half (rounded) of the error linear interpolation makes at the step's midpoint, so the
 * interpolated curve is centred on the function; entry 512 is the rounded end value.
 */
static void gen_lut_s16(float (*func)(float), float in_min, float in_max, int16_t *lut)
{
    const int steps = 512;
    const float step = (in_max - in_min) / steps;
    const float half_step = step / 2;
    const float scale = 32768.0f;
    int i;
    for (i = 0; i < steps; i++)
    {
        const float val = func(in_min + i * step);
        const float val_mid = func(in_min + i * step + half_step);
        const float val_next = func(in_min + (i + 1) * step);
        const float sample = round_away(val * scale);
        const float mid_interp = round_away((val_next * scale + round_away(val * scale)) / 2);
        const float mid_val = round_away(val_mid * scale);
        const float bias = round_away((mid_interp - mid_val) / 2);
        const float v = sample - bias;
        lut[i] = (int16_t)(v < -32768.0f ? -32768.0f : v > 32767.0f ? 32767.0f : v);
    }
    {
        const float v = round_away(func(in_max) * scale);
        lut[steps] = (int16_t)(v < -32768.0f ? -32768.0f : v > 32767.0f ? 32767.0f : v);
    }
}

static int16_t exp_lut[513], one_by_one_lut[513];

static void softmax_case(int32_t rows, int32_t row_size, double input_scale, int32_t amp)
{
    static int16_t in[MAXN], out[MAXN];
    cmsis_nn_softmax_lut_s16 luts;
    int32_t mult, shift;
    /* TFLite Micro: the diff to the row max, scaled so that -65535 is -10 (beta = 1). */
    quantize_multiplier(input_scale / (10.0 / 65535.0), &mult, &shift);
    fill_s16(in, rows * row_size, amp);
    luts.exp_lut = exp_lut;
    luts.one_by_one_lut = one_by_one_lut;
    if (arm_softmax_s16(in, rows, row_size, mult, shift, &luts, out) != ARM_CMSIS_NN_SUCCESS)
    {
        fprintf(stderr, "arm_softmax_s16 failed\n");
        exit(1);
    }
    begin_case("arm_softmax_s16");
    print_int("rows", rows);
    print_int("row_size", row_size);
    print_int("mult", mult);
    print_int("shift", shift);
    print_s16("input", in, rows * row_size);
    print_s16("expected_output", out, rows * row_size);
    printf("}");
}

int main(void)
{
    int32_t i;
    gen_lut_s16(exp_f, -10.0f, 0.0f, exp_lut);
    gen_lut_s16(one_over_one_plus_x, 0.0f, 1.0f, one_by_one_lut);
    printf("{\"_about\":\"int16 (16x8) kernel vectors made by test/vectors/s16/make_vectors.c from the real CMSIS-NN "
           "(../shared/third_party/CMSIS-NN); the softmax tables are made by the driver (TFLite Micro's gen_lut).\",\n");
    printf("\"sigmoid_table_uint16\":[");
    for (i = 0; i < 256; i++)
    {
        printf(i ? ",%u" : "%u", (unsigned)sigmoid_table_uint16[i]);
    }
    printf("],\n");
    first_case = 1;
    printf("\"softmax_luts\":{\"made_by\":\"gen_lut_s16\"");
    print_s16("exp_lut", exp_lut, 513);
    print_s16("one_by_one_lut", one_by_one_lut, 513);
    printf("},\n\"cases\":[\n");

    /* Fully connected: shapes incl. odd depths and rows (the 2- and 4-row unrolls), depth 600 > 512. */
    fc_case(1, 1, 1, 0.003, 1, -32768, 32767, 32767);
    fc_case(1, 7, 3, random_scale(-12, -6), 1, -32768, 32767, 32767);
    fc_case(2, 16, 5, random_scale(-12, -6), 0, -32768, 32767, 32767);
    fc_case(3, 33, 9, random_scale(-14, -8), 1, -32768, 32767, 32767);
    fc_case(1, 64, 16, random_scale(-14, -8), 1, -1000, 20000, 32767);
    fc_case(4, 21, 6, 0.5, 1, -32768, 32767, 300);      /* large scale: most outputs saturate */
    fc_case(1, 600, 4, random_scale(-16, -10), 1, -32768, 32767, 32767);
    fc_case(2, 5, 7, 3.0, 0, -32768, 32767, 40);        /* positive shift */
    fc_case(1, 9, 2, ldexp(1.3, -28), 1, -32768, 32767, 32767); /* a deep negative shift */

    /* Add: equal and unequal scales, output scales that amplify (positive shift) and shrink, odd sizes. */
    add_case(1, 0.001, 0.001, 0.002, -32768, 32767);
    /* The scales are drawn one statement at a time: C leaves the order of evaluating arguments open. */
    for (i = 0; i < 3; i++)
    {
        static const int32_t sizes[3] = {7, 33, 64};
        static const int32_t exps[3][6] = {{-12, -6, -12, -6, -12, -6}, {-12, -6, -12, -6, -14, -12}, {-10, -6, -14, -10, -10, -6}};
        const double s1 = random_scale(exps[i][0], exps[i][1]);
        const double s2 = random_scale(exps[i][2], exps[i][3]);
        const double so = random_scale(exps[i][4], exps[i][5]);
        add_case(sizes[i], s1, s2, so, i == 2 ? -12000 : -32768, i == 2 ? 30000 : 32767);
    }
    add_case(101, 0.0005, 0.004, 0.0001, -32768, 32767);  /* output scale far below the inputs: saturation */

    /* Mul: scales from s1·s2/s_out, small and large, negative and positive shifts. */
    mul_case(1, 0.0001, -32768, 32767);
    mul_case(9, random_scale(-16, -12), -32768, 32767);
    mul_case(40, random_scale(-20, -14), -32768, 32767);
    mul_case(77, random_scale(-10, -8), -20000, 20000); /* saturating */
    mul_case(33, 2.5, -32768, 32767);                   /* positive shift */

    /* Activation: every 7th (or 13th) int16 through both functions at several input scalings. */
    activation_case(ARM_SIGMOID, 0, 7, 0);
    activation_case(ARM_SIGMOID, 3, 13, 5);
    activation_case(ARM_SIGMOID, -2, 13, 2);
    activation_case(ARM_TANH, 0, 7, 3);
    activation_case(ARM_TANH, 2, 13, 1);
    activation_case(ARM_TANH, -1, 13, 6);

    /* Softmax: one element, odd rows, long rows, small scales (flat rows) and large ones (one-hot rows). */
    softmax_case(1, 1, 0.001, 32767);
    softmax_case(2, 3, 0.0003, 32767);
    softmax_case(3, 10, 0.0001, 32767);
    softmax_case(2, 33, random_scale(-16, -10), 32767);
    softmax_case(1, 100, 0.00001, 32767);
    softmax_case(4, 17, 0.01, 2000);
    softmax_case(1, 255, 0.0002, 32767);
    printf("\n]}\n");
    return 0;
}
