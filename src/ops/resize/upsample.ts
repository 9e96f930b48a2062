// upsample_nearest2d with ONNX Resize "asymmetric" coordinates and floor
// rounding: src = floor(dst * in / out), computed in exact integer arithmetic.
// Source map: a table for H and for W.
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece } from "../../ir/source_map.js";
import { fmtShape } from "../../ir/tensor.js";
import { attrInts, need, out, shapeError } from "../common.js";

const UP = "aten.upsample_nearest2d";

function outShape(shape: readonly number[], size: number[]): number[] {
  if (shape.length !== 4) shapeError(UP, `expects NCHW, got ${fmtShape(shape)}`);
  if (size.length !== 2 || size.some((s) => !Number.isInteger(s) || s <= 0)) shapeError(UP, `bad output_size [${size}]`);
  return [shape[0]!, shape[1]!, size[0]!, size[1]!];
}

export const UPSAMPLE_NEAREST2D: OpDef = defineOp({
  name: UP,
  quant: { sharesInputParams: true, sameOpOnInt8: true }, // repeats pixels: int8 in, the same int8 out
  traits: { layoutAgnostic: [0] }, // repeats pixels per logical H/W index
  infer(inputs, attrs) {
    const x = need(UP, inputs, 0, "input x");
    return [out(x.dtype, outShape(x.shape, attrInts(UP, attrs, "output_size")))];
  },
  moves(inputs, attrs) {
    const x = inputs[0]!;
    const yShape = outShape(x.shape, attrInts(UP, attrs, "output_size"));
    const nearest = (n: number, size: number): number[] => Array.from({ length: n }, (_, o) => Math.min(size - 1, Math.floor((o * size) / n)));
    return [gather(wholePiece(yShape, [null, null, nearest(yShape[2]!, x.shape[2]!), nearest(yShape[3]!, x.shape[3]!)]))];
  },
  eval: (inputs, attrs) => evalMoves(UPSAMPLE_NEAREST2D, inputs, attrs),
});
