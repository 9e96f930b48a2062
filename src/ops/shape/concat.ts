// cat and split_with_sizes_copy along one dim. Both copy contiguous blocks:
// outer = product of dims before `dim`, inner = product of dims after it.
import { allocArray } from "../../ir/dtype.js";
import { defineOp } from "../../ir/registry.js";
import type { TensorType } from "../../ir/graph.js";
import { fmtShape, numel, type Tensor } from "../../ir/tensor.js";
import { attrInts, attrNum, checkAxis, need, needT, out, shapeError } from "../common.js";

const CAT = "aten.cat";
const SPLIT = "aten.split_with_sizes_copy";

function catShape(ins: TensorType[] | Tensor[], dim: number): number[] {
  if (ins.length === 0) shapeError(CAT, "no inputs");
  const first = ins[0]!.shape;
  checkAxis(CAT, dim, first.length);
  const shape = [...first];
  shape[dim] = 0;
  for (const t of ins) {
    if (t.shape.length !== first.length || t.shape.some((d, i) => i !== dim && d !== first[i])) {
      shapeError(CAT, `cannot concatenate ${ins.map((u) => fmtShape(u.shape)).join(", ")} along dim ${dim}`);
    }
    shape[dim]! += t.shape[dim]!;
  }
  return shape;
}

export const CAT_OP = defineOp({
  name: CAT,
  traits: { layoutAgnostic: "all" }, // joins along a logical dim
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const ins = inputs.map((t, i) => need(CAT, inputs, i, `input ${i}`));
    const shape = catShape(ins, attrNum(CAT, attrs, "dim"));
    return [out(ins[0]!.dtype, shape)];
  },
  eval(inputs, attrs) {
    const ins = inputs.map((_, i) => needT(CAT, inputs, i));
    const dim = attrNum(CAT, attrs, "dim");
    const shape = catShape(ins, dim);
    const outer = numel(shape.slice(0, dim));
    const inner = numel(shape.slice(dim + 1));
    const dst = allocArray(ins[0]!.dtype, numel(shape));
    const rowOut = shape[dim]! * inner;
    let col = 0;
    for (const t of ins) {
      const block = t.shape[dim]! * inner;
      for (let o = 0; o < outer; o++) dst.set(t.data.subarray(o * block, (o + 1) * block), o * rowOut + col);
      col += block;
    }
    return [{ dtype: ins[0]!.dtype, shape, data: dst }];
  },
});

function splitShapes(x: { shape: number[] }, sizes: number[], dim: number): number[][] {
  checkAxis(SPLIT, dim, x.shape.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== x.shape[dim]) {
    shapeError(SPLIT, `split_sizes [${sizes}] do not add up to ${x.shape[dim]} (dim ${dim} of ${fmtShape(x.shape)})`);
  }
  return sizes.map((s) => x.shape.map((d, i) => (i === dim ? s : d)));
}

export const SPLIT_OP = defineOp({
  name: SPLIT,
  traits: { layoutAgnostic: [0] }, // splits along a logical dim
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(SPLIT, inputs, 0, "input x");
    return splitShapes(x, attrInts(SPLIT, attrs, "split_sizes"), attrNum(SPLIT, attrs, "dim")).map((s) => out(x.dtype, s));
  },
  eval(inputs, attrs) {
    const x = needT(SPLIT, inputs, 0);
    const dim = attrNum(SPLIT, attrs, "dim");
    const shapes = splitShapes(x, attrInts(SPLIT, attrs, "split_sizes"), dim);
    const outer = numel(x.shape.slice(0, dim));
    const inner = numel(x.shape.slice(dim + 1));
    const rowIn = x.shape[dim]! * inner;
    let col = 0;
    return shapes.map((shape) => {
      const block = shape[dim]! * inner;
      const dst = allocArray(x.dtype, numel(shape));
      for (let o = 0; o < outer; o++) dst.set(x.data.subarray(o * rowIn + col, o * rowIn + col + block), o * block);
      col += block;
      return { dtype: x.dtype, shape, data: dst };
    });
  },
});
