// What a convolution costs on the real CMSIS-NN, per kernel path and core
// class, written down as data. The layout / kernel choice (layout_choice.ts)
// ranks the calls it could make by these estimates instead of by scattered
// conditions.
//
// Calibration: QEMU -icount instruction counts per step of the generated C
// linked against ../shared/third_party/CMSIS-NN (Source/*/*.c except *_f16.c /
// *_f32.c, -O2 -ffp-contract=off), boards mps3-an547 (M55, MVE), mps2-an386
// (M4, DSP), mps2-an385 (M3, scalar), measured with
//   node dist/bench/real_steps.js <model> <cortex-m55|cortex-m4|cortex-m3> --steps
// on silero-vad, wav2letter (input=1x1x700) and yolo11n (images=1x3x96x96);
// figures are instructions per multiply-accumulate of the kernel path, rounded
// (the steps they come from are named in the comments).
import type { TargetClass } from "../kernels/types.js";

/** Instructions ≈ perMac · MACs + perOutput · output elements. */
export interface PathCost {
  perMac: number;
  perOutput: number;
}

type PathTable = Record<string, PathCost>;

/**
 * The kernel paths of arm_convolve_wrapper_s8 / arm_depthwise_conv_wrapper_s8.
 * On DSP and scalar builds arm_convolve_1_x_n_s8 only forwards to
 * arm_convolve_s8, so both cost the same there.
 */
export const KERNEL_COST: Record<TargetClass, PathTable> = {
  mve: {
    // yolo11n 1x1 convs (model.2.cv1, model.16.cv1): 0.25–0.3/MAC
    arm_convolve_1x1_s8_fast: { perMac: 0.27, perOutput: 2 },
    arm_convolve_1x1_s8: { perMac: 0.3, perOutput: 2 },
    // yolo11n 3x3 convs (model.1, model.3): ~0.35/MAC; silero encoder.0: 0.33/MAC
    arm_convolve_s8: { perMac: 0.35, perOutput: 3 },
    arm_convolve_1_x_n_s8: { perMac: 0.35, perOutput: 3 },
    // yolo11n depthwise 3x3 (model.23.cv3.*.0): ~1.5/MAC
    arm_depthwise_conv_s8_opt: { perMac: 1.5, perOutput: 4 },
    arm_depthwise_conv_3x3_s8: { perMac: 1.5, perOutput: 4 },
    arm_depthwise_conv_s8: { perMac: 4, perOutput: 8 },
  },
  dsp: {
    // wav2letter 20/22 (1x1, 250→2000→29 channels): ~0.9/MAC
    arm_convolve_1x1_s8_fast: { perMac: 0.9, perOutput: 20 },
    arm_convolve_1x1_s8: { perMac: 0.95, perOutput: 20 },
    // wav2letter 4..16 (K=7, 250 channels), silero encoder.0: ~1.0–1.4/MAC;
    // silero's STFT conv run as a regular conv (C_in = 1): 2.0/MAC
    arm_convolve_s8: { perMac: 1.1, perOutput: 25 },
    arm_convolve_1_x_n_s8: { perMac: 1.1, perOutput: 25 },
    arm_depthwise_conv_3x3_s8: { perMac: 2.5, perOutput: 15 },
    arm_depthwise_conv_s8_opt: { perMac: 2.5, perOutput: 15 },
    // silero STFT conv (C_in 1, ch_mult 258): 38/MAC; wav2letter 0 (ch_mult 250)
    arm_depthwise_conv_s8: { perMac: 38, perOutput: 20 },
  },
  scalar: {
    // wav2letter 20/22: ~1.4/MAC
    arm_convolve_1x1_s8_fast: { perMac: 1.4, perOutput: 25 },
    arm_convolve_1x1_s8: { perMac: 1.45, perOutput: 25 },
    // wav2letter 4..16 (K=7): ~1.6/MAC; STFT conv as a regular conv: 2.9/MAC
    arm_convolve_s8: { perMac: 1.7, perOutput: 30 },
    arm_convolve_1_x_n_s8: { perMac: 1.7, perOutput: 30 },
    arm_depthwise_conv_3x3_s8: { perMac: 4, perOutput: 20 },
    arm_depthwise_conv_s8_opt: { perMac: 5, perOutput: 20 },
    // silero STFT conv: 41/MAC
    arm_depthwise_conv_s8: { perMac: 41, perOutput: 20 },
  },
};

/**
 * The MVE depthwise wrapper turns a one-input-channel depthwise conv into a
 * regular conv after transposing the filter into its scratch with
 * arm_transpose_s8, on every call: instructions per filter byte (silero STFT
 * conv on the M55: 328 k for the call against ~0.2 M for the conv).
 */
export const MVE_DW_TO_CONV_TRANSPOSE_PER_BYTE = 1.5;

/** Estimated instructions of one call of `kernel` on `tc` (unknown paths count as the generic conv). */
export function pathCost(tc: TargetClass, kernel: string, macs: number, outputs: number): number {
  const c = KERNEL_COST[tc][kernel] ?? KERNEL_COST[tc].arm_convolve_s8!;
  return c.perMac * macs + c.perOutput * outputs;
}
