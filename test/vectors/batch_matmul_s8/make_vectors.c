/*
 * cmsis-lower: makes the arm_batch_matmul_s8 vectors (and arm_elementwise_add_s8 run as a subtraction,
 * input 2's multiplier negated) from the real CMSIS-NN. Build on the host and print the JSON to stdout:
 *   cc -std=c99 -I$NN/Include make_vectors.c $NN/Source/FullyConnectedFunctions/arm_batch_matmul_s8.c \
 *      $NN/Source/FullyConnectedFunctions/arm_vector_sum_s8.c $NN/Source/NNSupportFunctions/arm_nn_vec_mat_mult_t_s8.c \
 *      $NN/Source/BasicMathFunctions/arm_elementwise_add_s8.c -o make_vectors && ./make_vectors > vectors.json
 * (vectors.test.ts does exactly this, and links the same driver against the portable subset too: both must
 * print the committed file byte for byte).
 *
 * Batch matmul cases: lhs [n][h][rows][depth] times the transposed rhs [n][h][cols][depth], equal batch dims
 * (the lowering never broadcasts them), asymmetric offsets on both operands (two activations, as YOLO's
 * attention has), multipliers and shifts of both signs of shift, clamps narrower than int8.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arm_nnfunctions.h"

#define MAXN 4096

static uint32_t rng_state = 0x9E3779B9u;

static uint32_t next_u32(void)
{
    /* xorshift32: the same sequence on every host, so the file is reproducible byte for byte. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static int8_t next_s8(void) { return (int8_t)(next_u32() & 0xFFu); }
static int32_t next_range(int32_t lo, int32_t hi) { return lo + (int32_t)(next_u32() % (uint32_t)(hi - lo + 1)); }

static void print_array(const char *key, const int8_t *v, int32_t n, int last)
{
    int32_t i;
    printf("\"%s\": [", key);
    for (i = 0; i < n; i++) printf(i ? ",%d" : "%d", v[i]);
    printf("]%s", last ? "" : ", ");
}

typedef struct
{
    int32_t n, h, rows, cols, depth;
} bmm_case_t;

/* Shapes: single dot products, depths around the 4- and 16-lane unrolls, YOLO11n's two attention products
 * at 64x64 ([2][4][32]x[2][4][32] and [2][64][4]x[2][4][4]), both batch dims above one. */
static const bmm_case_t BMM[] = {
    {1, 1, 1, 1, 1},  {1, 1, 1, 1, 7},  {1, 1, 3, 5, 16}, {1, 2, 4, 4, 32}, {1, 2, 64, 4, 4},
    {2, 3, 5, 3, 9},  {1, 1, 7, 9, 33}, {3, 1, 2, 6, 20}, {1, 4, 8, 8, 64}, {2, 2, 3, 17, 5},
};

static int8_t lhs[MAXN], rhs[MAXN], out[MAXN], in1[MAXN], in2[MAXN];

int main(void)
{
    size_t c;
    int first = 1;
    printf("{\"batch_matmul\": [\n");
    for (c = 0; c < sizeof(BMM) / sizeof(BMM[0]); c++)
    {
        const bmm_case_t *k = &BMM[c];
        const int32_t batches = k->n * k->h;
        const int32_t nl = batches * k->rows * k->depth, nr = batches * k->cols * k->depth, no = batches * k->rows * k->cols;
        int32_t i;
        const int32_t act_min = (c % 3 == 2) ? -100 : -128, act_max = (c % 4 == 3) ? 90 : 127;
        int32_t log2_depth = 0;
        while ((1 << log2_depth) < k->depth) log2_depth++;
        const cmsis_nn_bmm_params params = {false, false,
                                            {next_range(-64, 64), next_range(-64, 64), next_range(-40, 40), {act_min, act_max}}};
        /* |acc| reaches about depth * 2^14: a shift that brings that near the int8 range, so few outputs clamp. */
        const cmsis_nn_per_tensor_quant_params quant = {next_range(1 << 30, 0x7FFFFFFF), -(7 + log2_depth) + next_range(-1, 1)};
        const cmsis_nn_dims ld = {k->n, k->h, k->rows, k->depth}, rd = {k->n, k->h, k->cols, k->depth};
        const cmsis_nn_dims od = {k->n, k->h, k->rows, k->cols};
        static int32_t buf[MAXN];
        const cmsis_nn_context ctx = {buf, (int32_t)sizeof(buf)};
        for (i = 0; i < nl; i++) lhs[i] = next_s8();
        for (i = 0; i < nr; i++) rhs[i] = next_s8();
        if (arm_batch_matmul_s8(&ctx, &params, &quant, &ld, lhs, &rd, rhs, &od, out) != ARM_CMSIS_NN_SUCCESS) return 1;
        printf("%s{\"dims\": [%d, %d, %d, %d, %d], ", first ? "" : ",\n", (int)k->n, (int)k->h, (int)k->rows, (int)k->cols, (int)k->depth);
        printf("\"lhs_offset\": %d, \"rhs_offset\": %d, \"output_offset\": %d, \"activation\": [%d, %d], ",
               (int)params.fc_params.input_offset, (int)params.fc_params.filter_offset, (int)params.fc_params.output_offset,
               (int)act_min, (int)act_max);
        printf("\"multiplier\": %d, \"shift\": %d, ", (int)quant.multiplier, (int)quant.shift);
        print_array("lhs", lhs, nl, 0);
        print_array("rhs_transposed", rhs, nr, 0);
        print_array("expected_output", out, no, 1);
        printf("}");
        first = 0;
    }
    printf("\n], \"sub\": [\n");
    /* a - b as arm_elementwise_add_s8 with input 2's multiplier negated (TFLite's int8 SUB on its add kernel). */
    for (c = 0; c < 6; c++)
    {
        const int32_t size = (int32_t)(c * 7 + 5), left_shift = 20;
        const int32_t o1 = next_range(-127, 128), o2 = next_range(-127, 128), oo = next_range(-128, 127);
        const int32_t m1 = next_range(1 << 30, 0x7FFFFFFF), s1 = next_range(-3, 0);
        const int32_t m2 = -next_range(1 << 30, 0x7FFFFFFF), s2 = next_range(-3, 0);
        const int32_t mo = next_range(1 << 30, 0x7FFFFFFF), so = next_range(-21, -19);
        int32_t i;
        for (i = 0; i < size; i++) { in1[i] = next_s8(); in2[i] = next_s8(); }
        if (arm_elementwise_add_s8(in1, in2, o1, m1, s1, o2, m2, s2, left_shift, out, oo, mo, so, -128, 127, size) != ARM_CMSIS_NN_SUCCESS) return 1;
        printf("%s{\"size\": %d, \"input1\": [%d, %d, %d], \"input2\": [%d, %d, %d], \"left_shift\": %d, \"output\": [%d, %d, %d], ",
               c ? ",\n" : "", (int)size, (int)o1, (int)m1, (int)s1, (int)o2, (int)m2, (int)s2, (int)left_shift, (int)oo, (int)mo, (int)so);
        print_array("a", in1, size, 0);
        print_array("b", in2, size, 0);
        print_array("expected_output", out, size, 1);
        printf("}");
    }
    printf("\n]}\n");
    return 0;
}
