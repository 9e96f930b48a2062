/*
 * Streaming voice-activity detection on two audio channels at once: one
 * instance of the model per channel, each with its own context and arena
 * (compile --arena caller), run interleaved frame by frame, the LSTM state of
 * each carried to its next frame with the generated vad_carry_state.
 *
 * The model: cmsis-lower compile silero-vad-16k --name vad --arena caller -o vad
 * Input:  audio.f32, 16 kHz float32 samples in [-1, 1], two channels interleaved.
 * Output: probs.f32, per frame the speech probability of channel 0 then 1 (float32);
 *         states.i8, per frame the int8 state output of channel 0 then 1 (to log, or to
 *         resume a stream later); one line per frame on stdout.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "vad.h"

#define CHANNELS 2
/* Each step reads CONTEXT samples of the previous frame, then FRAME new ones. */
#define CONTEXT 64
#define FRAME (VAD_IN_X_SIZE - CONTEXT)

/* One arena per instance; nothing else in the generated code is written during a run. */
static union
{
    int8_t bytes[VAD_ARENA_BYTES];
    double align;
} arenas[CHANNELS] __attribute__((aligned(VAD_ARENA_ALIGN)));

struct channel
{
    vad_ctx ctx;
    float window[VAD_IN_X_SIZE]; /* CONTEXT old samples, then FRAME new ones */
    int8_t x[VAD_IN_X_SIZE];
    int8_t state[VAD_IN_STATE_SIZE];
    int8_t new_state[VAD_OUT_NEW_STATE_SIZE];
    float prob;
};

static struct channel channels[CHANNELS];

/* The model's input quantization: float32 product with 1/scale, round half to even, clamp. */
static int8_t quantize(float v)
{
    const float inv = 1.0f / VAD_IN_X_SCALE;
    float q = nearbyintf(v * inv) + (float)VAD_IN_X_ZERO_POINT;
    if (q < -128.0f)
        return -128;
    if (q > 127.0f)
        return 127;
    return (int8_t)q;
}

/* The documented errors of vad_init, shown on a probe context. */
static void show_init_errors(void)
{
    vad_ctx probe;
    int rc = vad_init(&probe, arenas[0].bytes, VAD_ARENA_BYTES - 1);
    printf("init %u bytes: %s (%d)\n", (unsigned)(VAD_ARENA_BYTES - 1), vad_status_name(rc), rc);
    rc = vad_init(&probe, arenas[0].bytes + 1, VAD_ARENA_BYTES);
    printf("init misaligned: %s (%d)\n", vad_status_name(rc), rc);
    rc = vad_init(&probe, NULL, VAD_ARENA_BYTES);
    printf("init NULL: %s (%d)\n", vad_status_name(rc), rc);
}

int main(void)
{
    static float block[FRAME * CHANNELS];
    FILE *in = fopen("audio.f32", "rb");
    FILE *out = fopen("probs.f32", "wb");
    FILE *states = fopen("states.i8", "wb");
    int frame = 0;
    int c;
    int rc;
    if (!in || !out || !states)
    {
        printf("cannot open audio.f32 / probs.f32 / states.i8\n");
        return 2;
    }
    printf("model %s for %s, cmsis-lower %s, CMSIS-NN %s: %lu MACs, arena %lu B per instance\n",
           vad_info.model, vad_info.target, vad_info.cmsis_lower_version, vad_info.cmsis_nn_version,
           (unsigned long)vad_info.macs, (unsigned long)vad_info.arena_bytes);
    show_init_errors();
    for (c = 0; c < CHANNELS; c++)
    {
        rc = vad_init(&channels[c].ctx, arenas[c].bytes, sizeof arenas[c].bytes);
        if (rc != VAD_OK)
        {
            printf("vad_init: %s\n", vad_status_name(rc));
            return 3;
        }
        /* A stream starts from silence and a zero state (zero as the state input's int8 code). */
        memset(channels[c].window, 0, sizeof channels[c].window);
        memset(channels[c].state, VAD_IN_STATE_ZERO_POINT, sizeof channels[c].state);
    }
    while (fread(block, sizeof block, 1, in) == 1)
    {
        for (c = 0; c < CHANNELS; c++)
        {
            struct channel *ch = &channels[c];
            int i;
            memmove(ch->window, ch->window + FRAME, CONTEXT * sizeof(float));
            for (i = 0; i < FRAME; i++)
                ch->window[CONTEXT + i] = block[i * CHANNELS + c];
            for (i = 0; i < VAD_IN_X_SIZE; i++)
                ch->x[i] = quantize(ch->window[i]);
            rc = vad_run(&ch->ctx, ch->x, ch->state, &ch->prob, ch->new_state);
            if (rc != VAD_OK)
            {
                printf("vad_run: %s at step %d\n", vad_status_name(rc), VAD_STATUS_STEP(rc));
                return 4;
            }
            /* Not memcpy: the state output and input have different int8 scales. */
            vad_carry_state(ch->new_state, ch->state);
            if (fwrite(&ch->prob, sizeof ch->prob, 1, out) != 1 || fwrite(ch->new_state, sizeof ch->new_state, 1, states) != 1)
                return 5;
        }
        /* Per mille: the boards' small printf has no floating point. */
        printf("frame %d: %d %d\n", frame, (int)(channels[0].prob * 1000.0f), (int)(channels[1].prob * 1000.0f));
        frame++;
    }
    fclose(in);
    fclose(out);
    fclose(states);
    return 0;
}
