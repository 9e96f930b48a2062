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
// figures are instructions per multiply-accumulate of the kernel path (the
// steps they come from are named in the comments; "assumed" marks paths no
// built-in model reaches on that core, set from the nearest measured one).
import type { TargetClass } from "../kernels/types.js";

/**
 * Instructions ≈ (perMac + oddRowPerMac / rows, when rows is odd) · MACs +
 * perOutput · output elements + perTap · rows · KH · KW, with rows = output
 * positions (N·H·W). The DSP GEMMs work on two rows at a time; an odd last row
 * runs at the one-row rate, which weighs on layers with few positions
 * (Wav2Letter's 1x1 convs over 3). perTap is im2col's one copy of C_in bytes
 * per filter tap and position, which dominates when C_in is 1.
 */
export interface PathCost {
  perMac: number;
  perOutput: number;
  oddRowPerMac?: number;
  perTap?: number;
}

type PathTable = Record<string, PathCost>;

/**
 * The kernel paths of arm_convolve_wrapper_s8 / arm_depthwise_conv_wrapper_s8.
 * On DSP and scalar builds arm_convolve_1_x_n_s8 only forwards to
 * arm_convolve_s8, so both cost the same there.
 */
export const KERNEL_COST: Record<TargetClass, PathTable> = {
  mve: {
    // yolo11n 96: 19 1x1 convs 0.21–0.62/MAC, most 0.22–0.25; wav2letter 20/22: 0.33, the same as
    // through arm_convolve_s8 (8,012,000 vs 8,013,600 for layer 22), hence the same figure as that path
    arm_convolve_1x1_s8_fast: { perMac: 0.21, perOutput: 3 },
    arm_convolve_1x1_s8: { perMac: 0.21, perOutput: 3 }, // assumed as the stride-1 path (not measured)
    // yolo11n 96: 18 convs 0.19–1.42/MAC, most 0.19–0.33; silero encoder.0 0.22. Silero's STFT conv
    // (C_in 1, K 256, 4 positions): 97,700 as Nx1 through arm_convolve_s8 against 59,650 as 1xN: ~37
    // per im2col tap
    arm_convolve_s8: { perMac: 0.21, perOutput: 3, perTap: 37 },
    // silero STFT conv as a regular 1xN conv: 0.23/MAC
    arm_convolve_1_x_n_s8: { perMac: 0.23, perOutput: 3 },
    // yolo11n 96 model.23 depthwise 3x3: 2.24/MAC
    arm_depthwise_conv_s8_opt: { perMac: 2.24, perOutput: 4 },
    arm_depthwise_conv_3x3_s8: { perMac: 2.24, perOutput: 4 }, // not reached on MVE
    arm_depthwise_conv_s8: { perMac: 4, perOutput: 8 }, // assumed (not measured)
  },
  dsp: {
    // yolo11n 96 1x1 convs: 1.60/MAC over 144 positions (model.16.cv1), 1.885 over 9 (model.9.cv2);
    // wav2letter 20/22 over 3 positions: 2.57
    arm_convolve_1x1_s8_fast: { perMac: 1.6, perOutput: 20, oddRowPerMac: 2.7 },
    arm_convolve_1x1_s8: { perMac: 1.6, perOutput: 20, oddRowPerMac: 2.7 }, // assumed as the stride-1 path
    // the same 1x1 convs through arm_convolve_s8: 1.86 (144 positions), 1.855 (9), 2.03 (3); yolo11n 3x3
    // convs 1.69–2.87 (most 1.7–2.1); wav2letter 2..18 1.67–2.05; silero STFT as a regular conv 2.03
    arm_convolve_s8: { perMac: 1.85, perOutput: 25, oddRowPerMac: 0.5 },
    arm_convolve_1_x_n_s8: { perMac: 1.85, perOutput: 25, oddRowPerMac: 0.5 }, // forwards to arm_convolve_s8
    arm_depthwise_conv_3x3_s8: { perMac: 2.5, perOutput: 15 }, // assumed (not measured)
    arm_depthwise_conv_s8_opt: { perMac: 2.5, perOutput: 15 }, // assumed (not measured)
    // silero STFT conv (C_in 1, ch_mult 258): 38/MAC
    arm_depthwise_conv_s8: { perMac: 38, perOutput: 20 },
  },
  scalar: {
    // yolo11n 96 1x1 convs: 2.66–3.65/MAC over an even number of positions (most 2.8), 3.02–3.05 over 9;
    // wav2letter 20/22 over 3: 3.86
    arm_convolve_1x1_s8_fast: { perMac: 2.8, perOutput: 25, oddRowPerMac: 3.2 },
    arm_convolve_1x1_s8: { perMac: 2.8, perOutput: 25, oddRowPerMac: 3.2 }, // assumed as the stride-1 path
    // the same 1x1 convs through arm_convolve_s8: 2.65–4.12 (even), 2.88–2.91 (9 positions), 3.36 (3);
    // wav2letter K>1 convs 2.55–3.38 (most 2.58); silero STFT as a regular conv 2.91. perMac 2.9 keeps
    // the measured order against the 1x1 path (it is the 1x1 convs' figure, not the K>1 ones')
    arm_convolve_s8: { perMac: 2.9, perOutput: 30, oddRowPerMac: 1.4 },
    arm_convolve_1_x_n_s8: { perMac: 2.9, perOutput: 30, oddRowPerMac: 1.4 }, // forwards to arm_convolve_s8
    arm_depthwise_conv_3x3_s8: { perMac: 4, perOutput: 20 }, // assumed (not measured)
    arm_depthwise_conv_s8_opt: { perMac: 5, perOutput: 20 }, // assumed (not measured)
    // silero STFT conv: 41/MAC
    arm_depthwise_conv_s8: { perMac: 41, perOutput: 20 },
  },
};

/**
 * The MVE depthwise wrapper turns a one-input-channel depthwise conv into a
 * regular conv after transposing the filter into its scratch with
 * arm_transpose_s8, on every call: instructions per filter byte (silero STFT
 * conv on the M55: 328,150 through the depthwise wrapper, 59,650 as a regular
 * conv; 268,500 more for its 66,048 filter bytes).
 */
export const MVE_DW_TO_CONV_TRANSPOSE_PER_BYTE = 4;

/** Estimated instructions of one call of `kernel` on `tc` (unknown paths count as the generic conv). */
export function pathCost(tc: TargetClass, kernel: string, w: { macs: number; outputs: number; rows: number; taps: number }): number {
  const c = KERNEL_COST[tc][kernel] ?? KERNEL_COST[tc].arm_convolve_s8!;
  const odd = w.rows % 2 === 1 ? (c.oddRowPerMac ?? 0) / w.rows : 0;
  return (c.perMac + odd) * w.macs + c.perOutput * w.outputs + (c.perTap ?? 0) * w.rows * w.taps;
}
