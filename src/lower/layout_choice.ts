import { convolveS8BufferSize, convolveWrapperS8BufferSize, depthwiseConvWrapperS8BufferSize } from "../kernels/buffer_sizes.js";
import { convWrapperDispatch, convWrapperOutcome, depthwiseWrapperDispatch, depthwiseWrapperOutcome } from "../kernels/dispatch.js";
import type { Dims, TargetClass, Tile } from "../kernels/types.js";
import { isMveDwToConv } from "../kernels/dispatch.js";
import { MVE_DW_TO_CONV_TRANSPOSE_PER_BYTE, pathCost } from "./cost_model.js";

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
  /** Call the kernel itself (arm_convolve_s8) instead of the wrapper that would pick another one. */
  direct?: boolean;
}

/**
 * arm_convolve_s8 called directly: any geometry, always exact. Where the
 * wrapper would pick a 1x1 or 1xN path that is slower on this core (the DSP
 * and scalar 1x1 paths run one output row at a time, cost_model.ts), the
 * cost model may prefer it; the arithmetic is the same in every path.
 */
export function directConvolveS8(tc: TargetClass, c: ConvCall): KernelChoice {
  return { kernel: "arm_convolve_s8", scratchBytes: convolveS8BufferSize(tc, c.input, c.filter), outcome: "ok", direct: true };
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
  /** False when a one-input-channel depthwise conv runs as a regular conv. */
  depthwise: boolean;
  /** Estimated instructions on the real library (cost_model.ts). */
  cost: number;
  /** The CMSIS-NN call to make (through the wrapper unless `direct`). */
  call: ConvCall;
  reason: string;
}

/** Multiply-accumulates of a call. */
export function callMacs(c: ConvCall): number {
  const outputs = c.output.n * c.output.h * c.output.w * c.output.c;
  return outputs * c.filter.h * c.filter.w * (c.depthwise ? 1 : c.filter.c);
}

/** Estimated instructions of a call on the real library of `tc` (cost_model.ts). */
export function callCost(tc: TargetClass, c: ConvCall, k: KernelChoice): number {
  const outputs = c.output.n * c.output.h * c.output.w * c.output.c;
  let cost = pathCost(tc, k.kernel, { macs: callMacs(c), outputs, rows: c.output.n * c.output.h * c.output.w, taps: c.filter.h * c.filter.w });
  // The MVE wrapper transposes the filter of a one-input-channel depthwise conv on every call.
  if (c.depthwise && tc === "mve" && isMveDwToConv(c.input, c.output)) cost += MVE_DW_TO_CONV_TRANSPOSE_PER_BYTE * c.filter.h * c.filter.w * c.filter.c;
  return Math.round(cost);
}

/**
 * The same convolution as a regular conv when it is a depthwise conv over one
 * input channel (every output channel reads the one input channel): its OHWI
 * filter [C_out, KH, KW, 1] holds the same bytes as the ONNX weight, no
 * transposed copy in scratch is needed, and the integer sums are the same.
 */
export function asRegularConv(c: ConvCall): ConvCall | null {
  if (!c.depthwise || c.input.c !== 1) return null;
  return { ...c, depthwise: false, chMult: 1, filter: { n: c.output.c, h: c.filter.h, w: c.filter.w, c: 1 } };
}

interface Candidate {
  call: ConvCall;
  layout: Conv1dLayout;
  choice: KernelChoice;
  cost: number;
}

/** The wrapper's path and, for a regular conv it would not send to arm_convolve_s8, that kernel called directly. */
function choicesFor(tc: TargetClass, call: ConvCall): KernelChoice[] {
  const viaWrapper = kernelFor(tc, call);
  if (call.depthwise || viaWrapper.kernel === "arm_convolve_s8") return [viaWrapper];
  return [viaWrapper, directConvolveS8(tc, call)];
}

/** The cheapest exact candidate; ties go to less scratch, then to the earlier candidate. */
function cheapest(cands: Candidate[]): { best: Candidate; rejected: Candidate[] } | null {
  const ok = cands.filter((c) => c.choice.outcome === "ok");
  if (!ok.length) return null;
  const best = ok.reduce((a, b) => (b.cost < a.cost || (b.cost === a.cost && b.choice.scratchBytes < a.choice.scratchBytes) ? b : a));
  return { best, rejected: cands.filter((c) => c !== best) };
}

function describe(c: Candidate, twoD = false): string {
  const what = `${c.call.depthwise ? "depthwise" : "conv"}${c.choice.direct ? " (direct)" : ""}`;
  if (c.choice.outcome !== "ok") {
    return `${twoD ? "" : `${c.layout} `}${what} ${c.choice.kernel} would ${c.choice.outcome === "failure" ? "return ARM_CMSIS_NN_FAILURE" : "return wrong output"} on MVE`;
  }
  return `${twoD ? "" : `${c.layout} `}${what} ${c.choice.kernel} ~${c.cost}`;
}

function decide(tc: TargetClass, calls: { call: ConvCall; layout: Conv1dLayout }[], twoD = false): Conv1dDecision | null {
  const cands = calls.flatMap(({ call, layout }) => choicesFor(tc, call).map((choice) => ({ call, layout, choice, cost: callCost(tc, call, choice) })));
  const pick = cheapest(cands);
  if (!pick) return null;
  const { best, rejected } = pick;
  const others = rejected.map((c) => describe(c, twoD));
  return {
    ...best.choice, layout: best.layout, depthwise: best.call.depthwise, cost: best.cost, call: best.call,
    reason: `${describe(best, twoD)} instructions (${tc} cost model)${others.length ? `; rather than ${others.join(", ")}` : ""}`,
  };
}

/**
 * Where the length of a conv1d goes, and which kernel runs it: every exact
 * call (length on H or on W; a one-input-channel depthwise conv also as a
 * regular conv) is ranked by the cost model of the real library for this
 * target. A layout is exact unless it reaches the MVE arm_convolve_1_x_n_s8
 * in a case where that kernel fails or silently miscomputes (strided /
 * unevenly padded rows, cmsis-nn.md "Known defects"), which includes the
 * one-input-channel depthwise convs the MVE wrapper turns into regular convs.
 */
export function chooseConv1dLayout(tc: TargetClass, geo: Conv1dGeometry, allowRegular = true): Conv1dDecision {
  const calls: { call: ConvCall; layout: Conv1dLayout }[] = [];
  for (const layout of ["Nx1", "1xN"] as const) {
    const call = conv1dCall(geo, layout);
    calls.push({ call, layout });
    const regular = allowRegular ? asRegularConv(call) : null;
    if (regular) calls.push({ call: regular, layout });
  }
  const d = decide(tc, calls);
  if (!d) throw new Error(`no valid layout for conv1d (${calls.map((c) => kernelFor(tc, c.call).kernel).join(", ")})`);
  return d;
}

/** The kernel of a conv2d: as given, or (one input channel, depthwise) as a regular conv when cheaper. */
export function chooseConv2d(tc: TargetClass, call: ConvCall, allowRegular = true): Conv1dDecision | null {
  const regular = allowRegular ? asRegularConv(call) : null;
  return decide(tc, [{ call, layout: "Nx1" }, ...(regular ? [{ call: regular, layout: "Nx1" as const }] : [])], true);
}
