/*
 * cmsis-lower: makes the arm_lstm_unidirectional_s8 / _s16 conformance vectors from a CMSIS-NN build and prints
 * them as JSON on stdout. It only uses the public API, so the same driver links against the real library
 * (the vectors' source of truth) or against the project's portable subset (csrc/cmsis_nn_portable), and
 * test/vectors/lstm/vectors.test.ts checks that both print the committed vectors.json byte for byte.
 *
 * Every case runs the kernel TWICE on the same cell/hidden state buffers: this snapshot keeps the state in
 * cmsis_nn_lstm_context (hidden_state is read before the first step and overwritten with the last step's
 * output, cell_state is updated in place), which is how a streaming model carries it between frames. One
 * case per precision passes hidden_state = NULL (the library then zeroes the cell and skips the recurrent
 * product on the first step).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm_nnfunctions.h"

#define MAX_IN 600
#define MAX_HID 24
#define MAX_BATCH 2
#define MAX_STEPS 4

typedef struct
{
    int s16;         /* 0: int8 input/hidden, 1: int16 */
    int time_major;  /* 1: [time, batch, size], 0: [batch, time, size] */
    int batch;
    int steps;
    int input_size;
    int hidden_size;
    int cell_scale_power; /* cell state scale 2^power; tanh(cell) is read with left shift power + 12 */
    int cell_clip;        /* 0: no clip (full int16) */
    int hidden_null;      /* 1: pass hidden_state = NULL */
    int acc_shift;        /* gate pre-activation requantize shift, chosen so the gates use the Q3.12 range */
} lstm_case_t;

/* Shapes cover the 3-row unroll of the s8 product (rows % 3 = 0, 1, 2), the 2-row/4-column DSP unroll of the
 * s16 product (odd rows and columns), more than MAX_COL_COUNT (512) input columns for s16, batch 2 in both
 * layouts, one and several time steps, cell scales whose tanh left shift is positive, zero and negative. */
static const lstm_case_t CASES[] = {
    {0, 1, 1, 1, 3, 2, -11, 0, 0, -3},   {0, 1, 1, 3, 7, 5, -11, 0, 0, -4},  {0, 1, 1, 2, 16, 9, -12, 0, 0, -5},
    {0, 1, 1, 4, 10, 12, -9, 0, 0, -5},  {0, 1, 1, 1, 33, 7, -14, 0, 0, -6}, {0, 1, 1, 3, 8, 6, -11, 2500, 0, -4},
    {0, 1, 2, 2, 5, 4, -11, 0, 0, -3},   {0, 0, 2, 3, 6, 5, -12, 0, 0, -4},  {0, 1, 1, 2, 9, 8, -11, 0, 1, -4},
    {1, 1, 1, 1, 3, 2, -11, 0, 0, -11},  {1, 1, 1, 3, 7, 5, -11, 0, 0, -12}, {1, 1, 1, 2, 16, 9, -12, 0, 0, -13},
    {1, 1, 1, 4, 10, 12, -9, 0, 0, -13}, {1, 1, 1, 1, 33, 7, -14, 0, 0, -14}, {1, 1, 1, 2, 8, 6, -11, 2500, 0, -12},
    {1, 1, 1, 1, 530, 3, -11, 0, 0, -17}, {1, 1, 2, 2, 5, 4, -11, 0, 0, -11}, {1, 0, 2, 3, 6, 5, -12, 0, 0, -12},
    {1, 1, 1, 2, 9, 8, -11, 0, 1, -12},
};

static uint32_t rng_state = 0x6C078965u;

static uint32_t next_u32(void)
{
    /* xorshift32: the same sequence on every host and core, so the vectors are reproducible byte for byte. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static int32_t rand_range(int32_t lo, int32_t hi)
{
    return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1));
}

static void print_i32(const char *key, const int32_t *x, int32_t n)
{
    int32_t i;
    printf("\"%s\":[", key);
    for (i = 0; i < n; i++)
        printf(i ? ",%ld" : "%ld", (long)x[i]);
    printf("]");
}

/* Decimal digits by hand: newlib-nano's printf (the QEMU builds) has no %lld. */
static void print_int64(int64_t v)
{
    char buf[24];
    int pos = 23;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    buf[pos] = 0;
    do
    {
        buf[--pos] = (char)('0' + (int)(u % 10u));
        u /= 10u;
    } while (u);
    if (v < 0)
        buf[--pos] = '-';
    printf("%s", &buf[pos]);
}

static void print_i64(const char *key, const int64_t *x, int32_t n)
{
    int32_t i;
    printf("\"%s\":[", key);
    for (i = 0; i < n; i++)
    {
        if (i)
            printf(",");
        print_int64(x[i]);
    }
    printf("]");
}

static void print_i16(const char *key, const int16_t *x, int32_t n)
{
    int32_t i;
    printf("\"%s\":[", key);
    for (i = 0; i < n; i++)
        printf(i ? ",%d" : "%d", (int)x[i]);
    printf("]");
}

static void print_i8(const char *key, const int8_t *x, int32_t n)
{
    int32_t i;
    printf("\"%s\":[", key);
    for (i = 0; i < n; i++)
        printf(i ? ",%d" : "%d", (int)x[i]);
    printf("]");
}

/* Storage of one gate: weights are int8 in both precisions; effective biases are int32 (s8) or int64 (s16). */
typedef struct
{
    int8_t in_w[MAX_HID * MAX_IN];
    int8_t hid_w[MAX_HID * MAX_HID];
    int32_t in_b32[MAX_HID], hid_b32[MAX_HID];
    int64_t in_b64[MAX_HID], hid_b64[MAX_HID];
} gate_store_t;

static gate_store_t stores[4];
static int8_t in8[2][MAX_STEPS * MAX_BATCH * MAX_IN], out8[MAX_STEPS * MAX_BATCH * MAX_HID], hid8[MAX_BATCH * MAX_HID];
static int16_t in16[2][MAX_STEPS * MAX_BATCH * MAX_IN], out16[MAX_STEPS * MAX_BATCH * MAX_HID], hid16[MAX_BATCH * MAX_HID];
static int16_t cell[MAX_BATCH * MAX_HID], temp1[MAX_BATCH * MAX_HID], temp2[MAX_BATCH * MAX_HID];

/* Random gate data and a requantize multiplier/shift; the activation is sigmoid except for the cell gate. */
static void make_gate(const lstm_case_t *c, gate_store_t *s, cmsis_nn_lstm_gate *g, arm_nn_activation_type act)
{
    int32_t i, H = c->hidden_size, I = c->input_size;
    for (i = 0; i < H * I; i++)
        s->in_w[i] = (int8_t)rand_range(-127, 127);
    for (i = 0; i < H * H; i++)
        s->hid_w[i] = (int8_t)rand_range(-127, 127);
    for (i = 0; i < H; i++)
    {
        s->in_b32[i] = rand_range(-20000, 20000);
        s->hid_b32[i] = rand_range(-20000, 20000);
        s->in_b64[i] = (int64_t)rand_range(-2000000, 2000000) * 64;
        s->hid_b64[i] = (int64_t)rand_range(-2000000, 2000000) * 64;
    }
    g->input_multiplier = rand_range(0x40000000, 0x7FFFFFFF);
    g->input_shift = c->acc_shift + rand_range(-1, 1);
    g->hidden_multiplier = rand_range(0x40000000, 0x7FFFFFFF);
    g->hidden_shift = c->acc_shift + rand_range(-1, 1);
    g->input_weights = s->in_w;
    g->hidden_weights = s->hid_w;
    g->input_effective_bias = c->s16 ? (const void *)s->in_b64 : (const void *)s->in_b32;
    g->hidden_effective_bias = c->s16 ? (const void *)s->hid_b64 : (const void *)s->hid_b32;
    g->bias = NULL;
    g->activation_type = act;
}

static void print_gate(const char *name, const lstm_case_t *c, const gate_store_t *s, const cmsis_nn_lstm_gate *g)
{
    int32_t H = c->hidden_size, I = c->input_size;
    printf("\"%s\":{\"input_multiplier\":%ld,\"input_shift\":%ld,\"hidden_multiplier\":%ld,\"hidden_shift\":%ld,", name,
           (long)g->input_multiplier, (long)g->input_shift, (long)g->hidden_multiplier, (long)g->hidden_shift);
    printf("\"activation\":\"%s\",", g->activation_type == ARM_SIGMOID ? "sigmoid" : "tanh");
    print_i8("input_weights", s->in_w, H * I);
    printf(",");
    print_i8("hidden_weights", s->hid_w, H * H);
    printf(",");
    if (c->s16)
    {
        print_i64("input_effective_bias", s->in_b64, H);
        printf(",");
        print_i64("hidden_effective_bias", s->hid_b64, H);
    }
    else
    {
        print_i32("input_effective_bias", s->in_b32, H);
        printf(",");
        print_i32("hidden_effective_bias", s->hid_b32, H);
    }
    printf("}");
}

static int run_case(const lstm_case_t *c)
{
    cmsis_nn_lstm_params p;
    cmsis_nn_lstm_context ctx;
    const int32_t B = c->batch, T = c->steps, I = c->input_size, H = c->hidden_size;
    int32_t i, call;

    memset(&p, 0, sizeof(p));
    p.time_major = c->time_major;
    p.batch_size = B;
    p.time_steps = T;
    p.input_size = I;
    p.hidden_size = H;
    p.input_offset = 0; /* folded into the effective biases; the kernels do not read it */
    /* forget (Q0.15) x cell (2^power) -> cell: real scale 2^-15; input (Q0.15) x cell gate (Q0.15) -> cell:
     * 2^(-30 - power); a random nudge of the multiplier keeps the rounding paths honest. */
    p.forget_to_cell_multiplier = 0x40000000 + rand_range(0, 0x3FFFFFFF);
    p.forget_to_cell_shift = -14;
    p.input_to_cell_multiplier = 0x40000000 + rand_range(0, 0x3FFFFFFF);
    p.input_to_cell_shift = -29 - c->cell_scale_power;
    p.cell_clip = c->cell_clip;
    p.cell_scale_power = c->cell_scale_power;
    p.output_multiplier = rand_range(0x40000000, 0x7FFFFFFF);
    p.output_shift = c->s16 ? rand_range(-16, -14) : rand_range(-23, -21);
    p.output_offset = c->s16 ? 0 : rand_range(-20, 20);
    make_gate(c, &stores[0], &p.forget_gate, ARM_SIGMOID);
    make_gate(c, &stores[1], &p.input_gate, ARM_SIGMOID);
    make_gate(c, &stores[2], &p.cell_gate, ARM_TANH);
    make_gate(c, &stores[3], &p.output_gate, ARM_SIGMOID);

    for (call = 0; call < 2; call++)
        for (i = 0; i < T * B * I; i++)
        {
            in8[call][i] = (int8_t)rand_range(-128, 127);
            in16[call][i] = (int16_t)rand_range(-32768, 32767);
        }
    for (i = 0; i < B * H; i++)
    {
        hid8[i] = (int8_t)rand_range(-128, 127);
        hid16[i] = (int16_t)rand_range(-32768, 32767);
        cell[i] = (int16_t)rand_range(-12000, 12000);
    }

    printf("{\"type\":\"%s\",\"time_major\":%d,\"batch_size\":%d,\"time_steps\":%d,\"input_size\":%d,\"hidden_size\":%d,",
           c->s16 ? "s16" : "s8", c->time_major, B, T, I, H);
    printf("\"forget_to_cell_multiplier\":%ld,\"forget_to_cell_shift\":%ld,\"input_to_cell_multiplier\":%ld,"
           "\"input_to_cell_shift\":%ld,\"cell_clip\":%ld,\"cell_scale_power\":%ld,\"output_multiplier\":%ld,"
           "\"output_shift\":%ld,\"output_offset\":%ld,\"hidden_null\":%s,",
           (long)p.forget_to_cell_multiplier, (long)p.forget_to_cell_shift, (long)p.input_to_cell_multiplier,
           (long)p.input_to_cell_shift, (long)p.cell_clip, (long)p.cell_scale_power, (long)p.output_multiplier,
           (long)p.output_shift, (long)p.output_offset, c->hidden_null ? "true" : "false");
    print_gate("forget_gate", c, &stores[0], &p.forget_gate);
    printf(",");
    print_gate("input_gate", c, &stores[1], &p.input_gate);
    printf(",");
    print_gate("cell_gate", c, &stores[2], &p.cell_gate);
    printf(",");
    print_gate("output_gate", c, &stores[3], &p.output_gate);
    printf(",");
    if (c->s16)
        print_i16("initial_hidden", hid16, B * H);
    else
        print_i8("initial_hidden", hid8, B * H);
    printf(",");
    print_i16("initial_cell", cell, B * H);
    printf(",\"calls\":[");

    ctx.temp1 = temp1;
    ctx.temp2 = temp2;
    ctx.cell_state = cell;
    ctx.hidden_state = c->hidden_null ? NULL : (c->s16 ? (void *)hid16 : (void *)hid8);
    for (call = 0; call < 2; call++)
    {
        arm_cmsis_nn_status st = c->s16 ? arm_lstm_unidirectional_s16(in16[call], out16, &p, &ctx)
                                        : arm_lstm_unidirectional_s8(in8[call], out8, &p, &ctx);
        if (st != ARM_CMSIS_NN_SUCCESS)
            return 0;
        printf(call ? ",{" : "{");
        if (c->s16)
        {
            print_i16("input", in16[call], T * B * I);
            printf(",");
            print_i16("output", out16, T * B * H);
            printf(",");
            print_i16("hidden_after", hid16, B * H);
        }
        else
        {
            print_i8("input", in8[call], T * B * I);
            printf(",");
            print_i8("output", out8, T * B * H);
            printf(",");
            print_i8("hidden_after", hid8, B * H);
        }
        printf(",");
        print_i16("cell_after", cell, B * H);
        printf("}");
    }
    printf("]}");
    return 1;
}

int main(void)
{
    size_t k;
    printf("{\"cases\":[\n");
    for (k = 0; k < sizeof(CASES) / sizeof(CASES[0]); k++)
    {
        if (k)
            printf(",\n");
        if (!run_case(&CASES[k]))
        {
            fprintf(stderr, "case %u: kernel returned an error\n", (unsigned)k);
            return 1;
        }
    }
    printf("\n]}\n");
    return 0;
}
