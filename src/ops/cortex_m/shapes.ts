import { IRError } from "../../ir/errors.js";
import { makeType, type AttrValue, type Attrs, type TensorType } from "../../ir/graph.js";

/** NCHW-logical with NHWC bytes: the layout of every CMSIS-NN 4-D activation. */
export const CHANNELS_LAST = [0, 2, 3, 1];

export function nums(a: AttrValue | undefined, name: string): number[] {
  if (!Array.isArray(a) || a.some((x) => typeof x !== "number")) throw new IRError(`attribute ${name} must be a number list`);
  return a as number[];
}

export function num(a: AttrValue | undefined, name: string): number {
  if (typeof a !== "number") throw new IRError(`attribute ${name} must be a number`);
  return a;
}

export function need(t: TensorType | null | undefined, what: string): TensorType {
  if (!t) throw new IRError(`missing input ${what}`);
  return t;
}

/** Output extent of a strided window: PyTorch floor mode with begin/end padding. */
export function windowOut(size: number, k: number, stride: number, padBegin: number, padEnd: number, dilation = 1): number {
  return Math.floor((size + padBegin + padEnd - dilation * (k - 1) - 1) / stride) + 1;
}

/** Physical order of the non-unit dims, as (logical extent list, physical permutation). */
function byteLayout(shape: readonly number[], dimOrder: readonly number[]): string {
  const kept = shape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const logical = kept.map((i) => shape[i]);
  const physical = dimOrder.filter((d) => shape[d] !== 1).map((d) => kept.indexOf(d));
  return `${logical.join(",")}|${physical.join(",")}`;
}

/**
 * Two views of one buffer hold their elements at the same byte offsets when
 * a row-major reshape between them moves nothing: true when the dims larger
 * than 1 are equal and stored in the same physical order, or when both store
 * their elements in logical row-major order.
 */
export function sameBytes(a: { shape: readonly number[]; dimOrder: readonly number[] }, b: { shape: readonly number[]; dimOrder: readonly number[] }): boolean {
  const n = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);
  if (n(a.shape) !== n(b.shape)) return false;
  if (byteLayout(a.shape, a.dimOrder) === byteLayout(b.shape, b.dimOrder)) return true;
  const rowMajor = (t: { shape: readonly number[]; dimOrder: readonly number[] }) => {
    const dims = t.dimOrder.filter((d) => t.shape[d] !== 1);
    return dims.every((d, i) => i === 0 || dims[i - 1]! < d);
  };
  return rowMajor(a) && rowMajor(b);
}

/**
 * Output type of a window op (conv, pool). With `input_dims` / `output_dims`
 * (the cmsis_nn_dims of the call, [n,h,w,c]) the value shapes are free to be
 * any shape holding the same NHWC bytes: the clean-up folds byte-preserving
 * views into these ops and records the declared shape in `output_shape`
 * and its order in `output_dim_order`.
 */
export function windowOutput(x: TensorType, channels: number, kh: number, kw: number, attrs: Attrs, dtype = x.dtype): TensorType {
  if (attrs.input_dims) {
    const [n, h, w, c] = nums(attrs.input_dims, "input_dims") as [number, number, number, number];
    if (x.shape.reduce((a, b) => a * b, 1) !== n * h * w * c) throw new IRError(`input [${x.shape}] does not hold input_dims ${n}x${h}x${w}x${c}`);
    if (!sameBytes(x, { shape: [n, c, h, w], dimOrder: CHANNELS_LAST })) throw new IRError(`input [${x.shape}]{${x.dimOrder}} does not hold NHWC bytes of ${n}x${h}x${w}x${c}`);
  } else if (x.shape.length !== 4) {
    throw new IRError(`expects a 4-D input, got rank ${x.shape.length}`);
  }
  const [n, , h, w] = attrs.input_dims ? [nums(attrs.input_dims, "")[0]!, 0, nums(attrs.input_dims, "")[1]!, nums(attrs.input_dims, "")[2]!] : (x.shape as [number, number, number, number]);
  const stride = nums(attrs.stride, "stride");
  const pad = nums(attrs.padding, "padding");
  const padEnd = attrs.padding_end ? nums(attrs.padding_end, "padding_end") : pad;
  const dil = attrs.dilation ? nums(attrs.dilation, "dilation") : [1, 1];
  const ho = windowOut(h, kh, stride[0]!, pad[0]!, padEnd[0]!, dil[0]);
  const wo = windowOut(w, kw, stride[1]!, pad[1]!, padEnd[1]!, dil[1]);
  if (ho <= 0 || wo <= 0) throw new IRError(`empty output ${ho}x${wo}`);
  const natural = { shape: [n, channels, ho, wo], dimOrder: CHANNELS_LAST };
  if (attrs.output_shape) {
    const re = { shape: nums(attrs.output_shape, "output_shape"), dimOrder: attrs.output_dim_order ? nums(attrs.output_dim_order, "output_dim_order") : CHANNELS_LAST };
    if (!sameBytes(re, natural)) throw new IRError(`output_shape [${re.shape}]{${re.dimOrder}} does not hold the NHWC bytes of [${natural.shape}]`);
    return makeType(dtype, re.shape, re.dimOrder);
  }
  return makeType(dtype, natural.shape, natural.dimOrder);
}
