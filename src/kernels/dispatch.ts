/**
 * CMSIS-NN wrapper dispatch predicates (§5) and the MVE arm_convolve_1_x_n_s8 defect predictor.
 */
import type { Compiler, ConvParams, Dims, DwConvParams, TargetClass, Tile } from './types.js';

type ConvLike = { stride: Tile; padding: Tile; dilation: Tile };

/** arm_nn_is_convolve_1x1 */
export function isConv1x1(p: ConvLike, inputDims: Dims, filterDims: Dims): boolean {
  return p.padding.w === 0 && p.padding.h === 0 && filterDims.w === 1 && filterDims.h === 1 &&
    p.dilation.w === 1 && p.dilation.h === 1 && inputDims.c === filterDims.c;
}
/** arm_nn_is_convolve_1x1_fast (evaluated after isConv1x1) */
export function isConv1x1Fast(p: ConvLike): boolean {
  return p.stride.w === 1 && p.stride.h === 1;
}
/** arm_nn_is_convolve_1_x_n */
export function isConv1xN(p: ConvLike, inputDims: Dims, filterDims: Dims): boolean {
  return inputDims.h === 1 && p.dilation.w === 1 && filterDims.h === 1 &&
    (p.stride.w * inputDims.c) % 4 === 0 && inputDims.c === filterDims.c;
}

export type ConvKernelName = 'arm_convolve_1x1_s8_fast' | 'arm_convolve_1x1_s8' | 'arm_convolve_1_x_n_s8' | 'arm_convolve_s8';

/** arm_convolve_wrapper_s8 dispatch (same order on every target class). */
export function convWrapperDispatch(_target: TargetClass, params: ConvLike, inputDims: Dims, filterDims: Dims, _outputDims?: Dims): ConvKernelName {
  if (isConv1x1(params, inputDims, filterDims)) return isConv1x1Fast(params) ? 'arm_convolve_1x1_s8_fast' : 'arm_convolve_1x1_s8';
  if (isConv1xN(params, inputDims, filterDims)) return 'arm_convolve_1_x_n_s8';
  return 'arm_convolve_s8';
}

/** Full call trace of arm_convolve_wrapper_s8 (incl. the 1xN → arm_convolve_s8 fallbacks), as in `dispatch_trace`. */
export function convWrapperDispatchTrace(target: TargetClass, params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims): string[] {
  const k = convWrapperDispatch(target, params, inputDims, filterDims, outputDims);
  const trace = ['arm_convolve_wrapper_s8', k];
  if (k === 'arm_convolve_1_x_n_s8') {
    if (target !== 'mve') trace.push('arm_convolve_s8');
    else {
      const seg = mve1xNSegmentation(params, inputDims, filterDims, outputDims);
      if (seg.paddingCheckPasses && !seg.segmentsAddUp) trace.push('arm_convolve_s8');
    }
  }
  return trace;
}

/** DW→conv threshold: 8 with Arm Compiler 6, 1 with GCC. */
export function dwToConvThreshold(compiler: Compiler = 'gcc'): number { return compiler === 'armclang' ? 8 : 1; }

/** True when the MVE depthwise wrapper converts the DW conv into a regular conv. */
export function isMveDwToConv(inputDims: Dims, outputDims: Dims, compiler: Compiler = 'gcc'): boolean {
  return inputDims.c === 1 && outputDims.c > dwToConvThreshold(compiler);
}

/** Filter dims of the converted conv: {C_OUT, KH, KW, 1} built from DW filter_dims {c, h, w, n}. */
export function dwToConvFilterDims(filterDims: Dims): Dims {
  return { n: filterDims.c, h: filterDims.h, w: filterDims.w, c: filterDims.n };
}

export type DwKernelName = 'arm_depthwise_conv_3x3_s8' | 'arm_depthwise_conv_s8_opt' | 'arm_depthwise_conv_s8' | ConvKernelName;

/**
 * arm_depthwise_conv_wrapper_s8 dispatch. On MVE with input.c == 1 && output.c > T (T = 1 GCC / 8 AC6)
 * returns the kernel the converted conv reaches through arm_convolve_wrapper_s8.
 */
export function depthwiseWrapperDispatch(target: TargetClass, params: DwConvParams | ConvLike & { chMult?: number },
  inputDims: Dims, filterDims: Dims, outputDims: Dims, compiler: Compiler = 'gcc'): DwKernelName {
  if (target === 'mve' && isMveDwToConv(inputDims, outputDims, compiler)) {
    return convWrapperDispatch(target, params, inputDims, dwToConvFilterDims(filterDims), outputDims);
  }
  const chMult = (params as DwConvParams).chMult ?? Math.trunc(outputDims.c / Math.max(1, inputDims.c));
  if (chMult === 1 && inputDims.n === 1 && params.dilation.w === 1 && params.dilation.h === 1) {
    if (target !== 'mve' && filterDims.w === 3 && filterDims.h === 3 && params.padding.h <= 1 && params.padding.w <= 1) return 'arm_depthwise_conv_3x3_s8';
    return 'arm_depthwise_conv_s8_opt';
  }
  return 'arm_depthwise_conv_s8';
}

/** Full call trace of arm_depthwise_conv_wrapper_s8 as recorded in the vectors' `dispatch_trace`. */
export function depthwiseWrapperDispatchTrace(target: TargetClass, params: DwConvParams | ConvLike & { chMult?: number },
  inputDims: Dims, filterDims: Dims, outputDims: Dims, compiler: Compiler = 'gcc'): string[] {
  if (target === 'mve' && isMveDwToConv(inputDims, outputDims, compiler)) {
    const fd = dwToConvFilterDims(filterDims);
    return ['arm_depthwise_conv_wrapper_s8', 'arm_transpose_s8', ...convWrapperDispatchTrace(target, params, inputDims, fd, outputDims)];
  }
  const k = depthwiseWrapperDispatch(target, params, inputDims, filterDims, outputDims, compiler);
  const trace = ['arm_depthwise_conv_wrapper_s8', k];
  if (k === 'arm_depthwise_conv_s8_opt' && target === 'scalar') trace.push('arm_depthwise_conv_s8');
  return trace;
}

/** s16 depthwise wrapper: fast if ch_mult == 1 && dilation 1 && KH·KW < 512. */
export function depthwiseWrapperS16Dispatch(params: ConvLike & { chMult: number }, filterDims: Dims): 'arm_depthwise_conv_fast_s16' | 'arm_depthwise_conv_s16' {
  return params.chMult === 1 && params.dilation.w === 1 && params.dilation.h === 1 && filterDims.h * filterDims.w < 512
    ? 'arm_depthwise_conv_fast_s16' : 'arm_depthwise_conv_s16';
}

/** Transpose conv: "reverse conv" path when stride.w ≤ 2 && stride.h ≤ 2 && input.c > 16. */
export function isTransposeConvReverse(params: { stride: Tile }, inputDims: Dims): boolean {
  return params.stride.w <= 2 && params.stride.h <= 2 && inputDims.c > 16;
}

export interface Mve1xNSegmentation {
  totalPad: number;
  asymPad: number;
  paddingCheckPasses: boolean;
  leftPadNum: number;
  noPadNum: number;
  rightPadNum: number;
  segmentsAddUp: boolean;
  /** (output, tap) pairs that read real memory beyond the input row instead of padding */
  tapsReadingPastInputRow: number;
  /** (output, tap) pairs that use padding where a real input element exists */
  tapsPaddingInsteadOfInput: number;
  /** (output, tap) pairs that read scratch beyond what the kernel filled */
  tapsReadingStaleScratch: number;
  /** (output, tap) pairs reading before the row start */
  tapsReadingBeforeInputRow: number;
}

const cdiv = (a: number, b: number): number => Math.trunc(a / b); // C integer division

/**
 * Replays the MVE arm_convolve_1_x_n_s8 segmentation (dilation 1):
 * total_pad = (W_out−1)·s + KW − W_in, asym = total_pad % 2 (C remainder);
 * FAILURE unless 2·pad + asym == total_pad; right = (pad+asym ≠ 0) ? max(1, ⌈(pad+asym)/s⌉) : 0 (C division),
 * left = pad ≠ 0 ? max(1, ⌈pad/s⌉) : 0, none = max(W_out − right − left, 0); counts must add up to W_out
 * (else arm_convolve_s8 fallback). Left segment: scratch = [pad·C padding | KW·C input from x=0], row i at i·s.
 * Middle: rows read the input directly from x = s·left − pad. Right segment: scratch = [(KW−1)·C input from
 * x0 = s·(left+none) − pad | (asym ? right : pad)·C padding], row i at i·s; anything past that is stale scratch.
 */
export function mve1xNSegmentation(params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims): Mve1xNSegmentation {
  const W = inputDims.w, KW = filterDims.w, Wo = outputDims.w, s = params.stride.w, p = params.padding.w;
  const totalPad = (Wo - 1) * s + KW - W;
  const asymPad = totalPad % 2;
  const paddingCheckPasses = p * 2 + asymPad === totalPad;
  const rightPadNum = p + asymPad !== 0 ? Math.max(1, cdiv(p + asymPad + s - 1, s)) : 0;
  const leftPadNum = p !== 0 ? Math.max(1, cdiv(p + s - 1, s)) : 0;
  const noPadNum = Math.max(Wo - (rightPadNum + leftPadNum), 0);
  const segmentsAddUp = rightPadNum + noPadNum + leftPadNum === Wo;
  let past = 0, padInstead = 0, stale = 0, before = 0;
  if (paddingCheckPasses && segmentsAddUp) {
    const classifyReal = (pos: number): void => { if (pos >= W) past++; else if (pos < 0) before++; };
    // left segment
    for (let i = 0; i < leftPadNum; i++) {
      for (let k = 0; k < KW; k++) {
        const j = i * s + k; // scratch index (in units of C)
        const pos = i * s - p + k; // true input position for this tap
        if (j < p) { if (pos >= 0 && pos < W) padInstead++; }
        else if (j < p + KW) { classifyReal(j - p); if (j - p !== pos) padInstead++; }
        else stale++;
      }
    }
    // middle segment
    const m0 = s * leftPadNum - p;
    for (let i = 0; i < noPadNum; i++) for (let k = 0; k < KW; k++) classifyReal(m0 + i * s + k);
    // right segment
    const outIdx = leftPadNum + noPadNum;
    const x0 = s * outIdx - p;
    const padRight = asymPad !== 0 ? rightPadNum : p;
    for (let i = 0; i < rightPadNum; i++) {
      for (let k = 0; k < KW; k++) {
        const j = i * s + k;
        const pos = x0 + j;
        if (j < KW - 1) classifyReal(pos);
        else if (j < KW - 1 + padRight) { if (pos >= 0 && pos < W) padInstead++; }
        else stale++;
      }
    }
  }
  return {
    totalPad, asymPad, paddingCheckPasses, leftPadNum, noPadNum, rightPadNum, segmentsAddUp,
    tapsReadingPastInputRow: past, tapsPaddingInsteadOfInput: padInstead, tapsReadingStaleScratch: stale,
    tapsReadingBeforeInputRow: before,
  };
}

/**
 * Predicted outcome of MVE arm_convolve_1_x_n_s8 for a conv that reaches it:
 * 'failure' (returns ARM_CMSIS_NN_FAILURE), 'wrong' (SUCCESS with wrong numbers), 'ok'.
 */
export function mve1xNOutcome(params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims): 'ok' | 'failure' | 'wrong' {
  const s = mve1xNSegmentation(params, inputDims, filterDims, outputDims);
  if (!s.paddingCheckPasses) return 'failure';
  if (!s.segmentsAddUp) return 'ok'; // falls back to arm_convolve_s8
  return s.tapsReadingPastInputRow + s.tapsPaddingInsteadOfInput + s.tapsReadingStaleScratch + s.tapsReadingBeforeInputRow > 0 ? 'wrong' : 'ok';
}

/**
 * Outcome of arm_convolve_wrapper_s8 for a given target class: 'ok' unless the MVE build reaches the
 * 1xN kernel in a case it gets wrong.
 */
export function convWrapperOutcome(target: TargetClass, params: ConvParams | ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims): 'ok' | 'failure' | 'wrong' {
  if (target !== 'mve') return 'ok';
  if (convWrapperDispatch(target, params, inputDims, filterDims, outputDims) !== 'arm_convolve_1_x_n_s8') return 'ok';
  return mve1xNOutcome(params, inputDims, filterDims, outputDims);
}

/** Same for arm_depthwise_conv_wrapper_s8 (MVE DW→conv conversion may reach the 1xN kernel). */
export function depthwiseWrapperOutcome(target: TargetClass, params: ConvLike, inputDims: Dims, filterDims: Dims, outputDims: Dims, compiler: Compiler = 'gcc'): 'ok' | 'failure' | 'wrong' {
  if (target !== 'mve' || !isMveDwToConv(inputDims, outputDims, compiler)) return 'ok';
  return convWrapperOutcome(target, params, inputDims, dwToConvFilterDims(filterDims), outputDims);
}
