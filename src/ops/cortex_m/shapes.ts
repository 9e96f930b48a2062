import { IRError } from "../../ir/errors.js";
import { makeType, type AttrValue, type Attrs, type TensorType } from "../../ir/graph.js";
import { CHANNELS_LAST, reshapeKeepsBytes } from "../../ir/layout.js";

// CHANNELS_LAST lives with the other layout facts; re-exported for the dialect's users.
export { CHANNELS_LAST };

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

/** The extents (larger than 1) of two layouts, in the order their bytes are stored, agree. */
function sameStoredExtents(a: { shape: readonly number[]; dimOrder: readonly number[] }, b: { shape: readonly number[]; dimOrder: readonly number[] }): boolean {
  const path = (t: typeof a): string => t.dimOrder.map((d) => t.shape[d]!).filter((e) => e !== 1).join();
  return path(a) === path(b);
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
    const nhwc = { shape: [n, c, h, w], dimOrder: CHANNELS_LAST };
    // A row-major reshape of the NHWC bytes, or a value whose bytes run through the same extents
    // (e.g. an NHWC model input read directly in place of transpose + channels-last clone).
    if (!reshapeKeepsBytes(x, nhwc) && !sameStoredExtents(x, nhwc)) throw new IRError(`input [${x.shape}]{${x.dimOrder}} does not hold NHWC bytes of ${n}x${h}x${w}x${c}`);
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
    // As for the input: a row-major reshape, or a layout whose bytes run through the same extents
    // (e.g. [N,L,C] row-major for a conv1d whose channels a permute moved last).
    if (!reshapeKeepsBytes(re, natural) && !sameStoredExtents(re, natural)) throw new IRError(`output_shape [${re.shape}]{${re.dimOrder}} does not hold the NHWC bytes of [${natural.shape}]`);
    return makeType(dtype, re.shape, re.dimOrder);
  }
  return makeType(dtype, natural.shape, natural.dimOrder);
}
