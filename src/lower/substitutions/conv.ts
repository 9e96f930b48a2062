import { IRError } from "../../ir/errors.js";
import type { Attrs, Graph, Node, Value } from "../../ir/graph.js";
import { perTensor } from "../../ir/quant.js";
import { numel } from "../../ir/tensor.js";
import { CHANNELS_LAST } from "../../ops/cortex_m/shapes.js";
import { QUANTIZED_CONV2D, QUANTIZED_DEPTHWISE_CONV2D } from "../../ops/cortex_m/conv.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import { asRegularConv, chooseConv1dLayout, chooseConv2d, conv1dCall, type ConvCall } from "../layout_choice.js";
import { matchQuantized, quantizedInput, replacePattern, type QuantMatch } from "../match.js";
import {
  convolveWrapperS16BufferSize, depthwiseConvWrapperS16BufferSize, transposeConvS8BufferSize, transposeConvS8ReverseConvBufferSize,
} from "../../kernels/buffer_sizes.js";
import { isTransposeConvReverse } from "../../kernels/dispatch.js";
import { QUANTIZED_TRANSPOSE_CONV2D } from "../../ops/cortex_m/transpose_conv.js";
import type { LowerOptions } from "../options.js";
import { channelMultipliers } from "../qmath.js";
import { localName } from "../../ir/registry.js";
import { registerSubstitution } from "./registry.js";
import { foldTail, fusableTails } from "./tails.js";
import { CONVOLUTION } from "../../ops/conv/convolution.js";
import { sliceTaps, trimAxis } from "./conv_trim.js";
import { lowerDftConvolution } from "./stft.js";
import { CONV_F32 } from "../../ops/cortex_m/conv_f32.js";
import { windowGeometry } from "../../kernels/float32/geometry.js";
import { convWeightsBy4 } from "../../kernels/float32/float_ops.js";
import { CLONE_DIM_ORDER } from "../../ops/layout/clone_dim_order.js";
import { VIEW_COPY } from "../../ops/shape/reshape.js";

const CONTIGUOUS4 = [0, 1, 2, 3];

/**
 * A float convolution (not transposed) with constant f32 weights → cortex_m.conv_f32: the same arithmetic with the
 * weights reordered four output channels per tap (clg_conv4_f32: 3.4 instructions per MAC on M4 for a kernel of 3,
 * against 7.9 for clg_window_f32's general loop), kept in the weights file with the other constants.
 */
function lowerFloatConvolution(g: Graph, node: Node): boolean {
  const [x, w, b] = node.inputs;
  if (!x || x.dtype !== "f32" || node.output.dtype !== "f32" || (x.rank !== 3 && x.rank !== 4)) return false;
  if (!w?.data || w.dtype !== "f32" || (b && (!b.data || b.dtype !== "f32"))) return false;
  const { kind, g: geom } = windowGeometry(CONVOLUTION.name, node.attrs, x.shape, w.shape, node.output.shape);
  if (kind !== "CLG_WIN_CONV") return false;
  const w4 = g.addConst(`${node.name}_weight_by4`, "f32", [...w.shape], convWeightsBy4(w.data, geom));
  const attrs: Attrs = { ...node.attrs };
  delete attrs.transposed;
  delete attrs.output_padding;
  const y = g.op(CONV_F32.name, [x, w4, b ?? null], attrs, { before: node, name: node.name });
  g.replaceAllUses(node.output, y);
  return true;
}

/**
 * Quantized aten.convolution → cortex_m.quantized_conv2d / quantized_depthwise_conv2d.
 * Conv1d (NCW) is lowered onto the 4-D kernels: wrap the input as 4-D with
 * channels-last bytes, repack the weights ahead of time, unwrap the output.
 * Conv2d gets the same channels-last wrap. The clean-up passes later fold the
 * unwrap/wrap pairs between consecutive convs.
 */
function lowerConvolution(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (node.attrs.transposed) return lowerTransposeConvolution(g, node, opts);
  // A float conv on a windowed DFT basis is an FFT per frame (stft.ts); any other float conv stays as it is.
  if (node.inputs[1]?.dtype === "f32" && node.inputs[1].isConst() && lowerDftConvolution(g, node) === null) return null;
  if (lowerFloatConvolution(g, node)) return null;
  if (quantizedInput(node.inputs[0] ?? null)?.value.dtype === "i16") return lowerConvolutionS16(g, node, opts);
  const m = matchQuantized(g, node, [0], fusableTails());
  if (!m) return "not a quantized int8 pattern (no dequantize → conv → quantize)";
  const x = m.inputs[0]!;
  const w = m.inputs[1];
  const b = m.inputs[2] ?? null;
  if (!w || !w.value.data || w.value.dtype !== "i8") return "weight is not a constant int8 tensor";
  if (node.inputs[2] && (!b || !b.value.data || b.value.dtype !== "i32")) return "bias is not a constant int32 tensor";
  const rank = x.value.rank;
  if (rank !== 3 && rank !== 4) return `rank ${rank} convolution is not lowered`;
  const wShape = w.value.shape;
  const groups = (node.attrs.groups as number) ?? 1;
  const [n, cin] = x.value.shape as [number, number];
  const cout = wShape[0]!;
  const depthwise = cin === groups && cout % cin === 0 && n === 1;
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const { mult, shift } = channelMultipliers(x.q.scale[0]!, w.q.scale, folded.scale, cout);
  // Grouped and depthwise kernels index the bias per group: never pass NULL there.
  const bias = b ? b.value : groups > 1 ? g.addConst(`${node.name}_zero_bias`, "i32", [cout], new Int32Array(cout)) : null;
  const stride = node.attrs.stride as number[];
  const padding = node.attrs.padding as number[];
  const padEnd = (node.attrs.padding_end as number[] | undefined) ?? padding;
  const dilation = (node.attrs.dilation as number[] | undefined) ?? stride.map(() => 1);
  if (rank === 3 && padEnd[0] !== padding[0]) return "conv1d with asymmetric padding is not lowered";
  // Filter taps that only ever meet padding are dropped here (conv_trim.ts says why that is exact).
  const inSp = x.value.shape.slice(2);
  const outSp = node.output.shape.slice(2);
  const trims = inSp.map((len, i) => opts.asWritten ? null : trimAxis({
    len, outLen: outSp[i]!, k: wShape[2 + i]!, stride: stride[i]!, pad: padding[i]!, padEnd: padEnd[i]!, dilation: dilation[i]!,
  }));
  const kSp = trims.map((t, i) => t?.k ?? wShape[2 + i]!);
  const pad = trims.map((t, i) => t?.pad ?? padding[i]!);
  const padAfter = trims.map((t, i) => t?.padEnd ?? padEnd[i]!);
  const weights = trims.some((t) => t)
    ? sliceTaps(w.value.data as Int8Array, wShape, trims.map((t, i) => [t?.first ?? 0, kSp[i]!] as const))
    : { data: w.value.data as Int8Array, shape: [...wShape] };
  const trimmed: Attrs = trims.some((t) => t) ? { trimmed_taps: trims.map((t, i) => `${wShape[2 + i]}→${kSp[i]}`).join(",") } : {};
  const common: Attrs = {
    input_offset: -x.q.zeroPoint[0]!,
    output_offset: folded.zeroPoint,
    activation_min: folded.activationMin,
    activation_max: folded.activationMax,
    target_class: opts.targetClass,
  };
  const tails: Attrs = { ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}), ...trimmed };
  if (rank === 3) {
    const outLen = node.output.shape[2]!;
    const geo = {
      n, cin, cout, len: x.value.shape[2]!, outLen, k: kSp[0]!, stride: stride[0]!, pad: pad[0]!,
      dilation: dilation[0]!, depthwise, chMult: depthwise ? cout / cin : 1, groups,
    };
    const d = chooseConv1dLayout(opts.targetClass, geo, !opts.asWritten);
    const call = d.call;
    const x4shape = [n, cin, call.input.h, call.input.w];
    let x4 = g.op(VIEW_COPY.name, [x.value], { size: x4shape }, { before: node, name: `${node.name}_in_view` });
    x4.type.qparams = x.q;
    // With one input channel, channels-last bytes are the contiguous bytes.
    if (cin > 1) {
      x4 = g.op(CLONE_DIM_ORDER.name, [x4], { dim_order: CHANNELS_LAST }, { before: node, name: `${node.name}_in_nhwc` });
      x4.type.qparams = x.q;
    }
    const end: Attrs = padAfter[0] !== pad[0] ? { padding_end: d.layout === "Nx1" ? [padAfter[0]!, 0] : [0, padAfter[0]!] } : {};
    const y4 = emitConv(g, node, m, x4, weights, call, d.scratchBytes, mult, shift, bias, {
      ...common, ...tails, ...end, kernel: d.kernel, ...(d.direct ? { direct_call: true } : {}), layout: d.layout, layout_reason: d.reason,
    });
    let y = g.op(CLONE_DIM_ORDER.name, [y4], { dim_order: CONTIGUOUS4 }, { before: node, name: `${node.name}_out_nchw` });
    y.type.qparams = y4.type.qparams;
    y = g.op(VIEW_COPY.name, [y], { size: [n, cout, outLen] }, { before: node, name: `${node.name}_out_view` });
    replacePattern(g, m, y);
    return null;
  }
  // conv2d
  const [h, wd] = x.value.shape.slice(2) as [number, number];
  const [ho, wo] = node.output.shape.slice(2) as [number, number];
  const given: ConvCall = {
    depthwise,
    input: { n, h, w: wd, c: cin },
    filter: depthwise ? { n: 1, h: kSp[0]!, w: kSp[1]!, c: cout } : { n: cout, h: kSp[0]!, w: kSp[1]!, c: cin / groups },
    output: { n, h: ho, w: wo, c: cout },
    stride: { h: stride[0]!, w: stride[1]! },
    padding: { h: pad[0]!, w: pad[1]! },
    dilation: { h: dilation[0]!, w: dilation[1]! },
    chMult: depthwise ? cout / cin : 1,
  };
  const k = chooseConv2d(opts.targetClass, given, !opts.asWritten);
  if (!k) return `no CMSIS-NN kernel path is exact for this conv on ${opts.targetClass} (MVE 1xN defect)`;
  const call = k.call;
  let x4 = x.value;
  if (cin > 1 && x4.type.dimOrder.join() !== CHANNELS_LAST.join()) {
    x4 = g.op(CLONE_DIM_ORDER.name, [x4], { dim_order: CHANNELS_LAST }, { before: node, name: `${node.name}_in_nhwc` });
    x4.type.qparams = x.q;
  }
  const extra: Attrs = padAfter[0] !== pad[0] || padAfter[1] !== pad[1] ? { padding_end: padAfter } : {};
  const y4 = emitConv(g, node, m, x4, weights, call, k.scratchBytes, mult, shift, bias, {
    ...common, ...tails, ...extra, kernel: k.kernel, ...(k.direct ? { direct_call: true } : {}), layout_reason: k.reason,
  });
  const y = g.op(CLONE_DIM_ORDER.name, [y4], { dim_order: CONTIGUOUS4 }, { before: node, name: `${node.name}_out_nchw` });
  y.type.qparams = y4.type.qparams;
  replacePattern(g, m, y);
  return null;
}

/** aten transposed weight [C_IN, C_OUT, KH, KW] → the kernel's {C_OUT, KH, KW, C_IN}. */
function packTransposed(w: Int8Array, [cin, cout, kh, kw]: number[]): Int8Array {
  const out = new Int8Array(w.length);
  for (let ic = 0; ic < cin!; ic++) for (let oc = 0; oc < cout!; oc++) for (let ky = 0; ky < kh!; ky++) for (let kx = 0; kx < kw!; kx++) {
    out[((oc * kh! + ky) * kw! + kx) * cin! + ic] = w[((ic * cout! + oc) * kh! + ky) * kw! + kx]!;
  }
  return out;
}

/**
 * Quantized transposed aten.convolution (2-D, groups 1, dilation 1) →
 * cortex_m.quantized_transpose_conv2d over NHWC bytes. CMSIS-NN takes the
 * top/left padding only; output_padding and the end padding change only the
 * output extent, which the output dims carry.
 */
function lowerTransposeConvolution(g: Graph, node: Node, opts: LowerOptions): string | null {
  const x0 = node.inputs[0];
  if (!x0 || x0.rank !== 4) return "only 2-D transposed convolutions are lowered";
  const groups = (node.attrs.groups as number) ?? 1;
  if (groups !== 1) return "grouped transposed convolution is not lowered (CMSIS-NN has no grouped s8 kernel)";
  const dilation = (node.attrs.dilation as number[] | undefined) ?? [1, 1];
  if (dilation.some((d) => d !== 1)) return "dilated transposed convolution is not lowered (CMSIS-NN s8 has no dilation)";
  if (quantizedInput(x0)?.value.dtype === "i16") return "int16 transposed convolution is not lowered";
  const m = matchQuantized(g, node, [0], fusableTails());
  if (!m) return "not a quantized int8 pattern (no dequantize → conv_transpose → quantize)";
  const x = m.inputs[0]!;
  const w = m.inputs[1];
  const b = m.inputs[2] ?? null;
  if (!w || !w.value.data || w.value.dtype !== "i8") return "weight is not a constant int8 tensor";
  if (node.inputs[2] && (!b || !b.value.data || b.value.dtype !== "i32")) return "bias is not a constant int32 tensor";
  const wShape = w.value.shape;
  // The kernel scales per output channel: axis 1 of the aten [C_IN, C_OUT, KH, KW] weight.
  if (w.q.scheme === "per_channel" && w.q.axis !== 1) return `weight scales run along axis ${w.q.axis}, not the output channels (axis 1)`;
  if (w.q.zeroPoint.some((z) => z !== 0)) return "weight zero points are not 0";
  const [n, cin, h, wd] = x.value.shape as [number, number, number, number];
  const cout = wShape[1]!;
  const [kh, kw] = [wShape[2]!, wShape[3]!];
  const [ho, wo] = node.output.shape.slice(2) as [number, number];
  const stride = node.attrs.stride as number[];
  const padding = node.attrs.padding as number[];
  const call = {
    input: { n, h, w: wd, c: cin },
    filter: { n: cout, h: kh, w: kw, c: cin },
    output: { n, h: ho, w: wo, c: cout },
    stride: { h: stride[0]!, w: stride[1]! },
    padding: { h: padding[0]!, w: padding[1]! },
  };
  // The reverse-conv path runs arm_convolve_s8 with padding K−1−pad: a larger pad would make it negative.
  const reverse = isTransposeConvReverse(call, call.input);
  if (reverse && (call.padding.h > kh - 1 || call.padding.w > kw - 1)) return "padding larger than kernel − 1 on the reverse-conv path is not lowered";
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const { mult, shift } = channelMultipliers(x.q.scale[0]!, w.q.scale, folded.scale, cout);
  let x4 = x.value;
  if (cin > 1 && x4.type.dimOrder.join() !== CHANNELS_LAST.join()) {
    x4 = g.op(CLONE_DIM_ORDER.name, [x4], { dim_order: CHANNELS_LAST }, { before: node, name: `${node.name}_in_nhwc` });
    x4.type.qparams = x.q;
  }
  // Per-channel scales follow the output channel: axis 1 of the aten weight, axis 0 once packed.
  const wQ = w.q.scheme === "per_channel" ? { ...w.q, axis: 0 } : w.q;
  const fshape = [cout, kh, kw, cin];
  const wq = g.addConst(`${node.name}_weight`, "i8", fshape, packTransposed(w.value.data as Int8Array, wShape), wQ);
  const mq = g.addConst(`${node.name}_multipliers`, "i32", [cout], mult);
  const sq = g.addConst(`${node.name}_shifts`, "i32", [cout], shift);
  const bytes = transposeConvS8BufferSize(opts.targetClass, call, call.input, call.filter, call.output);
  const scratch = g.op(SCRATCH.name, [], { bytes }, { before: node, name: `${node.name}_scratch` });
  const reverseBytes = transposeConvS8ReverseConvBufferSize(call, call.input, call.filter);
  const reverseScratch = reverseBytes > 0
    ? g.op(SCRATCH.name, [], { bytes: reverseBytes }, { before: node, name: `${node.name}_reverse_scratch` }) : null;
  const attrs: Attrs = {
    stride: [call.stride.h, call.stride.w],
    padding: [call.padding.h, call.padding.w],
    input_dims: [n, h, wd, cin],
    output_dims: [n, ho, wo, cout],
    input_offset: -x.q.zeroPoint[0]!,
    output_offset: folded.zeroPoint,
    activation_min: folded.activationMin,
    activation_max: folded.activationMax,
    target_class: opts.targetClass,
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
  };
  const y4 = g.op(QUANTIZED_TRANSPOSE_CONV2D.name, [x4, wq, b ? b.value : null, mq, sq, scratch, reverseScratch], attrs, { before: node, name: node.name });
  y4.type.qparams = perTensor(m.outQ.scale[0]!, m.outQ.zeroPoint[0]!, m.outQ.dtype, m.outQ.qmin, m.outQ.qmax);
  const y = g.op(CLONE_DIM_ORDER.name, [y4], { dim_order: CONTIGUOUS4 }, { before: node, name: `${node.name}_out_nchw` });
  y.type.qparams = y4.type.qparams;
  replacePattern(g, m, y);
  return null;
}

function emitConv(
  g: Graph, node: Node, m: QuantMatch, x4: Value, w: { data: Int8Array; shape: number[] }, call: ConvCall, scratchBytes: number,
  mult: Int32Array, shift: Int32Array, bias: Value | null, attrs: Attrs,
): Value {
  const depthwise = call.depthwise;
  const packed = depthwise ? packDepthwise(w) : packOhwi(w);
  const fshape = [call.filter.n, call.filter.h, call.filter.w, call.filter.c];
  // Per-channel scales follow the output channel: axis 0 of OHWI, axis 3 of 1HWO.
  const wQ = m.inputs[1]!.q.scheme === "per_channel" ? { ...m.inputs[1]!.q, axis: depthwise ? 3 : 0 } : m.inputs[1]!.q;
  const wq = g.addConst(`${node.name}_weight`, "i8", fshape, packed, wQ);
  const cout = call.output.c;
  const mq = g.addConst(`${node.name}_multipliers`, "i32", [cout], mult);
  const sq = g.addConst(`${node.name}_shifts`, "i32", [cout], shift);
  const scratch = g.op(SCRATCH.name, [], { bytes: scratchBytes }, { before: node, name: `${node.name}_scratch` });
  const op = (depthwise ? QUANTIZED_DEPTHWISE_CONV2D : QUANTIZED_CONV2D).name;
  const convAttrs = {
    stride: [call.stride.h, call.stride.w],
    padding: [call.padding.h, call.padding.w],
    dilation: [call.dilation.h, call.dilation.w],
    ...(depthwise ? { depth_multiplier: call.chMult } : {}),
    // The cmsis_nn_dims of the call, fixed at compile time: value shapes may be
    // reinterpreted later (FoldReinterpretView), the bytes and dims do not change.
    input_dims: [call.input.n, call.input.h, call.input.w, call.input.c],
    filter_dims: [call.filter.n, call.filter.h, call.filter.w, call.filter.c],
    output_dims: [call.output.n, call.output.h, call.output.w, call.output.c],
    ...attrs,
  };
  const y = g.op(op, [x4, wq, bias, mq, sq, scratch], convAttrs, { before: node, name: node.name });
  y.type.qparams = perTensor(m.outQ.scale[0]!, m.outQ.zeroPoint[0]!, m.outQ.dtype, m.outQ.qmin, m.outQ.qmax);
  if (numel(y.shape) !== call.output.n * call.output.h * call.output.w * call.output.c) {
    throw new IRError(`${node.name}: lowered output [${y.shape}] disagrees with the CMSIS-NN output dims`);
  }
  return y;
}

/**
 * A 16x8 convolution (int16 input and output, int8 weights, int64 bias) →
 * arm_convolve_wrapper_s16 / arm_depthwise_conv_wrapper_s16. The s16 wrappers
 * have one path each (arm_convolve_s16; depthwise fast or generic by the
 * spec's rule), so there is no kernel to choose: a conv1d goes on W (1xN), a
 * one-input-channel depthwise conv runs as a regular conv (as the int8 one
 * may). Offsets are 0 (symmetric int16), so a padded tap adds exactly 0 here too: taps that only ever meet
 * padding are trimmed (conv_trim.ts) when the padding left is still symmetric (the s16 path has no padding_end).
 */
function lowerConvolutionS16(g: Graph, node: Node, opts: LowerOptions): string | null {
  const m = matchQuantized(g, node, [0], fusableTails(), "i16");
  if (!m) return "not a quantized int16 pattern (no int16 dequantize → conv → int16 quantize)";
  const x = m.inputs[0]!;
  const w = m.inputs[1];
  const b = m.inputs[2] ?? null;
  if (!w || !w.value.data || w.value.dtype !== "i8") return "weight is not a constant int8 tensor";
  if (node.inputs[2] && (!b || !b.value.data || b.value.dtype !== "i64")) return "bias is not a constant int64 tensor";
  if (x.q.zeroPoint[0] !== 0 || m.outQ.zeroPoint[0] !== 0) return "int16 activations must be symmetric (zero point 0)";
  const rank = x.value.rank;
  if (rank !== 3 && rank !== 4) return `rank ${rank} convolution is not lowered`;
  const wShape = w.value.shape;
  const groups = (node.attrs.groups as number) ?? 1;
  const [n, cin] = x.value.shape as [number, number];
  const cout = wShape[0]!;
  const depthwise = cin === groups && cout % cin === 0 && n === 1;
  if (groups > 1 && !depthwise) return "grouped int16 convolution is not lowered";
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const { mult, shift } = channelMultipliers(x.q.scale[0]!, w.q.scale, folded.scale, cout);
  const bias = b ? b.value : depthwise ? g.addConst(`${node.name}_zero_bias`, "i64", [cout], new Float64Array(cout)) : null;
  const stride = node.attrs.stride as number[];
  const padding = node.attrs.padding as number[];
  const padEnd = (node.attrs.padding_end as number[] | undefined) ?? padding;
  const dilation = (node.attrs.dilation as number[] | undefined) ?? stride.map(() => 1);
  if (padEnd.some((p, i) => p !== padding[i])) return "int16 convolution with asymmetric padding is not lowered";
  const inSp = x.value.shape.slice(2);
  const outSp = node.output.shape.slice(2);
  const trims = inSp.map((len, i) => {
    const t = opts.asWritten ? null : trimAxis({
      len, outLen: outSp[i]!, k: wShape[2 + i]!, stride: stride[i]!, pad: padding[i]!, padEnd: padEnd[i]!, dilation: dilation[i]!,
    });
    return t && t.pad === t.padEnd ? t : null;
  });
  const weights = trims.some((t) => t)
    ? sliceTaps(w.value.data as Int8Array, wShape, trims.map((t, i) => [t?.first ?? 0, t?.k ?? wShape[2 + i]!] as const))
    : { data: w.value.data as Int8Array, shape: [...wShape] };
  const kShape = weights.shape;
  const pad = trims.map((t, i) => t?.pad ?? padding[i]!);
  let call: ConvCall;
  if (rank === 3) {
    call = conv1dCall({
      n, cin, cout, len: x.value.shape[2]!, outLen: node.output.shape[2]!, k: kShape[2]!, stride: stride[0]!, pad: pad[0]!,
      dilation: dilation[0]!, depthwise, chMult: depthwise ? cout / cin : 1, groups,
    }, "1xN");
  } else {
    const [h, wd] = x.value.shape.slice(2) as [number, number];
    const [ho, wo] = node.output.shape.slice(2) as [number, number];
    call = {
      depthwise,
      input: { n, h, w: wd, c: cin },
      filter: depthwise ? { n: 1, h: kShape[2]!, w: kShape[3]!, c: cout } : { n: cout, h: kShape[2]!, w: kShape[3]!, c: cin },
      output: { n, h: ho, w: wo, c: cout },
      stride: { h: stride[0]!, w: stride[1]! },
      padding: { h: pad[0]!, w: pad[1]! },
      dilation: { h: dilation[0]!, w: dilation[1]! },
      chMult: depthwise ? cout / cin : 1,
    };
  }
  call = asRegularConv(call) ?? call;
  const scratchBytes = call.depthwise
    ? depthwiseConvWrapperS16BufferSize(opts.targetClass, { stride: call.stride, padding: call.padding, dilation: call.dilation, chMult: call.chMult }, call.input, call.filter)
    : convolveWrapperS16BufferSize(opts.targetClass, call.input, call.filter);
  const attrs: Attrs = {
    input_offset: 0,
    output_offset: 0,
    activation_min: folded.activationMin,
    activation_max: folded.activationMax,
    target_class: opts.targetClass,
    kernel: call.depthwise ? "arm_depthwise_conv_wrapper_s16" : "arm_convolve_wrapper_s16",
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
    ...(rank === 3 ? { layout: "1xN" } : {}),
    layout_reason: "16x8: the s16 wrapper has one path",
    ...(trims.some((t) => t) ? { trimmed_taps: trims.map((t, i) => `${wShape[2 + i]}→${t?.k ?? wShape[2 + i]}`).join(",") } : {}),
  };
  let x4 = x.value;
  if (rank === 3) {
    x4 = g.op(VIEW_COPY.name, [x.value], { size: [n, cin, call.input.h, call.input.w] }, { before: node, name: `${node.name}_in_view` });
    x4.type.qparams = x.q;
  }
  if (cin > 1 && x4.type.dimOrder.join() !== CHANNELS_LAST.join()) {
    x4 = g.op(CLONE_DIM_ORDER.name, [x4], { dim_order: CHANNELS_LAST }, { before: node, name: `${node.name}_in_nhwc` });
    x4.type.qparams = x.q;
  }
  const y4 = emitConv(g, node, m, x4, weights, call, scratchBytes, mult, shift, bias, attrs);
  let y = g.op(CLONE_DIM_ORDER.name, [y4], { dim_order: CONTIGUOUS4 }, { before: node, name: `${node.name}_out_nchw` });
  y.type.qparams = y4.type.qparams;
  if (rank === 3) y = g.op(VIEW_COPY.name, [y], { size: [n, cout, node.output.shape[2]!] }, { before: node, name: `${node.name}_out_view` });
  replacePattern(g, m, y);
  return null;
}

/** OIK / OIHW → OHWI ([O, KH, KW, I]); a 1-D kernel's length lands on H or W with the same bytes. */
function packOhwi(w: { data: Int8Array; shape: number[] }): Int8Array {
  const [o, i] = w.shape as [number, number];
  const hw = numel(w.shape.slice(2));
  const src = w.data;
  const out = new Int8Array(src.length);
  for (let a = 0; a < o; a++) for (let c = 0; c < i; c++) for (let k = 0; k < hw; k++) out[(a * hw + k) * i + c] = src[(a * i + c) * hw + k]!;
  return out;
}

/** O1K / O1HW → 1HWO ([1, KH, KW, O]), CMSIS-NN's depthwise filter layout. */
function packDepthwise(w: { data: Int8Array; shape: number[] }): Int8Array {
  const o = w.shape[0]!;
  const hw = numel(w.shape.slice(2));
  const src = w.data;
  const out = new Int8Array(src.length);
  for (let a = 0; a < o; a++) for (let k = 0; k < hw; k++) out[k * o + a] = src[a * hw + k]!;
  return out;
}

registerSubstitution(CONVOLUTION, lowerConvolution);
