// Convolution attributes and the output-size rule shared by the shape rule and
// the evaluator. 1-D convs are described as 2-D with a unit height so a single
// kernel serves both.
import type { Attrs, TensorType } from "../../ir/graph.js";
import { fmtShape } from "../../ir/tensor.js";
import { attrBool, attrInts, attrNum, checkWindowAttr, shapeError } from "../common.js";

export const CONV = "aten.convolution";

export interface ConvParams {
  spatial: 1 | 2;
  transposed: boolean;
  groups: number;
  /** Always two entries (H, W); the 1-D case has H = 1, k = 1, s = 1, p = 0. */
  stride: number[];
  padBegin: number[];
  padEnd: number[];
  dilation: number[];
  outputPadding: number[];
}

function perDim(name: string, v: number[], n: number, dflt: number): number[] {
  if (v.length === 0) return new Array<number>(n).fill(dflt);
  if (v.length === 1 && n > 1) return new Array<number>(n).fill(v[0]!);
  if (v.length !== n) shapeError(CONV, `${name} has ${v.length} entries, expected ${n}`);
  return v;
}

export function convParams(attrs: Attrs, spatial: 1 | 2): ConvParams {
  const stride = perDim("stride", attrInts(CONV, attrs, "stride", []), spatial, 1);
  const padding = perDim("padding", attrInts(CONV, attrs, "padding", []), spatial, 0);
  const padEnd = perDim("padding_end", attrInts(CONV, attrs, "padding_end", padding), spatial, 0);
  const dilation = perDim("dilation", attrInts(CONV, attrs, "dilation", []), spatial, 1);
  const outputPadding = perDim("output_padding", attrInts(CONV, attrs, "output_padding", []), spatial, 0);
  const groups = attrNum(CONV, attrs, "groups", 1);
  if (!Number.isInteger(groups) || groups < 1) shapeError(CONV, `groups must be a positive integer, got ${groups}`);
  checkWindowAttr(CONV, "stride", stride, 1);
  checkWindowAttr(CONV, "dilation", dilation, 1);
  // Negative pads (cropping) have no CMSIS-NN form; a pad of 2^31−1 overflows the kernels' index arithmetic.
  checkWindowAttr(CONV, "padding", padding, 0);
  checkWindowAttr(CONV, "padding_end", padEnd, 0);
  checkWindowAttr(CONV, "output_padding", outputPadding, 0);
  const lift = (v: number[], one: number) => (spatial === 1 ? [one, v[0]!] : v);
  return {
    spatial,
    transposed: attrBool(attrs, "transposed"),
    groups,
    stride: lift(stride, 1),
    padBegin: lift(padding, 0),
    padEnd: lift(padEnd, 0),
    dilation: lift(dilation, 1),
    outputPadding: lift(outputPadding, 0),
  };
}

/** Output logical shape of a convolution from x, w (and b) types. */
export function convOutShape(x: { shape: number[] }, w: { shape: number[] }, b: { shape: number[] } | null, p: ConvParams): number[] {
  const r = x.shape.length;
  if (w.shape.length !== r) shapeError(CONV, `weight ${fmtShape(w.shape)} does not match input ${fmtShape(x.shape)} rank`);
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const g = p.groups;
  let cout: number;
  if (!p.transposed) {
    cout = w.shape[0]!;
    if (C !== w.shape[1]! * g || cout % g !== 0) {
      shapeError(CONV, `input ${fmtShape(x.shape)} with groups ${g} does not fit weight ${fmtShape(w.shape)} (OI${r === 3 ? "K" : "HW"})`);
    }
  } else {
    cout = w.shape[1]! * g;
    if (C !== w.shape[0]! || C % g !== 0) {
      shapeError(CONV, `input ${fmtShape(x.shape)} with groups ${g} does not fit transposed weight ${fmtShape(w.shape)} (IO${r === 3 ? "K" : "HW"})`);
    }
  }
  if (b && (b.shape.length !== 1 || b.shape[0] !== cout)) shapeError(CONV, `bias ${fmtShape(b.shape)} does not match ${cout} output channels`);
  const sp = x.shape.slice(2);
  const ks = w.shape.slice(2);
  const off = 2 - sp.length; // index into the lifted 2-entry params
  const outSp = sp.map((L, i) => {
    const k = ks[i]!;
    const s = p.stride[off + i]!;
    const d = p.dilation[off + i]!;
    const p0 = p.padBegin[off + i]!;
    const p1 = p.padEnd[off + i]!;
    const o = p.transposed
      ? (L - 1) * s - p0 - p1 + d * (k - 1) + p.outputPadding[off + i]! + 1
      : Math.floor((L + p0 + p1 - d * (k - 1) - 1) / s) + 1;
    if (o <= 0) shapeError(CONV, `input ${fmtShape(x.shape)} with kernel ${fmtShape(ks)} gives an empty output`);
    return o;
  });
  return [N, cout, ...outSp];
}

export function convInfer(inputs: (TensorType | null)[], attrs: Attrs): number[] {
  const x = inputs[0];
  const w = inputs[1];
  if (!x || !w) return shapeError(CONV, "needs input x and weight w");
  if (x.shape.length !== 3 && x.shape.length !== 4) shapeError(CONV, `only 1-D (NCW) and 2-D (NCHW) inputs, got ${fmtShape(x.shape)}`);
  return convOutShape(x, w, inputs[2] ?? null, convParams(attrs, x.shape.length === 3 ? 1 : 2));
}
