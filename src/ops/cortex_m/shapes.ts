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

/**
 * Output type of a 4-D window op (conv, pool). `output_shape`, when present, is
 * a reinterpretation of the same NHWC bytes (e.g. [N,C,L,1] read as [N,C,1,L]),
 * set by the clean-up that folds a byte-preserving view into its producer.
 */
export function windowOutput(x: TensorType, channels: number, kh: number, kw: number, attrs: Attrs, dtype = x.dtype): TensorType {
  if (x.shape.length !== 4) throw new IRError(`expects a 4-D input, got rank ${x.shape.length}`);
  const [n, , h, w] = x.shape as [number, number, number, number];
  const stride = nums(attrs.stride, "stride");
  const pad = nums(attrs.padding, "padding");
  const padEnd = attrs.padding_end ? nums(attrs.padding_end, "padding_end") : pad;
  const dil = attrs.dilation ? nums(attrs.dilation, "dilation") : [1, 1];
  const ho = windowOut(h, kh, stride[0]!, pad[0]!, padEnd[0]!, dil[0]);
  const wo = windowOut(w, kw, stride[1]!, pad[1]!, padEnd[1]!, dil[1]);
  if (ho <= 0 || wo <= 0) throw new IRError(`empty output ${ho}x${wo}`);
  let shape = [n, channels, ho, wo];
  if (attrs.output_shape) {
    const re = nums(attrs.output_shape, "output_shape");
    if (re[0] !== n || re[1] !== channels || re[2]! * re[3]! !== ho * wo || !(re[2] === 1 || re[3] === 1) || !(ho === 1 || wo === 1)) {
      throw new IRError(`output_shape [${re}] does not reinterpret [${shape}]`);
    }
    shape = re;
  }
  return makeType(dtype, shape, CHANNELS_LAST);
}
