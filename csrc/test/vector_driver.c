/*
 * cmsis-lower: generic conformance driver for the portable CMSIS-NN library.
 * Reads a batch of records from "vectors.bin" (or argv[1]), runs each kernel call,
 * writes status, buffer sizes and output bytes to "results.bin" (or argv[2]).
 * Works on the host and on semihosting targets (paths relative to the cwd).
 * Record layout: see src/targets/vectors.ts (little-endian int32 words).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm_nnfunctions.h"
#include "cl_bench.h"

#define NP 48
#define NA 6

enum
{
    F_CONV_WRAPPER_S8 = 1,
    F_CONV_S8,
    F_CONV_1X1_FAST,
    F_CONV_1X1,
    F_CONV_1XN,
    F_DW_WRAPPER_S8,
    F_DW_S8,
    F_DW_S8_OPT,
    F_DW_3X3,
    F_FC_S8,
    F_FC_PER_CH,
    F_FC_WRAPPER,
    F_ADD_S8,
    F_MUL_S8,
    F_SOFTMAX_S8,
    F_AVGPOOL_S8,
    F_MAXPOOL_S8,
    F_CONV_WRAPPER_S16,
    F_CONV_S16,
    F_DW_WRAPPER_S16,
    F_DW_S16,
    F_DW_FAST_S16,
    F_TCONV_WRAPPER_S8,
    F_MAXIMUM_S8,
    F_MINIMUM_S8
};

typedef struct
{
    int32_t elem;
    int32_t count;
    void *data;
} arr_t;

static int read_i32(FILE *f, int32_t *v)
{
    unsigned char b[4];
    if (fread(b, 1, 4, f) != 4)
    {
        return 0;
    }
    *v = (int32_t)((uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24));
    return 1;
}

static void write_i32(FILE *f, int32_t v)
{
    unsigned char b[4];
    b[0] = (unsigned char)((uint32_t)v & 0xFFu);
    b[1] = (unsigned char)(((uint32_t)v >> 8) & 0xFFu);
    b[2] = (unsigned char)(((uint32_t)v >> 16) & 0xFFu);
    b[3] = (unsigned char)(((uint32_t)v >> 24) & 0xFFu);
    fwrite(b, 1, 4, f);
}

static void *xalloc(size_t n)
{
    /* exact-size allocation (n may be 0) so ASan sees overruns */
    void *p = malloc(n > 0 ? n : 1);
    if (p == NULL)
    {
        printf("vector_driver: out of memory (%lu bytes)\n", (unsigned long)n);
        exit(3);
    }
    return p;
}

int main(int argc, char **argv)
{
    const char *in_path = (argc > 1 && argv != NULL && argv[1] != NULL) ? argv[1] : "vectors.bin";
    const char *out_path = (argc > 2 && argv != NULL && argv[2] != NULL) ? argv[2] : "results.bin";
    FILE *fin = fopen(in_path, "rb");
    FILE *fout;
    int32_t magic, count, r;
    if (fin == NULL)
    {
        printf("vector_driver: cannot open %s\n", in_path);
        return 2;
    }
    fout = fopen(out_path, "wb");
    if (fout == NULL)
    {
        printf("vector_driver: cannot open %s\n", out_path);
        return 2;
    }
    if (!read_i32(fin, &magic) || magic != 0x31564C43 || !read_i32(fin, &count))
    {
        printf("vector_driver: bad header\n");
        return 2;
    }
    cl_bench_init();
    for (r = 0; r < count; r++)
    {
        int32_t fn, P[NP], i, out_elem, out_count, status = 0;
        int32_t sizes[6] = {0, 0, 0, 0, 0, 0};
        arr_t A[NA];
        void *out;
        void *scratch = NULL;
        void *scratch2 = NULL;
        cmsis_nn_context ctx, ctx2;
        cmsis_nn_dims in_d, f_d, o_d, b_d;
        cmsis_nn_per_channel_quant_params qp;
        uint32_t t0, t1;
        if (!read_i32(fin, &fn))
        {
            printf("vector_driver: truncated\n");
            return 2;
        }
        for (i = 0; i < NP; i++)
        {
            read_i32(fin, &P[i]);
        }
        for (i = 0; i < NA; i++)
        {
            size_t nbytes;
            read_i32(fin, &A[i].elem);
            read_i32(fin, &A[i].count);
            nbytes = (size_t)A[i].elem * (size_t)A[i].count;
            A[i].data = xalloc(nbytes);
            if (fread(A[i].data, 1, nbytes, fin) != nbytes)
            {
                printf("vector_driver: truncated array\n");
                return 2;
            }
            if ((nbytes & 3u) != 0u)
            {
                unsigned char pad[4];
                if (fread(pad, 1, 4u - (nbytes & 3u), fin) != 4u - (nbytes & 3u))
                {
                    return 2;
                }
            }
        }
        read_i32(fin, &out_elem);
        read_i32(fin, &out_count);
        out = xalloc((size_t)out_elem * (size_t)out_count);
        memset(out, 0x5A, (size_t)out_elem * (size_t)out_count);

        in_d.n = P[0];
        in_d.h = P[1];
        in_d.w = P[2];
        in_d.c = P[3];
        f_d.n = P[4];
        f_d.h = P[5];
        f_d.w = P[6];
        f_d.c = P[7];
        o_d.n = P[8];
        o_d.h = P[9];
        o_d.w = P[10];
        o_d.c = P[11];
        b_d.n = 1;
        b_d.h = 1;
        b_d.w = 1;
        b_d.c = P[11];
        qp.multiplier = (int32_t *)A[3].data;
        qp.shift = (int32_t *)A[4].data;
        ctx.buf = NULL;
        ctx.size = 0;
        ctx2.buf = NULL;
        ctx2.size = 0;

        t0 = 0;
        t1 = 0;
        if (fn >= F_CONV_WRAPPER_S8 && fn <= F_CONV_1XN)
        {
            cmsis_nn_conv_params cp;
            const int32_t *bias = P[24] ? NULL : (const int32_t *)A[2].data;
            cp.stride.h = P[12];
            cp.stride.w = P[13];
            cp.padding.h = P[14];
            cp.padding.w = P[15];
            cp.dilation.h = P[16];
            cp.dilation.w = P[17];
            cp.input_offset = P[18];
            cp.output_offset = P[19];
            cp.activation.min = P[20];
            cp.activation.max = P[21];
            sizes[0] = arm_convolve_wrapper_s8_get_buffer_size(&cp, &in_d, &f_d, &o_d);
            sizes[1] = arm_convolve_wrapper_s8_get_buffer_size_dsp(&cp, &in_d, &f_d, &o_d);
            sizes[2] = arm_convolve_wrapper_s8_get_buffer_size_mve(&cp, &in_d, &f_d, &o_d);
            sizes[3] = arm_convolve_s8_get_buffer_size(&in_d, &f_d);
            sizes[4] = arm_convolve_s8_get_buffer_size_dsp(&in_d, &f_d);
            sizes[5] = arm_convolve_s8_get_buffer_size_mve(&in_d, &f_d);
            switch (fn)
            {
            case F_CONV_S8:
                ctx.size = sizes[3];
                break;
            case F_CONV_1X1_FAST:
                ctx.size = arm_convolve_1x1_s8_fast_get_buffer_size(&in_d);
                break;
            case F_CONV_1X1:
                ctx.size = 0;
                break;
            case F_CONV_1XN:
                ctx.size = arm_convolve_1_x_n_s8_get_buffer_size(&cp, &in_d, &f_d, &o_d);
                break;
            default:
                ctx.size = sizes[0];
                break;
            }
            if (ctx.size > 0)
            {
                scratch = xalloc((size_t)ctx.size);
                ctx.buf = scratch;
            }
            t0 = cl_bench_now();
            switch (fn)
            {
            case F_CONV_S8:
                status = arm_convolve_s8(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, NULL, &o_d, out);
                break;
            case F_CONV_1X1_FAST:
                status = arm_convolve_1x1_s8_fast(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            case F_CONV_1X1:
                status = arm_convolve_1x1_s8(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            case F_CONV_1XN:
                status = arm_convolve_1_x_n_s8(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            default:
                status = arm_convolve_wrapper_s8(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            }
            t1 = cl_bench_now();
        }
        else if (fn >= F_DW_WRAPPER_S8 && fn <= F_DW_3X3)
        {
            cmsis_nn_dw_conv_params dp;
            const int32_t *bias = P[24] ? NULL : (const int32_t *)A[2].data;
            dp.stride.h = P[12];
            dp.stride.w = P[13];
            dp.padding.h = P[14];
            dp.padding.w = P[15];
            dp.dilation.h = P[16];
            dp.dilation.w = P[17];
            dp.input_offset = P[18];
            dp.output_offset = P[19];
            dp.activation.min = P[20];
            dp.activation.max = P[21];
            dp.ch_mult = P[22];
            sizes[0] = arm_depthwise_conv_wrapper_s8_get_buffer_size(&dp, &in_d, &f_d, &o_d);
            sizes[1] = arm_depthwise_conv_wrapper_s8_get_buffer_size_dsp(&dp, &in_d, &f_d, &o_d);
            sizes[2] = arm_depthwise_conv_wrapper_s8_get_buffer_size_mve(&dp, &in_d, &f_d, &o_d);
            ctx.size = fn == F_DW_S8_OPT ? arm_depthwise_conv_s8_opt_get_buffer_size(&in_d, &f_d) : sizes[0];
            if (ctx.size > 0)
            {
                scratch = xalloc((size_t)ctx.size);
                ctx.buf = scratch;
            }
            t0 = cl_bench_now();
            switch (fn)
            {
            case F_DW_S8:
                status = arm_depthwise_conv_s8(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            case F_DW_S8_OPT:
                status = arm_depthwise_conv_s8_opt(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            case F_DW_3X3:
                status = arm_depthwise_conv_3x3_s8(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            default:
                status =
                    arm_depthwise_conv_wrapper_s8(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
                break;
            }
            t1 = cl_bench_now();
        }
        else if (fn >= F_FC_S8 && fn <= F_FC_WRAPPER)
        {
            cmsis_nn_fc_params fp;
            const int32_t *bias = P[24] ? NULL : (const int32_t *)A[2].data;
            fp.input_offset = P[18];
            fp.output_offset = P[19];
            fp.activation.min = P[20];
            fp.activation.max = P[21];
            fp.filter_offset = P[23];
            sizes[0] = arm_fully_connected_s8_get_buffer_size(&f_d);
            sizes[1] = arm_fully_connected_s8_get_buffer_size_dsp(&f_d);
            sizes[2] = arm_fully_connected_s8_get_buffer_size_mve(&f_d);
            if (sizes[2] > 0)
            {
                /* MVE contract: kernel sums in ctx (ignored by the portable kernels) */
                scratch = xalloc((size_t)sizes[2]);
                ctx.buf = scratch;
                ctx.size = sizes[2];
                arm_vector_sum_s8((int32_t *)scratch, f_d.n, f_d.c, A[1].data, P[18], P[23], bias);
            }
            t0 = cl_bench_now();
            if (fn == F_FC_S8)
            {
                cmsis_nn_per_tensor_quant_params tq;
                tq.multiplier = qp.multiplier[0];
                tq.shift = qp.shift[0];
                status = arm_fully_connected_s8(&ctx, &fp, &tq, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            }
            else if (fn == F_FC_PER_CH)
            {
                status =
                    arm_fully_connected_per_channel_s8(&ctx, &fp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            }
            else
            {
                cmsis_nn_quant_params gq;
                gq.multiplier = qp.multiplier;
                gq.shift = qp.shift;
                gq.is_per_channel = P[26];
                status = arm_fully_connected_wrapper_s8(&ctx, &fp, &gq, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            }
            t1 = cl_bench_now();
        }
        else if (fn == F_ADD_S8)
        {
            t0 = cl_bench_now();
            status = arm_elementwise_add_s8(A[0].data,
                                            A[5].data,
                                            P[30],
                                            P[31],
                                            P[32],
                                            P[33],
                                            P[34],
                                            P[35],
                                            P[36],
                                            out,
                                            P[37],
                                            P[38],
                                            P[39],
                                            P[40],
                                            P[41],
                                            P[42]);
            t1 = cl_bench_now();
        }
        else if (fn == F_MUL_S8)
        {
            t0 = cl_bench_now();
            status = arm_elementwise_mul_s8(
                A[0].data, A[5].data, P[30], P[31], out, P[32], P[33], P[34], P[35], P[36], P[37]);
            t1 = cl_bench_now();
        }
        else if (fn == F_SOFTMAX_S8)
        {
            t0 = cl_bench_now();
            arm_softmax_s8(A[0].data, P[30], P[31], P[32], P[33], P[34], out);
            t1 = cl_bench_now();
            status = 0;
        }
        else if (fn == F_AVGPOOL_S8 || fn == F_MAXPOOL_S8)
        {
            cmsis_nn_pool_params pp;
            pp.stride.h = P[12];
            pp.stride.w = P[13];
            pp.padding.h = P[14];
            pp.padding.w = P[15];
            pp.activation.min = P[20];
            pp.activation.max = P[21];
            if (fn == F_AVGPOOL_S8)
            {
                sizes[0] = arm_avgpool_s8_get_buffer_size(o_d.w, in_d.c);
                sizes[1] = arm_avgpool_s8_get_buffer_size_dsp(o_d.w, in_d.c);
                sizes[2] = arm_avgpool_s8_get_buffer_size_mve(o_d.w, in_d.c);
                if (sizes[0] > 0)
                {
                    scratch = xalloc((size_t)sizes[0]);
                    ctx.buf = scratch;
                    ctx.size = sizes[0];
                }
                t0 = cl_bench_now();
                status = arm_avgpool_s8(&ctx, &pp, &in_d, A[0].data, &f_d, &o_d, out);
                t1 = cl_bench_now();
            }
            else
            {
                t0 = cl_bench_now();
                status = arm_max_pool_s8(&ctx, &pp, &in_d, A[0].data, &f_d, &o_d, out);
                t1 = cl_bench_now();
            }
        }
        else if (fn == F_CONV_WRAPPER_S16 || fn == F_CONV_S16)
        {
            cmsis_nn_conv_params cp;
            cmsis_nn_bias_data bd = {P[24] ? NULL : A[2].data, P[25] != 0};
            cp.stride.h = P[12];
            cp.stride.w = P[13];
            cp.padding.h = P[14];
            cp.padding.w = P[15];
            cp.dilation.h = P[16];
            cp.dilation.w = P[17];
            cp.input_offset = P[18];
            cp.output_offset = P[19];
            cp.activation.min = P[20];
            cp.activation.max = P[21];
            sizes[0] = arm_convolve_wrapper_s16_get_buffer_size(&cp, &in_d, &f_d, &o_d);
            sizes[1] = arm_convolve_wrapper_s16_get_buffer_size_dsp(&cp, &in_d, &f_d, &o_d);
            sizes[2] = arm_convolve_wrapper_s16_get_buffer_size_mve(&cp, &in_d, &f_d, &o_d);
            if (sizes[0] > 0)
            {
                scratch = xalloc((size_t)sizes[0]);
                ctx.buf = scratch;
                ctx.size = sizes[0];
            }
            t0 = cl_bench_now();
            if (fn == F_CONV_S16)
            {
                status = arm_convolve_s16(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, &bd, &o_d, out);
            }
            else
            {
                status = arm_convolve_wrapper_s16(&ctx, &cp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, &bd, &o_d, out);
            }
            t1 = cl_bench_now();
        }
        else if (fn >= F_DW_WRAPPER_S16 && fn <= F_DW_FAST_S16)
        {
            cmsis_nn_dw_conv_params dp;
            const int64_t *bias = P[24] ? NULL : (const int64_t *)A[2].data;
            dp.stride.h = P[12];
            dp.stride.w = P[13];
            dp.padding.h = P[14];
            dp.padding.w = P[15];
            dp.dilation.h = P[16];
            dp.dilation.w = P[17];
            dp.input_offset = P[18];
            dp.output_offset = P[19];
            dp.activation.min = P[20];
            dp.activation.max = P[21];
            dp.ch_mult = P[22];
            sizes[0] = arm_depthwise_conv_wrapper_s16_get_buffer_size(&dp, &in_d, &f_d, &o_d);
            sizes[1] = arm_depthwise_conv_wrapper_s16_get_buffer_size_dsp(&dp, &in_d, &f_d, &o_d);
            sizes[2] = arm_depthwise_conv_wrapper_s16_get_buffer_size_mve(&dp, &in_d, &f_d, &o_d);
            if (sizes[0] > 0)
            {
                scratch = xalloc((size_t)sizes[0]);
                ctx.buf = scratch;
                ctx.size = sizes[0];
            }
            t0 = cl_bench_now();
            if (fn == F_DW_S16)
            {
                status = arm_depthwise_conv_s16(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            }
            else if (fn == F_DW_FAST_S16)
            {
                status =
                    arm_depthwise_conv_fast_s16(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            }
            else
            {
                status =
                    arm_depthwise_conv_wrapper_s16(&ctx, &dp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            }
            t1 = cl_bench_now();
        }
        else if (fn == F_TCONV_WRAPPER_S8)
        {
            cmsis_nn_transpose_conv_params tp;
            const int32_t *bias = P[24] ? NULL : (const int32_t *)A[2].data;
            tp.stride.h = P[12];
            tp.stride.w = P[13];
            tp.padding.h = P[14];
            tp.padding.w = P[15];
            tp.dilation.h = P[16];
            tp.dilation.w = P[17];
            tp.input_offset = P[18];
            tp.output_offset = P[19];
            tp.activation.min = P[20];
            tp.activation.max = P[21];
            tp.padding_offsets.h = P[27];
            tp.padding_offsets.w = P[28];
            sizes[0] = arm_transpose_conv_s8_get_buffer_size(&tp, &in_d, &f_d, &o_d);
            sizes[1] = arm_transpose_conv_s8_get_buffer_size_dsp(&tp, &in_d, &f_d, &o_d);
            sizes[2] = arm_transpose_conv_s8_get_buffer_size_mve(&tp, &in_d, &f_d, &o_d);
            sizes[3] = arm_transpose_conv_s8_get_reverse_conv_buffer_size(&tp, &in_d, &f_d);
            if (sizes[0] > 0)
            {
                scratch = xalloc((size_t)sizes[0]);
                ctx.buf = scratch;
                ctx.size = sizes[0];
            }
            if (sizes[3] > 0)
            {
                scratch2 = xalloc((size_t)sizes[3]);
                ctx2.buf = scratch2;
                ctx2.size = sizes[3];
            }
            t0 = cl_bench_now();
            status = arm_transpose_conv_wrapper_s8(&ctx, &ctx2, &tp, &qp, &in_d, A[0].data, &f_d, A[1].data, &b_d, bias, &o_d, out);
            t1 = cl_bench_now();
        }
        else if (fn == F_MAXIMUM_S8 || fn == F_MINIMUM_S8)
        {
            /* input_1 dims in P[0..3] (in_d), input_2 dims in P[4..7] (f_d), output dims in P[8..11] (o_d) */
            t0 = cl_bench_now();
            status = fn == F_MAXIMUM_S8 ? arm_maximum_s8(&ctx, A[0].data, &in_d, A[5].data, &f_d, out, &o_d)
                                        : arm_minimum_s8(&ctx, A[0].data, &in_d, A[5].data, &f_d, out, &o_d);
            t1 = cl_bench_now();
        }
        else
        {
            status = -100;
        }
        if (cl_bench_enabled())
        {
            printf("@instructions fn%ld.rec%ld %lu\n", (long)fn, (long)r, (unsigned long)cl_bench_instructions(t0, t1));
        }

        write_i32(fout, fn);
        write_i32(fout, status);
        for (i = 0; i < 6; i++)
        {
            write_i32(fout, sizes[i]);
        }
        write_i32(fout, out_elem * out_count);
        fwrite(out, 1, (size_t)(out_elem * out_count), fout);
        if (((out_elem * out_count) & 3) != 0)
        {
            static const unsigned char zeros[4] = {0, 0, 0, 0};
            fwrite(zeros, 1, (size_t)(4 - ((out_elem * out_count) & 3)), fout);
        }
        free(out);
        free(scratch);
        free(scratch2);
        for (i = 0; i < NA; i++)
        {
            free(A[i].data);
        }
    }
    fclose(fin);
    fclose(fout);
    printf("vector_driver: %ld records\n", (long)count);
    return 0;
}
