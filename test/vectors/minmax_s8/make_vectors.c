/*
 * cmsis-lower: makes the arm_maximum_s8 / arm_minimum_s8 conformance vectors from the real CMSIS-NN.
 * Build on the host against a CMSIS-NN checkout and print the JSON to stdout:
 *   cc -std=c99 -I$NN/Include make_vectors.c $NN/Source/BasicMathFunctions/arm_maximum_s8.c \
 *      $NN/Source/BasicMathFunctions/arm_minimum_s8.c -o make_vectors && ./make_vectors > vectors.json
 * (test/vectors/minmax_s8/vectors.test.ts does exactly this and compares with the committed vectors.json).
 *
 * The expected outputs are the library's bytes. A case is only written when the library's bytes equal the
 * 4-D broadcast definition (each input dim equals the output's or is 1): this snapshot mis-broadcasts an
 * operand whose row (W*C) is one element while H > 1, so such cases are listed under "library_diverges"
 * (shape pairs only) instead of becoming vectors, and the lowering never asks for them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arm_nnfunctions.h"

#define MAXN 512

typedef struct
{
    int32_t d1[4];
    int32_t d2[4];
} shape_case_t;

/* Equal shapes (incl. lengths around the 16-lane MVE tail), one-element operands on either side, and
 * broadcasts along batch, height, width and channels. */
static const shape_case_t CASES[] = {
    {{1, 1, 1, 1}, {1, 1, 1, 1}},   {{1, 1, 1, 7}, {1, 1, 1, 7}},   {{1, 1, 1, 16}, {1, 1, 1, 16}},
    {{1, 1, 1, 33}, {1, 1, 1, 33}}, {{2, 3, 5, 4}, {2, 3, 5, 4}},   {{1, 1, 1, 1}, {1, 2, 3, 4}},
    {{1, 2, 3, 4}, {1, 1, 1, 1}},   {{1, 1, 1, 1}, {1, 1, 1, 37}},  {{1, 1, 40, 1}, {1, 1, 1, 1}},
    {{1, 2, 3, 4}, {1, 1, 1, 4}},   {{1, 1, 1, 5}, {1, 3, 2, 5}},   {{1, 2, 3, 4}, {1, 2, 3, 1}},
    {{1, 2, 3, 4}, {1, 1, 3, 4}},   {{1, 2, 3, 4}, {1, 2, 1, 4}},   {{2, 2, 3, 4}, {1, 2, 3, 4}},
    {{2, 1, 1, 4}, {2, 3, 2, 4}},
};

/* Shapes the library gets wrong (checked below, never written as vectors). */
static const shape_case_t DIVERGENT[] = {
    {{1, 2, 3, 4}, {1, 2, 1, 1}},
    {{1, 3, 1, 1}, {1, 3, 4, 2}},
};

static uint32_t rng_state = 0x2545F491u;

static int8_t next_s8(void)
{
    /* xorshift32: a fixed sequence on every host, so the vectors are reproducible byte for byte. */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return (int8_t)(int32_t)((rng_state >> 8) & 0xFFu);
}

static int32_t count(const int32_t *d)
{
    return d[0] * d[1] * d[2] * d[3];
}

static int32_t out_dim(const int32_t a, const int32_t b)
{
    return a > b ? a : b;
}

static cmsis_nn_dims to_dims(const int32_t *d)
{
    cmsis_nn_dims r;
    r.n = d[0];
    r.h = d[1];
    r.w = d[2];
    r.c = d[3];
    return r;
}

/* The broadcast definition: element (n,h,w,c) of an input, with size-1 dims repeated. */
static int8_t at(const int8_t *x, const int32_t *d, int32_t n, int32_t h, int32_t w, int32_t c)
{
    n = d[0] == 1 ? 0 : n;
    h = d[1] == 1 ? 0 : h;
    w = d[2] == 1 ? 0 : w;
    c = d[3] == 1 ? 0 : c;
    return x[((n * d[1] + h) * d[2] + w) * d[3] + c];
}

static void print_array(const char *key, const int8_t *x, int32_t n)
{
    int32_t i;
    printf("\"%s\":[", key);
    for (i = 0; i < n; i++)
    {
        printf(i ? ",%d" : "%d", (int)x[i]);
    }
    printf("]");
}

static void print_dims(const char *key, const int32_t *d)
{
    printf("\"%s\":[%d,%d,%d,%d]", key, (int)d[0], (int)d[1], (int)d[2], (int)d[3]);
}

/* Runs one kernel on one shape pair; returns 1 when the library's bytes match the definition. */
static int run(const shape_case_t *sc, int take_max, int8_t *in1, int8_t *in2, int8_t *out, int32_t *od)
{
    cmsis_nn_context ctx;
    cmsis_nn_dims a = to_dims(sc->d1), b = to_dims(sc->d2), o;
    int32_t n, h, w, c, i = 0;
    arm_cmsis_nn_status st;
    for (n = 0; n < 4; n++)
    {
        od[n] = out_dim(sc->d1[n], sc->d2[n]);
    }
    o = to_dims(od);
    ctx.buf = NULL;
    ctx.size = 0;
    st = take_max ? arm_maximum_s8(&ctx, in1, &a, in2, &b, out, &o) : arm_minimum_s8(&ctx, in1, &a, in2, &b, out, &o);
    if (st != ARM_CMSIS_NN_SUCCESS)
    {
        return 0;
    }
    for (n = 0; n < od[0]; n++)
        for (h = 0; h < od[1]; h++)
            for (w = 0; w < od[2]; w++)
                for (c = 0; c < od[3]; c++, i++)
                {
                    const int8_t x = at(in1, sc->d1, n, h, w, c), y = at(in2, sc->d2, n, h, w, c);
                    const int8_t want = take_max ? (x > y ? x : y) : (x < y ? x : y);
                    if (out[i] != want)
                    {
                        return 0;
                    }
                }
    return 1;
}

/* The sequence, with the int8 ends every 9th place and a common value (3) every 7th, so equal inputs occur. */
static void fill(int8_t *x, int32_t n, int32_t k)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        x[i] = next_s8();
        if ((i + k) % 9 == 0)
        {
            x[i] = (i + k) % 2 ? 127 : -128;
        }
        else if ((i + k) % 7 == 0)
        {
            x[i] = 3;
        }
    }
}

int main(void)
{
    static int8_t in1[MAXN], in2[MAXN], out[MAXN];
    const size_t n_cases = sizeof(CASES) / sizeof(CASES[0]);
    const size_t n_div = sizeof(DIVERGENT) / sizeof(DIVERGENT[0]);
    size_t i;
    int k, first = 1;
    printf("{\"_about\":\"arm_maximum_s8 / arm_minimum_s8 vectors made by test/vectors/minmax_s8/make_vectors.c from the real "
           "CMSIS-NN (../shared/third_party/CMSIS-NN). Dims are NHWC [n,h,w,c].\",\n\"cases\":[\n");
    for (i = 0; i < n_cases; i++)
    {
        for (k = 0; k < 2; k++)
        {
            int32_t od[4];
            const int32_t c1 = count(CASES[i].d1), c2 = count(CASES[i].d2);
            fill(in1, c1, (int32_t)i);
            fill(in2, c2, (int32_t)i + 3);
            if (!run(&CASES[i], k == 0, in1, in2, out, od))
            {
                fprintf(stderr, "case %u: the library disagrees with the broadcast definition\n", (unsigned)i);
                return 1;
            }
            printf("%s{\"function\":\"%s\",", first ? "" : ",\n", k == 0 ? "arm_maximum_s8" : "arm_minimum_s8");
            first = 0;
            print_dims("input_1_dims", CASES[i].d1);
            printf(",");
            print_dims("input_2_dims", CASES[i].d2);
            printf(",");
            print_dims("output_dims", od);
            printf(",");
            print_array("input_1", in1, c1);
            printf(",");
            print_array("input_2", in2, c2);
            printf(",");
            print_array("expected_output", out, count(od));
            printf("}");
        }
    }
    printf("\n],\n\"library_diverges\":[");
    for (i = 0; i < n_div; i++)
    {
        int32_t od[4];
        fill(in1, count(DIVERGENT[i].d1), 1);
        fill(in2, count(DIVERGENT[i].d2), 2);
        if (run(&DIVERGENT[i], 1, in1, in2, out, od))
        {
            fprintf(stderr, "divergent case %u now matches: move it to CASES\n", (unsigned)i);
            return 1;
        }
        printf("%s{", i ? "," : "");
        print_dims("input_1_dims", DIVERGENT[i].d1);
        printf(",");
        print_dims("input_2_dims", DIVERGENT[i].d2);
        printf("}");
    }
    printf("]}\n");
    return 0;
}
