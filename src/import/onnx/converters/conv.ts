// Conv (1-D and 2-D) and ConvTranspose (2-D) → aten.convolution.
import type { Value } from "../../../ir/graph.js";
import { fmt } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { CONVOLUTION } from "../../../ops/conv/convolution.js";

interface Geometry {
  spatial: number;
  kernel: number[];
  stride: number[];
  dilation: number[];
  padBegin: number[];
  padEnd: number[];
}

/** Shared attribute reading for Conv/ConvTranspose/pools: kernel, stride, dilation and explicit pads. */
export function readGeometry(n: OnnxNode, inShape: number[], kernel: number[]): Geometry {
  const spatial = inShape.length - 2;
  const stride = n.ints("strides", new Array<number>(spatial).fill(1));
  const dilation = n.ints("dilations", new Array<number>(spatial).fill(1));
  const pads = n.ints("pads", new Array<number>(2 * spatial).fill(0));
  if (stride.length !== spatial || dilation.length !== spatial || pads.length !== 2 * spatial || kernel.length !== spatial) {
    throw new ImportIssue(`strides/dilations/pads/kernel_shape do not match ${spatial} spatial dims of input ${fmt(inShape)}`);
  }
  return { spatial, kernel, stride, dilation, padBegin: pads.slice(0, spatial), padEnd: pads.slice(spatial) };
}

/**
 * Resolve auto_pad for a forward window op: SAME_* pads so that out = ceil(in / stride),
 * SAME_UPPER puts the odd pixel at the end, SAME_LOWER at the beginning.
 */
export function applyAutoPad(n: OnnxNode, g: Geometry, inShape: number[]): void {
  const mode = n.str("auto_pad", "NOTSET");
  if (mode === "NOTSET") return;
  if (mode === "VALID") {
    g.padBegin.fill(0);
    g.padEnd.fill(0);
    return;
  }
  if (mode !== "SAME_UPPER" && mode !== "SAME_LOWER") throw new ImportIssue(`auto_pad '${mode}' is not supported`);
  for (let i = 0; i < g.spatial; i++) {
    const L = inShape[2 + i]!;
    const out = Math.ceil(L / g.stride[i]!);
    const total = Math.max(0, (out - 1) * g.stride[i]! + g.dilation[i]! * (g.kernel[i]! - 1) + 1 - L);
    const small = Math.floor(total / 2);
    g.padBegin[i] = mode === "SAME_UPPER" ? small : total - small;
    g.padEnd[i] = total - g.padBegin[i]!;
  }
}

function spatialOf(n: OnnxNode, x: Value, w: Value, allowed: number[]): number {
  if (x.rank !== w.rank) throw new ImportIssue(`input ${fmt(x.shape)} and weight ${fmt(w.shape)} have different ranks`);
  const s = x.rank - 2;
  if (!allowed.includes(s)) throw new ImportIssue(`${s}-D ${n.opType} is not supported (input ${fmt(x.shape)})`);
  return s;
}

const conv: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "input X");
  const w = ctx.need(n, 1, "weight W");
  const b = ctx.input(n, 2);
  spatialOf(n, x, w, [1, 2]);
  const group = n.int("group", 1);
  if (x.shape[1] !== w.shape[1]! * group) {
    throw new ImportIssue(`input ${fmt(x.shape)} has ${x.shape[1]} channels but weight ${fmt(w.shape)} with group ${group} expects ${w.shape[1]! * group}`);
  }
  const kernel = n.ints("kernel_shape", w.shape.slice(2));
  if (kernel.some((k, i) => k !== w.shape[2 + i])) throw new ImportIssue(`kernel_shape ${fmt(kernel)} disagrees with weight ${fmt(w.shape)}`);
  const g = readGeometry(n, x.shape, kernel);
  applyAutoPad(n, g, x.shape);
  return [ctx.emit1(CONVOLUTION.name, [x, w, b], {
    stride: g.stride, padding: g.padBegin, padding_end: g.padEnd, dilation: g.dilation,
    groups: group, transposed: false, output_padding: new Array<number>(g.spatial).fill(0),
  })];
};

/**
 * ConvTranspose: out = s(in−1) + output_padding + d(k−1) + 1 − pad_begin − pad_end.
 * When output_shape is given, the total padding follows from it and is split
 * as the ONNX spec says (SAME_UPPER: the larger half at the beginning).
 */
const convTranspose: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "input X");
  const w = ctx.need(n, 1, "weight W");
  const b = ctx.input(n, 2);
  const s = spatialOf(n, x, w, [2]);
  const group = n.int("group", 1);
  if (x.shape[1] !== w.shape[0]) throw new ImportIssue(`input ${fmt(x.shape)} has ${x.shape[1]} channels but weight ${fmt(w.shape)} expects ${w.shape[0]}`);
  const kernel = n.ints("kernel_shape", w.shape.slice(2));
  const g = readGeometry(n, x.shape, kernel);
  const outPad = n.ints("output_padding", new Array<number>(s).fill(0));
  const outShape = n.ints("output_shape");
  const mode = n.str("auto_pad", "NOTSET");
  if (outShape || mode === "SAME_UPPER" || mode === "SAME_LOWER") {
    const target = outShape ? outShape.slice(-s) : x.shape.slice(2).map((L, i) => L * g.stride[i]!);
    for (let i = 0; i < s; i++) {
      const full = g.stride[i]! * (x.shape[2 + i]! - 1) + outPad[i]! + g.dilation[i]! * (kernel[i]! - 1) + 1;
      const total = full - target[i]!;
      if (total < 0) throw new ImportIssue(`output_shape ${fmt(target)} is larger than the transposed convolution can produce`);
      const half = Math.floor(total / 2);
      g.padBegin[i] = mode === "SAME_UPPER" ? total - half : half;
      g.padEnd[i] = total - g.padBegin[i]!;
    }
  } else if (mode === "VALID") {
    g.padBegin.fill(0);
    g.padEnd.fill(0);
  } else if (mode !== "NOTSET") {
    throw new ImportIssue(`auto_pad '${mode}' is not supported`);
  }
  return [ctx.emit1(CONVOLUTION.name, [x, w, b], {
    stride: g.stride, padding: g.padBegin, padding_end: g.padEnd, dilation: g.dilation,
    groups: group, transposed: true, output_padding: outPad,
  })];
};

export const CONV_CONVERTERS: Record<string, Converter> = { Conv: conv, ConvTranspose: convTranspose };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const CONV_EMITS: readonly OpDef[] = [CONVOLUTION];
