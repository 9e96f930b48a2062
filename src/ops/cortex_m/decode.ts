// Readers the cortex_m specs' decode(node) functions share: each names the
// node on failure, so a bad lowered attribute is reported once, the same way,
// whichever back end (simulator or C generator) asked first.
import { IRError } from "../../ir/errors.js";
import type { Node, Value } from "../../ir/graph.js";
import type { Activation, Dims, Tile } from "../../kernels/types.js";
import { CHANNELS_LAST, samePlacement, storedLayout } from "../../ir/layout.js";
import { windowOut } from "./shapes.js";

/** Throw the decode error of `node` (the message names node and op). */
export function fail(node: Node, msg: string): never {
  throw new IRError(`node ${node.name} (${node.op}): ${msg}`);
}

export function numAttr(node: Node, key: string): number {
  const v = node.attrs[key];
  if (typeof v !== "number") fail(node, `attribute ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** An integer attribute (offsets, multipliers, shifts: what the C takes as int32_t). */
export function intAttr(node: Node, key: string): number {
  const v = numAttr(node, key);
  if (!Number.isInteger(v)) fail(node, `attribute ${key} must be an integer, got ${v}`);
  return v;
}

export function numsAttr(node: Node, key: string): number[] {
  const v = node.attrs[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) fail(node, `attribute ${key} must be a number list`);
  return v as number[];
}

/** An [h, w] attribute as a CMSIS-NN tile; `dflt` when the attribute is absent (and a default exists). */
export function tileAttr(node: Node, key: string, dflt?: Tile): Tile {
  if (node.attrs[key] === undefined && dflt) return { ...dflt };
  const v = numsAttr(node, key);
  if (v.length !== 2 || v.some((x) => !Number.isInteger(x))) fail(node, `attribute ${key} must hold integers [h, w], got [${v}]`);
  return { h: v[0]!, w: v[1]! };
}

/**
 * The int8 output clamp (activation_min / activation_max): both present,
 * integers inside [-128, 127], min ≤ max — what cmsis_nn_activation holds.
 */
export function activationAttr(node: Node, dtype: "i8" | "i16" = "i8"): Activation {
  const min = intAttr(node, "activation_min");
  const max = intAttr(node, "activation_max");
  const [lo, hi] = dtype === "i16" ? [-32768, 32767] : [-128, 127];
  if (min < lo || max > hi || min > max) fail(node, `activation range [${min}, ${max}] is not inside [${lo}, ${hi}]`);
  return { min, max };
}

/** A required operand, with the dtype the kernel reads. */
export function operand(node: Node, i: number, what: string, dtype: string): Value {
  const v = node.inputs[i];
  if (!v) fail(node, `missing ${what} (input ${i})`);
  if (v.dtype !== dtype) fail(node, `${what} must be ${dtype}, got ${v.dtype}`);
  return v;
}

/** An optional operand (null when absent), with the dtype the kernel reads. */
export function optionalOperand(node: Node, i: number, what: string, dtype: string): Value | null {
  const v = node.inputs[i] ?? null;
  if (v && v.dtype !== dtype) fail(node, `${what} must be ${dtype}, got ${v.dtype}`);
  return v;
}

/** A constant int32 vector of exactly `n` elements (per-channel multipliers, shifts, kernel sums). */
export function i32Vector(node: Node, i: number, what: string, n: number): Value {
  const v = operand(node, i, what, "i32");
  if (v.numel !== n) fail(node, `needs ${n} ${what}, has ${v.numel}`);
  return v;
}

/**
 * CMSIS-NN dims of a 4-D NCHW-logical value whose bytes are NHWC (dim_order
 * [0,2,3,1], or any order placing the bytes identically, e.g. C == 1).
 */
export function nhwcDims(node: Node, v: Value): Dims {
  if (v.rank !== 4) fail(node, `${v.name} must be 4-D, got [${v.shape}]`);
  const t = storedLayout(v);
  if (!samePlacement(t, { shape: t.shape, dimOrder: CHANNELS_LAST })) {
    fail(node, `${v.name} must hold NHWC bytes (dim_order [0,2,3,1]), has dim_order [${t.dimOrder}] for [${v.shape}]`);
  }
  const [n, c, h, w] = v.shape as [number, number, number, number];
  return { n, h, w, c };
}

/**
 * The cmsis_nn_dims the lowering fixed for a call (`input_dims` /
 * `output_dims`, [n,h,w,c]): the value may be declared with another shape
 * holding the same bytes (FoldReinterpretView). Without the attribute, the
 * value's own NHWC dims.
 */
export function callDims(node: Node, attr: "input_dims" | "output_dims", v: Value): Dims {
  if (node.attrs[attr] === undefined) return nhwcDims(node, v);
  const a = numsAttr(node, attr);
  if (a.length !== 4 || a.some((d) => !Number.isInteger(d) || d < 0)) fail(node, `${attr} must hold [n, h, w, c], got [${a}]`);
  const [n, h, w, c] = a as [number, number, number, number];
  if (n * h * w * c !== v.numel) fail(node, `${attr} ${a.join("x")} does not fill ${v.name} [${v.shape}]`);
  return { n, h, w, c };
}

/** Geometry of a strided window over NHWC bytes (conv, pool). */
export interface Window {
  stride: Tile;
  padding: Tile;
  /** End padding (bottom/right); equals `padding` unless the lowering trimmed taps asymmetrically. */
  paddingEnd: Tile;
  dilation: Tile;
}

/** stride / padding (required), padding_end (default: padding), dilation (default 1 × 1). */
export function windowAttrs(node: Node): Window {
  const stride = tileAttr(node, "stride");
  if (stride.h < 1 || stride.w < 1) fail(node, `stride must be positive, got [${stride.h}, ${stride.w}]`);
  const padding = tileAttr(node, "padding");
  const paddingEnd = tileAttr(node, "padding_end", padding);
  const dilation = tileAttr(node, "dilation", { h: 1, w: 1 });
  if (dilation.h < 1 || dilation.w < 1) fail(node, `dilation must be positive, got [${dilation.h}, ${dilation.w}]`);
  return { stride, padding, paddingEnd, dilation };
}

/**
 * The output dims of a window call, derived from the input dims as the kernel
 * derives them; `output_dims`, when the lowering fixed them, must agree. They
 * must fill the output value, and an output without `output_dims` must hold NHWC bytes.
 */
export function windowOutputDims(node: Node, input: Dims, kernel: Tile, win: Window, channels: number): Dims {
  const y = node.output;
  const derived: Dims = {
    n: input.n,
    h: windowOut(input.h, kernel.h, win.stride.h, win.padding.h, win.paddingEnd.h, win.dilation.h),
    w: windowOut(input.w, kernel.w, win.stride.w, win.padding.w, win.paddingEnd.w, win.dilation.w),
    c: channels,
  };
  const out = node.attrs.output_dims !== undefined ? callDims(node, "output_dims", y) : derived;
  if (out.n !== derived.n || out.h !== derived.h || out.w !== derived.w || out.c !== derived.c) {
    fail(node, `output_dims ${out.n}x${out.h}x${out.w}x${out.c} disagree with the window's ${derived.n}x${derived.h}x${derived.w}x${derived.c}`);
  }
  if (out.n * out.h * out.w * out.c !== y.numel) {
    fail(node, `kernel output ${out.n}x${out.h}x${out.w}x${out.c} does not fill output [${y.shape}]`);
  }
  if (node.attrs.output_dims === undefined) nhwcDims(node, y);
  return out;
}
