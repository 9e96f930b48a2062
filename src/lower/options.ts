import { UserError } from "../ir/errors.js";
import { targetClass } from "../kernels/buffer_sizes.js";
import type { TargetClass } from "../kernels/types.js";

export const TARGETS = [
  "cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m23",
  "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m35p",
  "cortex-m55", "cortex-m85",
] as const;

export interface LowerOptions {
  /** CPU name, e.g. cortex-m55. */
  target: string;
  /** How CMSIS-NN is compiled for that CPU: pure C, DSP or MVE. */
  targetClass: TargetClass;
  /** "nhwc": graph inputs/outputs of convolutional models are channels-last. */
  ioLayout: "nchw" | "nhwc";
  /**
   * Lower every conv as written: no padding-only taps trimmed, no
   * one-input-channel depthwise conv turned into a regular conv. The baseline
   * the tests compare those rewrites against; never set by the CLI.
   */
  asWritten?: boolean;
  /**
   * --integer-only: substitutions that would be less exact than the float a
   * default build keeps (a softmax over a middle dim through transposes, a
   * constant broadcast written out) apply only here, as do integer kernels that replace
   * exact float code (the STFT magnitude sqrt(a² + b²) → cortex_m.quantized_hypot,
   * int8 ↔ int16 borders → cortex_m.requantize).
   */
  integerOnly?: boolean;
}

export function lowerOptions(target = "cortex-m55", ioLayout: "nchw" | "nhwc" = "nchw"): LowerOptions {
  const t = target.toLowerCase().replace("cortex-m0+", "cortex-m0plus");
  if (!(TARGETS as readonly string[]).includes(t)) {
    throw new UserError(`--target: unknown target '${target}' (one of ${TARGETS.join(", ")})`);
  }
  return { target: t, targetClass: targetClass(t), ioLayout };
}
