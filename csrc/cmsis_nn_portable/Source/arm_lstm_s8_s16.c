/*
 * cmsis-lower portable CMSIS-NN subset: arm_lstm_unidirectional_s8 / _s16 (TFLite Micro's integer LSTM).
 * Written from the arithmetic the API documents and the vectors record (test/vectors/lstm), not from CMSIS-NN sources.
 *
 * One step, for each batch row:
 *   gate    = act(clamp16(requant(Wx·x + bx)) + requant(Wh·h + bh))   Q3.12 in, Q0.15 out; act = sigmoid / tanh
 *   cell    = clamp16(requant(forget·cell))                           forget ⊙ c, back to the cell scale
 *   cell    = clamp(cell + requant(input·cellgate), ±clip)            i ⊙ g added, clipped when clip > 0
 *   hidden  = clamp(requant(output·tanh(cell << (power + 12))) + zp)  to the output type
 * The state lives in the context: cell_state (int16) is updated in place, hidden_state is read by the first
 * step and overwritten with the last step's output, so the next call continues the sequence; without a
 * hidden_state the cell starts from zero and the first step has no recurrent term.
 * Only the two public functions are exported; every helper is static so the file links beside any other
 * subset file.
 */
#include <string.h>

#include "arm_nnfunctions.h"
#include "arm_nnsupportfunctions.h"

/* The gates' sigmoid / tanh are arm_nn_activation_s16 (Q3.12 in, Q0.15 out), as in the library. */

/* dst[b][r] = clamp16(dst + requant(bias[r] + Σk x[b][k]·w[r][k])): int8 x, int32 sum (s8 LSTM). */
static void lstm_gate_product_s8(const int8_t *x, const int8_t *w, const int32_t *bias, int16_t *dst, int32_t mult,
                                 int32_t shift, int32_t cols, int32_t rows, int32_t batches)
{
    int32_t b, r, k;
    for (b = 0; b < batches; b++, x += cols)
        for (r = 0; r < rows; r++, dst++)
        {
            const int8_t *wr = w + r * cols;
            int32_t acc = bias[r];
            for (k = 0; k < cols; k++)
                acc = arm_nn_add_wrap(acc, (int32_t)x[k] * wr[k]);
            *dst = (int16_t)arm_nn_clamp(arm_nn_requantize(acc, mult, shift) + *dst, NN_Q15_MIN, NN_Q15_MAX);
        }
}

/* Same with int16 x and a 64-bit sum, requantized by the reduced multiplier (s16 LSTM). */
static void lstm_gate_product_s16(const int16_t *x, const int8_t *w, const int64_t *bias, int16_t *dst, int32_t mult,
                                  int32_t shift, int32_t cols, int32_t rows, int32_t batches)
{
    const int32_t reduced = arm_nn_reduce_multiplier(mult);
    int32_t b, r, k;
    for (b = 0; b < batches; b++, x += cols)
        for (r = 0; r < rows; r++, dst++)
        {
            const int8_t *wr = w + r * cols;
            int64_t acc = bias[r];
            for (k = 0; k < cols; k++)
                acc += (int32_t)x[k] * wr[k];
            *dst = (int16_t)arm_nn_clamp(arm_nn_requantize_s64(acc, reduced, shift) + *dst, NN_Q15_MIN, NN_Q15_MAX);
        }
}

/* One gate for `batches` rows into dst (input term, then the recurrent one when there is a hidden state). */
static void lstm_gate(const void *x, const void *h, int is_s16, const cmsis_nn_lstm_gate *g, const cmsis_nn_lstm_params *p,
                      int16_t *dst, int32_t batches)
{
    const int32_t n = p->hidden_size * batches;
    memset(dst, 0, (size_t)n * sizeof(int16_t));
    if (is_s16)
    {
        lstm_gate_product_s16((const int16_t *)x, (const int8_t *)g->input_weights, (const int64_t *)g->input_effective_bias,
                              dst, g->input_multiplier, g->input_shift, p->input_size, p->hidden_size, batches);
        if (h)
            lstm_gate_product_s16((const int16_t *)h, (const int8_t *)g->hidden_weights,
                                  (const int64_t *)g->hidden_effective_bias, dst, g->hidden_multiplier, g->hidden_shift,
                                  p->hidden_size, p->hidden_size, batches);
    }
    else
    {
        lstm_gate_product_s8((const int8_t *)x, (const int8_t *)g->input_weights, (const int32_t *)g->input_effective_bias,
                             dst, g->input_multiplier, g->input_shift, p->input_size, p->hidden_size, batches);
        if (h)
            lstm_gate_product_s8((const int8_t *)h, (const int8_t *)g->hidden_weights,
                                 (const int32_t *)g->hidden_effective_bias, dst, g->hidden_multiplier, g->hidden_shift,
                                 p->hidden_size, p->hidden_size, batches);
    }
    arm_nn_activation_s16(dst, dst, n, 0, g->activation_type);
}

/* One time step; scratch temp1 holds forget, input then output gate, temp2 the cell gate then tanh(cell). */
static void lstm_step(const void *x, const void *h, void *out, int is_s16, const cmsis_nn_lstm_params *p, int16_t *cell,
                      int16_t *temp1, int16_t *temp2, int32_t batches)
{
    const int32_t n = p->hidden_size * batches;
    const int32_t hi = p->cell_clip > 0 ? p->cell_clip : NN_Q15_MAX;
    const int32_t lo = p->cell_clip > 0 ? -p->cell_clip : NN_Q15_MIN;
    int32_t i;
    lstm_gate(x, h, is_s16, &p->forget_gate, p, temp1, batches);
    for (i = 0; i < n; i++)
        cell[i] = (int16_t)arm_nn_clamp(arm_nn_requantize(temp1[i] * cell[i], p->forget_to_cell_multiplier,
                                                          p->forget_to_cell_shift),
                                        NN_Q15_MIN, NN_Q15_MAX);
    lstm_gate(x, h, is_s16, &p->input_gate, p, temp1, batches);
    lstm_gate(x, h, is_s16, &p->cell_gate, p, temp2, batches);
    for (i = 0; i < n; i++)
        cell[i] = (int16_t)arm_nn_clamp(
            arm_nn_requantize(temp1[i] * temp2[i], p->input_to_cell_multiplier, p->input_to_cell_shift) + cell[i], lo, hi);
    lstm_gate(x, h, is_s16, &p->output_gate, p, temp1, batches);
    arm_nn_activation_s16(cell, temp2, n, p->cell_scale_power + 12, ARM_TANH);
    for (i = 0; i < n; i++)
    {
        const int32_t y = arm_nn_requantize(temp1[i] * temp2[i], p->output_multiplier, p->output_shift) + p->output_offset;
        if (is_s16)
            ((int16_t *)out)[i] = (int16_t)arm_nn_clamp(y, NN_Q15_MIN, NN_Q15_MAX);
        else
            ((int8_t *)out)[i] = (int8_t)arm_nn_clamp(y, NN_Q7_MIN, NN_Q7_MAX);
    }
}

/* Both precisions: elem is the input/hidden element size (1 or 2 bytes). */
static arm_cmsis_nn_status lstm_run(const void *input, void *output, const cmsis_nn_lstm_params *p,
                                    cmsis_nn_lstm_context *ctx, int is_s16)
{
    const size_t elem = is_s16 ? 2u : 1u;
    const int32_t B = p->batch_size, T = p->time_steps, I = p->input_size, H = p->hidden_size;
    const uint8_t *in = (const uint8_t *)input;
    uint8_t *out = (uint8_t *)output;
    int32_t t, b;
    if (ctx->hidden_state == NULL)
        memset(ctx->cell_state, 0, (size_t)(B * H) * sizeof(int16_t));
    if (p->time_major)
    {
        const void *h = ctx->hidden_state;
        for (t = 0; t < T; t++)
        {
            void *o = out + (size_t)(t * B * H) * elem;
            lstm_step(in + (size_t)(t * B * I) * elem, h, o, is_s16, p, (int16_t *)ctx->cell_state,
                      (int16_t *)ctx->temp1, (int16_t *)ctx->temp2, B);
            h = o;
        }
        if (ctx->hidden_state != NULL && T > 0)
            memcpy(ctx->hidden_state, h, (size_t)(B * H) * elem);
        return ARM_CMSIS_NN_SUCCESS;
    }
    /* Batch major: each batch row runs its own sequence on its own slice of the state. */
    for (b = 0; b < B; b++)
    {
        uint8_t *state_h = ctx->hidden_state != NULL ? (uint8_t *)ctx->hidden_state + (size_t)(b * H) * elem : NULL;
        const void *h = state_h;
        for (t = 0; t < T; t++)
        {
            void *o = out + (size_t)((b * T + t) * H) * elem;
            lstm_step(in + (size_t)((b * T + t) * I) * elem, h, o, is_s16, p, (int16_t *)ctx->cell_state + b * H,
                      (int16_t *)ctx->temp1, (int16_t *)ctx->temp2, 1);
            h = o;
        }
        if (state_h != NULL && T > 0)
            memcpy(state_h, h, (size_t)H * elem);
    }
    return ARM_CMSIS_NN_SUCCESS;
}

arm_cmsis_nn_status arm_lstm_unidirectional_s8(const int8_t *input, int8_t *output, const cmsis_nn_lstm_params *params,
                                               cmsis_nn_lstm_context *buffers)
{
    return lstm_run(input, output, params, buffers, 0);
}

arm_cmsis_nn_status arm_lstm_unidirectional_s16(const int16_t *input, int16_t *output, const cmsis_nn_lstm_params *params,
                                                cmsis_nn_lstm_context *buffers)
{
    return lstm_run(input, output, params, buffers, 1);
}
