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

/* sigmoid(i/24) in 0.16, each node lifted by half the chord error at its segment's middle, last node 0xFFFF
 * (the definition and its derivation: LSTM_SIGMOID_TABLE_U16 in src/kernels/lstm_gates.ts, which generated these). */
static const uint16_t lstm_sigmoid_u16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535
};

/* Q3.12 (after a left shift, or a rounding right shift when negative) -> Q0.15 sigmoid or tanh by linear
 * interpolation in the table: tanh(x) = 2·sigmoid(2x) − 1 reads it at twice the step. */
static void lstm_activation(const int16_t *in, int16_t *out, int32_t n, int32_t left_shift, arm_nn_activation_type type)
{
    const int sig = type == ARM_SIGMOID;
    const uint32_t abs_shift = sig ? 9u : 8u;
    const uint32_t frac_mask = sig ? 0x1FFu : 0xFFu;
    const uint32_t max_sat = sig ? (0x7FFFu << 10) : (0xFFFFu << 8);
    const int32_t mult = left_shift < 0 ? 3 : 3 << left_shift;
    const int32_t rshift = left_shift < 0 ? -left_shift : 0;
    const int32_t rounding = rshift > 0 ? 1 << (rshift - 1) : 0;
    int32_t i;
    for (i = 0; i < n; i++)
    {
        const int32_t x = arm_nn_asr32(in[i] * mult + rounding, rshift);
        const uint32_t ax = (uint32_t)(x > 0 ? x : -x);
        const uint32_t uh = ax >> abs_shift;
        uint32_t r;
        if (uh >= 255u)
            r = max_sat;
        else
            r = ((uint32_t)lstm_sigmoid_u16[uh] << abs_shift) +
                (ax & frac_mask) * (uint32_t)(lstm_sigmoid_u16[uh + 1] - lstm_sigmoid_u16[uh]);
        if (sig)
            r = (x >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u) >> 10;
        else /* the negative branch wraps in 32 bits before the shift; the int16 cast keeps the low half */
            r = (x >= 0 ? r - (1u << 23) + (1u << 7) : (1u << 23) - r + (1u << 7) - 1u) >> 8;
        out[i] = (int16_t)(uint16_t)(r & 0xFFFFu);
    }
}

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
    lstm_activation(dst, dst, n, 0, g->activation_type);
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
    lstm_activation(cell, temp2, n, p->cell_scale_power + 12, ARM_TANH);
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
