/*
 * cmsis-lower portable CMSIS-NN subset: shared int8 convolution engines.
 * Direct (no im2col) loops; int32 accumulation with two's-complement wrap;
 * padded / zero-inserted taps contribute exactly 0.
 */
#include "arm_nnsupportfunctions.h"

void arm_nn_conv_core_s8(const cmsis_nn_conv_params *conv_params,
                         const int32_t *multiplier,
                         const int32_t *shift,
                         const cmsis_nn_dims *input_dims,
                         const int8_t *input_data,
                         const cmsis_nn_dims *filter_dims,
                         const int8_t *filter_data,
                         const int32_t *bias_data,
                         const cmsis_nn_dims *upscale_dims,
                         const cmsis_nn_dims *output_dims,
                         int8_t *output_data)
{
    const int32_t up_h = (upscale_dims != NULL && upscale_dims->h > 0) ? upscale_dims->h : 1;
    const int32_t up_w = (upscale_dims != NULL && upscale_dims->w > 0) ? upscale_dims->w : 1;
    const int32_t virt_h = input_dims->h;
    const int32_t virt_w = input_dims->w;
    const int32_t in_h = virt_h / up_h;
    const int32_t in_w = virt_w / up_w;
    const int32_t in_c = input_dims->c;
    const int32_t ck = filter_dims->c;
    const int32_t groups = in_c / ck;
    const int32_t kh = filter_dims->h;
    const int32_t kw = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t oc_per_group = out_c / groups;
    const int32_t batches = input_dims->n;
    const int32_t stride_h = conv_params->stride.h;
    const int32_t stride_w = conv_params->stride.w;
    const int32_t pad_h = conv_params->padding.h;
    const int32_t pad_w = conv_params->padding.w;
    const int32_t dil_h = conv_params->dilation.h;
    const int32_t dil_w = conv_params->dilation.w;
    const int32_t in_off = conv_params->input_offset;
    const int32_t out_off = conv_params->output_offset;
    const int32_t act_min = conv_params->activation.min;
    const int32_t act_max = conv_params->activation.max;
    int32_t b, oy, ox, g, ocg, ky, kx, c;

    for (b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + (int32_t)b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; oy++)
        {
            for (ox = 0; ox < out_w; ox++)
            {
                int8_t *out_px = output_data + ((b * out_h + oy) * out_w + ox) * out_c;
                const int32_t base_y = oy * stride_h - pad_h;
                const int32_t base_x = ox * stride_w - pad_w;
                /* Without horizontal upscaling the taps inside the input are one range
                 * [kx_lo, kx_hi): found once per position, walked without per-tap checks (a
                 * one-input-channel conv does one MAC per tap, so the checks dominated). */
                int32_t kx_lo = 0;
                int32_t kx_hi = kw;
                while (kx_lo < kw && base_x + kx_lo * dil_w < 0)
                {
                    kx_lo++;
                }
                while (kx_hi > kx_lo && base_x + (kx_hi - 1) * dil_w >= in_w)
                {
                    kx_hi--;
                }
                for (g = 0; g < groups; g++)
                {
                    for (ocg = 0; ocg < oc_per_group; ocg++)
                    {
                        const int32_t oc = g * oc_per_group + ocg;
                        uint32_t acc = bias_data != NULL ? (uint32_t)bias_data[oc] : 0u;
                        int32_t res;
                        for (ky = 0; ky < kh; ky++)
                        {
                            const int32_t vy = base_y + ky * dil_h;
                            int32_t iy;
                            if (vy < 0 || vy >= virt_h || (vy % up_h) != 0)
                            {
                                continue;
                            }
                            iy = vy / up_h;
                            if (iy >= in_h)
                            {
                                continue;
                            }
                            if (up_w == 1 && kx_lo < kx_hi)
                            {
                                const int8_t *ip = in_batch + (iy * in_w + base_x + kx_lo * dil_w) * in_c + g * ck;
                                const int8_t *wp = filter_data + ((oc * kh + ky) * kw + kx_lo) * ck;
                                const int32_t ip_step = dil_w * in_c;
                                for (kx = kx_lo; kx < kx_hi; kx++)
                                {
                                    for (c = 0; c < ck; c++)
                                    {
                                        acc += (uint32_t)(((int32_t)ip[c] + in_off) * (int32_t)wp[c]);
                                    }
                                    ip += ip_step;
                                    wp += ck;
                                }
                            }
                            if (up_w == 1)
                            {
                                continue;
                            }
                            for (kx = 0; kx < kw; kx++)
                            {
                                const int32_t vx = base_x + kx * dil_w;
                                int32_t ix;
                                const int8_t *ip;
                                const int8_t *wp;
                                if (vx < 0 || vx >= virt_w || (vx % up_w) != 0)
                                {
                                    continue;
                                }
                                ix = vx / up_w;
                                if (ix >= in_w)
                                {
                                    continue;
                                }
                                ip = in_batch + (iy * in_w + ix) * in_c + g * ck;
                                wp = filter_data + ((oc * kh + ky) * kw + kx) * ck;
                                for (c = 0; c < ck; c++)
                                {
                                    acc += (uint32_t)(((int32_t)ip[c] + in_off) * (int32_t)wp[c]);
                                }
                            }
                        }
                        res = arm_nn_requantize((int32_t)acc, multiplier[oc], shift[oc]) + out_off;
                        out_px[oc] = (int8_t)arm_nn_clamp(res, act_min, act_max);
                    }
                }
            }
        }
    }
}

void arm_nn_depthwise_core_s8(const cmsis_nn_dw_conv_params *dw_conv_params,
                              const int32_t *multiplier,
                              const int32_t *shift,
                              const cmsis_nn_dims *input_dims,
                              const int8_t *input_data,
                              const cmsis_nn_dims *filter_dims,
                              const int8_t *filter_data,
                              const int32_t *bias_data,
                              const cmsis_nn_dims *output_dims,
                              int8_t *output_data)
{
    const int32_t in_h = input_dims->h;
    const int32_t in_w = input_dims->w;
    const int32_t in_c = input_dims->c;
    const int32_t kh = filter_dims->h;
    const int32_t kw = filter_dims->w;
    const int32_t out_h = output_dims->h;
    const int32_t out_w = output_dims->w;
    const int32_t out_c = output_dims->c;
    const int32_t ch_mult = dw_conv_params->ch_mult;
    const int32_t batches = input_dims->n;
    const int32_t stride_h = dw_conv_params->stride.h;
    const int32_t stride_w = dw_conv_params->stride.w;
    const int32_t pad_h = dw_conv_params->padding.h;
    const int32_t pad_w = dw_conv_params->padding.w;
    const int32_t dil_h = dw_conv_params->dilation.h;
    const int32_t dil_w = dw_conv_params->dilation.w;
    const int32_t in_off = dw_conv_params->input_offset;
    const int32_t out_off = dw_conv_params->output_offset;
    const int32_t act_min = dw_conv_params->activation.min;
    const int32_t act_max = dw_conv_params->activation.max;
    int32_t b, oy, ox, ic, m, ky, kx;

    for (b = 0; b < batches; b++)
    {
        const int8_t *in_batch = input_data + b * in_h * in_w * in_c;
        for (oy = 0; oy < out_h; oy++)
        {
            const int32_t base_y = oy * stride_h - pad_h;
            for (ox = 0; ox < out_w; ox++)
            {
                const int32_t base_x = ox * stride_w - pad_w;
                int8_t *out_px = output_data + ((b * out_h + oy) * out_w + ox) * out_c;
                for (ic = 0; ic < in_c; ic++)
                {
                    for (m = 0; m < ch_mult; m++)
                    {
                        const int32_t oc = ic * ch_mult + m;
                        uint32_t acc = bias_data != NULL ? (uint32_t)bias_data[oc] : 0u;
                        int32_t res;
                        for (ky = 0; ky < kh; ky++)
                        {
                            const int32_t iy = base_y + ky * dil_h;
                            if (iy < 0 || iy >= in_h)
                            {
                                continue;
                            }
                            for (kx = 0; kx < kw; kx++)
                            {
                                const int32_t ix = base_x + kx * dil_w;
                                if (ix < 0 || ix >= in_w)
                                {
                                    continue;
                                }
                                acc += (uint32_t)(((int32_t)in_batch[(iy * in_w + ix) * in_c + ic] + in_off) *
                                                  (int32_t)filter_data[(ky * kw + kx) * out_c + oc]);
                            }
                        }
                        res = arm_nn_requantize((int32_t)acc, multiplier[oc], shift[oc]) + out_off;
                        out_px[oc] = (int8_t)arm_nn_clamp(res, act_min, act_max);
                    }
                }
            }
        }
    }
}
