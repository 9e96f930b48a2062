/*
 * One-shot object detection: one image in, the three best-scoring anchors out.
 *
 * The model: cmsis-lower compile yolo11n --input-shape images=1x3x96x96 --target cortex-m4 --name yolo -o yolo
 * (the default static arena: one instance, nothing to initialise).
 * Input:  image.f32, the image as float32 RGB planes (3 x H x W) scaled to [0, 1].
 * Output: output.f32, the model's raw output (float32, YOLO_OUTPUT_0_SHAPE), and on stdout the
 *         three anchors with the highest class score: class, score and box (centre x, y, width,
 *         height in pixels), in per mille / whole pixels (the boards' small printf has no floats).
 */
#include <stdint.h>
#include <stdio.h>

#include "yolo.h"

/* Output rows: 4 box coordinates, then one score per class; one column per anchor. */
#define ROWS YOLO_OUTPUT_0_DIM1
#define ANCHORS YOLO_OUTPUT_0_DIM2
#define CLASSES (ROWS - 4)
#define TOP 3

/* Large buffers outside the stack (on the boards, in their big RAM). */
#if defined(CL_BOARD_MPS2) || defined(CL_BOARD_AN547)
#define BIG __attribute__((section(".big"), aligned(16)))
#else
#define BIG
#endif
static float image[YOLO_IN_IMAGES_SIZE] BIG;
static float output[YOLO_OUT_OUTPUT0_SIZE] BIG;

int main(void)
{
    FILE *in = fopen("image.f32", "rb");
    FILE *out = fopen("output.f32", "wb");
    int best[TOP] = {-1, -1, -1};
    float best_score[TOP] = {-1.0f, -1.0f, -1.0f};
    int best_class[TOP] = {0, 0, 0};
    int a;
    int k;
    int rc;
    if (!in || !out || fread(image, sizeof image, 1, in) != 1)
    {
        printf("cannot read image.f32 (%u bytes) / open output.f32\n", (unsigned)sizeof image);
        return 2;
    }
    printf("%s: %lu MACs, arena %lu B, weights %lu B, %lu steps\n", yolo_info.model, (unsigned long)yolo_info.macs,
           (unsigned long)yolo_info.arena_bytes, (unsigned long)yolo_info.weights_bytes, (unsigned long)yolo_info.num_steps);
    rc = yolo_run_float(image, output);
    if (rc != YOLO_OK)
    {
        printf("yolo_run_float: %s at step %d\n", yolo_status_name(rc), YOLO_STATUS_STEP(rc));
        return 3;
    }
    if (fwrite(output, sizeof output, 1, out) != 1)
        return 4;
    fclose(out);
    fclose(in);
    for (a = 0; a < ANCHORS; a++)
    {
        int c;
        int cls = 0;
        float score = output[4 * ANCHORS + a];
        for (c = 1; c < CLASSES; c++)
        {
            if (output[(4 + c) * ANCHORS + a] > score)
            {
                score = output[(4 + c) * ANCHORS + a];
                cls = c;
            }
        }
        /* Insert into the top list (kept sorted, best first; ties keep the earlier anchor). */
        for (k = 0; k < TOP; k++)
        {
            if (score > best_score[k])
            {
                int j;
                for (j = TOP - 1; j > k; j--)
                {
                    best[j] = best[j - 1];
                    best_score[j] = best_score[j - 1];
                    best_class[j] = best_class[j - 1];
                }
                best[k] = a;
                best_score[k] = score;
                best_class[k] = cls;
                break;
            }
        }
    }
    for (k = 0; k < TOP && best[k] >= 0; k++)
    {
        a = best[k];
        printf("anchor %d: class %d score %d box %d %d %d %d\n", a, best_class[k], (int)(best_score[k] * 1000.0f),
               (int)output[a], (int)output[ANCHORS + a], (int)output[2 * ANCHORS + a], (int)output[3 * ANCHORS + a]);
    }
    return 0;
}
