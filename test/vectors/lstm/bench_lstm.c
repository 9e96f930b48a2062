/*
 * cmsis-lower: instruction count of one LSTM step the size of Silero VAD v5's (input 128, hidden 128, batch 1)
 * for arm_lstm_unidirectional_s8 and _s16, built against whichever library the test links (the real CMSIS-NN or
 * the portable subset). Prints "@instructions lstm_s8 <n>" / "@instructions lstm_s16 <n>" under QEMU (-icount),
 * and a checksum of the outputs so the call cannot be optimised away.
 */
#include <stdio.h>
#include <string.h>

#include "arm_nnfunctions.h"
#include "cl_bench.h"

#define IN 128
#define HID 128

static int8_t w_in[4][HID * IN], w_hid[4][HID * HID];
static int32_t b32[4][HID], z32[HID];
static int64_t b64[4][HID], z64[HID];
static int8_t x8[IN], y8[HID], h8[HID];
static int16_t x16[IN], y16[HID], h16[HID];
static int16_t cell[HID], temp1[HID], temp2[HID];

static uint32_t rng_state = 0x1234567u;
static int32_t next(int32_t lo, int32_t hi)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return lo + (int32_t)(rng_state % (uint32_t)(hi - lo + 1));
}

static void gates(cmsis_nn_lstm_params *p, int s16)
{
    cmsis_nn_lstm_gate *g[4] = {&p->forget_gate, &p->input_gate, &p->cell_gate, &p->output_gate};
    int k;
    for (k = 0; k < 4; k++)
    {
        g[k]->input_multiplier = 0x50000000;
        g[k]->input_shift = s16 ? -12 : -4;
        g[k]->hidden_multiplier = 0x48000000;
        g[k]->hidden_shift = s16 ? -12 : -4;
        g[k]->input_weights = w_in[k];
        g[k]->hidden_weights = w_hid[k];
        g[k]->input_effective_bias = s16 ? (const void *)b64[k] : (const void *)b32[k];
        g[k]->hidden_effective_bias = s16 ? (const void *)z64 : (const void *)z32;
        g[k]->bias = NULL;
        g[k]->activation_type = k == 2 ? ARM_TANH : ARM_SIGMOID;
    }
}

int main(void)
{
    cmsis_nn_lstm_params p;
    cmsis_nn_lstm_context ctx;
    uint32_t t0, t1;
    int32_t i, k, sum = 0;
    for (k = 0; k < 4; k++)
    {
        for (i = 0; i < HID * IN; i++)
            w_in[k][i] = (int8_t)next(-127, 127);
        for (i = 0; i < HID * HID; i++)
            w_hid[k][i] = (int8_t)next(-127, 127);
        for (i = 0; i < HID; i++)
        {
            b32[k][i] = next(-5000, 5000);
            b64[k][i] = next(-500000, 500000);
        }
    }
    for (i = 0; i < IN; i++)
    {
        x8[i] = (int8_t)next(-128, 127);
        x16[i] = (int16_t)next(-32768, 32767);
    }
    memset(&p, 0, sizeof(p));
    p.time_major = 1;
    p.batch_size = 1;
    p.time_steps = 1;
    p.input_size = IN;
    p.hidden_size = HID;
    p.forget_to_cell_multiplier = 0x40000000;
    p.forget_to_cell_shift = -14;
    p.input_to_cell_multiplier = 0x40000000;
    p.input_to_cell_shift = -18;
    p.cell_scale_power = -11;
    p.output_multiplier = 0x40000000;
    p.output_shift = -22;
    ctx.temp1 = temp1;
    ctx.temp2 = temp2;
    ctx.cell_state = cell;

    cl_bench_init();
    gates(&p, 0);
    ctx.hidden_state = h8;
    t0 = cl_bench_now();
    arm_lstm_unidirectional_s8(x8, y8, &p, &ctx);
    t1 = cl_bench_now();
    printf("@instructions lstm_s8 %lu\n", (unsigned long)cl_bench_instructions(t0, t1));
    for (i = 0; i < HID; i++)
        sum += y8[i] + cell[i];

    memset(cell, 0, sizeof(cell));
    gates(&p, 1);
    p.output_shift = -14;
    ctx.hidden_state = h16;
    t0 = cl_bench_now();
    arm_lstm_unidirectional_s16(x16, y16, &p, &ctx);
    t1 = cl_bench_now();
    printf("@instructions lstm_s16 %lu\n", (unsigned long)cl_bench_instructions(t0, t1));
    for (i = 0; i < HID; i++)
        sum += y16[i] + cell[i];
    printf("checksum %ld\n", (long)sum);
    return 0;
}
