import { convolveWrapperS8BufferSize, depthwiseConvWrapperS8BufferSize } from "../kernels/buffer_sizes.js";
import { convWrapperDispatch, convWrapperOutcome, depthwiseWrapperDispatch, depthwiseWrapperOutcome } from "../kernels/dispatch.js";
import type { Dims, TargetClass, Tile } from "../kernels/types.js";

/** CMSIS-NN view of one convolution: what the wrapper call will receive. */
export interface ConvCall {
  depthwise: boolean;
  input: Dims;
  filter: Dims;
  output: Dims;
  stride: Tile;
  padding: Tile;
  dilation: Tile;
  chMult: number;
}

export interface KernelChoice {
  kernel: string;
  scratchBytes: number;
  outcome: "ok" | "failure" | "wrong";
}

/** The kernel the wrapper dispatches to on `tc`, its scratch size and whether the MVE 1xN defect bites. */
export function kernelFor(tc: TargetClass, c: ConvCall): KernelChoice {
  const p = { stride: c.stride, padding: c.padding, dilation: c.dilation };
  if (c.depthwise) {
    const dp = { ...p, chMult: c.chMult };
    return {
      kernel: depthwiseWrapperDispatch(tc, dp, c.input, c.filter, c.output),
      scratchBytes: depthwiseConvWrapperS8BufferSize(tc, p, c.input, c.filter, c.output),
      outcome: depthwiseWrapperOutcome(tc, p, c.input, c.filter, c.output),
    };
  }
  return {
    kernel: convWrapperDispatch(tc, p, c.input, c.filter, c.output),
    scratchBytes: convolveWrapperS8BufferSize(tc, p, c.input, c.filter, c.output),
    outcome: convWrapperOutcome(tc, p, c.input, c.filter, c.output),
  };
}

/** Geometry of a conv1d: batch, channels, length, kernel, stride, pads, dilation. */
export interface Conv1dGeometry {
  n: number; cin: number; cout: number; len: number; outLen: number;
  k: number; stride: number; pad: number; dilation: number;
  depthwise: boolean; chMult: number; groups: number;
}

export type Conv1dLayout = "Nx1" | "1xN";

/** The 4-D call for a conv1d whose length is put on H (Nx1) or on W (1xN). */
export function conv1dCall(geo: Conv1dGeometry, layout: Conv1dLayout): ConvCall {
  const onH = layout === "Nx1";
  const sp = (v: number, unit: number): Tile => (onH ? { h: v, w: unit } : { h: unit, w: v });
  const inHW = sp(geo.len, 1);
  const outHW = sp(geo.outLen, 1);
  const kHW = sp(geo.k, 1);
  return {
    depthwise: geo.depthwise,
    input: { n: geo.n, h: inHW.h, w: inHW.w, c: geo.cin },
    filter: geo.depthwise ? { n: 1, h: kHW.h, w: kHW.w, c: geo.cout } : { n: geo.cout, h: kHW.h, w: kHW.w, c: geo.cin / geo.groups },
    output: { n: geo.n, h: outHW.h, w: outHW.w, c: geo.cout },
    stride: sp(geo.stride, 1),
    padding: sp(geo.pad, 0),
    dilation: sp(geo.dilation, 1),
    chMult: geo.chMult,
  };
}

export interface Conv1dDecision extends KernelChoice {
  layout: Conv1dLayout;
  reason: string;
}

/**
 * Where the length of a conv1d goes. 1xN (H = 1) is taken only where the
 * wrapper then reaches arm_convolve_1_x_n_s8 and that kernel is right on this
 * target: on MVE the snapshot's 1xN kernel fails or silently miscomputes
 * strided / unevenly padded rows (cmsis-nn.md "Known defects"), and the MVE
 * depthwise wrapper turns one-input-channel depthwise convs into regular convs
 * that can land there too. Everywhere else the length goes on H (Nx1), where
 * the general kernel accepts any stride and padding.
 */
export function chooseConv1dLayout(tc: TargetClass, geo: Conv1dGeometry): Conv1dDecision {
  const wide = kernelFor(tc, conv1dCall(geo, "1xN"));
  const tall = kernelFor(tc, conv1dCall(geo, "Nx1"));
  if (wide.kernel === "arm_convolve_1_x_n_s8") {
    if (wide.outcome === "ok") {
      return { ...wide, layout: "1xN", reason: "1xN: arm_convolve_1_x_n_s8 predicate holds and the kernel is exact here" };
    }
    return {
      ...tall,
      layout: "Nx1",
      reason: `Nx1: as 1xN the MVE arm_convolve_1_x_n_s8 would ${wide.outcome === "failure" ? "return ARM_CMSIS_NN_FAILURE" : "return wrong output"} (stride ${geo.stride}, pad ${geo.pad}); length on H runs ${tall.kernel}`,
    };
  }
  if (tall.outcome !== "ok") throw new Error(`no valid layout for conv1d (${tall.kernel} ${tall.outcome})`);
  const why = tall.kernel === wide.kernel ? `both layouts reach ${tall.kernel}` : `1xN would reach ${wide.kernel}`;
  return { ...tall, layout: "Nx1", reason: `Nx1: ${why}` };
}
