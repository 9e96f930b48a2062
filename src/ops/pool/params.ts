// Pooling attributes and output size (PyTorch rule, including ceil_mode's
// "the last window must start inside the input or left padding").
import type { Attrs } from "../../ir/graph.js";
import { fmtShape } from "../../ir/tensor.js";
import { attrBool, attrInts, checkWindowAttr, shapeError } from "../common.js";

export interface PoolParams {
  /** Always two entries (H, W); 1-D pools are lifted with a unit height. */
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
  countIncludePad: boolean;
}

export function poolParams(op: string, attrs: Attrs, spatial: 1 | 2): PoolParams {
  const get = (key: string, dflt?: number[]) => {
    const v = attrInts(op, attrs, key, dflt);
    if (v.length === 1 && spatial === 2) return [v[0]!, v[0]!];
    if (v.length !== spatial) shapeError(op, `${key} has ${v.length} entries, expected ${spatial}`);
    return v;
  };
  const kernel = get("kernel_size");
  let stride = attrInts(op, attrs, "stride", []).length === 0 ? kernel : get("stride");
  const padding = get("padding", new Array<number>(spatial).fill(0));
  const dilation = get("dilation", new Array<number>(spatial).fill(1));
  checkWindowAttr(op, "kernel_size", kernel, 1);
  checkWindowAttr(op, "stride", stride, 1);
  checkWindowAttr(op, "padding", padding, 0);
  checkWindowAttr(op, "dilation", dilation, 1);
  kernel.forEach((k, i) => {
    if (padding[i]! * 2 > k) shapeError(op, `padding ${padding[i]} is more than half the kernel ${k}`);
  });
  const lift = (v: number[], one: number) => (spatial === 1 ? [one, v[0]!] : [...v]);
  stride = lift(stride, 1);
  return {
    kernel: lift(kernel, 1),
    stride,
    padding: lift(padding, 0),
    dilation: lift(dilation, 1),
    ceilMode: attrBool(attrs, "ceil_mode"),
    countIncludePad: attrBool(attrs, "count_include_pad", true),
  };
}

export function poolOutSize(L: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = L + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= L + p) o--;
  return o;
}

export function poolOutShape(op: string, shape: number[], p: PoolParams, spatial: 1 | 2): number[] {
  if (shape.length !== spatial + 2) shapeError(op, `expects a rank-${spatial + 2} input, got ${fmtShape(shape)}`);
  const sp = spatial === 1 ? [1, shape[2]!] : shape.slice(2);
  const o = sp.map((L, i) => poolOutSize(L, p.kernel[i]!, p.stride[i]!, p.padding[i]!, p.dilation[i]!, p.ceilMode));
  if (o.some((v) => v <= 0)) shapeError(op, `input ${fmtShape(shape)} is smaller than the pooling window`);
  return [shape[0]!, shape[1]!, ...(spatial === 1 ? [o[1]!] : o)];
}
