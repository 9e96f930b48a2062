// upsample_nearest2d with ONNX Resize "asymmetric" coordinates and floor
// rounding: src = floor(dst * in / out), computed in exact integer arithmetic.
import { allocArray } from "../../ir/dtype.js";
import { defineOp } from "../../ir/registry.js";
import { fmtShape } from "../../ir/tensor.js";
import { attrInts, need, needT, out, shapeError } from "../common.js";

const UP = "aten.upsample_nearest2d";

function outShape(shape: number[], size: number[]): number[] {
  if (shape.length !== 4) shapeError(UP, `expects NCHW, got ${fmtShape(shape)}`);
  if (size.length !== 2 || size.some((s) => !Number.isInteger(s) || s <= 0)) shapeError(UP, `bad output_size [${size}]`);
  return [shape[0]!, shape[1]!, size[0]!, size[1]!];
}

export const UPSAMPLE_NEAREST2D = defineOp({
  name: UP,
  quant: { sharesInputParams: true, sameOpOnInt8: true }, // repeats pixels: int8 in, the same int8 out
  traits: { layoutAgnostic: [0] }, // repeats pixels per logical H/W index
  infer(inputs, attrs) {
    const x = need(UP, inputs, 0, "input x");
    return [out(x.dtype, outShape(x.shape, attrInts(UP, attrs, "output_size")))];
  },
  eval(inputs, attrs) {
    const x = needT(UP, inputs, 0);
    const yShape = outShape(x.shape, attrInts(UP, attrs, "output_size"));
    const [N, C, H, W] = x.shape as [number, number, number, number];
    const [OH, OW] = [yShape[2]!, yShape[3]!];
    const srcH = Int32Array.from({ length: OH }, (_, o) => Math.min(H - 1, Math.floor((o * H) / OH)));
    const srcW = Int32Array.from({ length: OW }, (_, o) => Math.min(W - 1, Math.floor((o * W) / OW)));
    const y = allocArray(x.dtype, N * C * OH * OW);
    let k = 0;
    for (let nc = 0; nc < N * C; nc++) {
      for (let oh = 0; oh < OH; oh++) {
        const row = (nc * H + srcH[oh]!) * W;
        for (let ow = 0; ow < OW; ow++) y[k++] = x.data[row + srcW[ow]!]!;
      }
    }
    return [{ dtype: x.dtype, shape: yShape, data: y }];
  },
});
