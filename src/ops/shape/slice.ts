// slice_copy (start/end already clamped to [0, size], step > 0) and
// index_select (Gather with a rank-1 integer index).
import { allocArray } from "../../ir/dtype.js";
import { defineOp } from "../../ir/registry.js";
import { numel } from "../../ir/tensor.js";
import type { Attrs } from "../../ir/graph.js";
import { attrNum, checkAxis, need, needT, out, shapeError } from "../common.js";

const SLICE = "aten.slice_copy";
const INDEX = "aten.index_select";

function sliceLen(size: number, start: number, end: number, step: number): number {
  if (!(step > 0) || !Number.isInteger(step)) shapeError(SLICE, `step must be a positive integer, got ${step}`);
  const s = Math.min(Math.max(start, 0), size);
  const e = Math.min(Math.max(end, 0), size);
  return e > s ? Math.ceil((e - s) / step) : 0;
}

function sliceParams(a: Attrs, shape: number[]) {
  const dim = checkAxis(SLICE, attrNum(SLICE, a, "dim"), shape.length);
  const start = Math.min(Math.max(attrNum(SLICE, a, "start", 0), 0), shape[dim]!);
  const end = attrNum(SLICE, a, "end", shape[dim]!);
  const step = attrNum(SLICE, a, "step", 1);
  return { dim, start, step, len: sliceLen(shape[dim]!, start, end, step) };
}

export const SLICE_OP = defineOp({
  name: SLICE,
  traits: { layoutAgnostic: [0] }, // slices along a logical dim
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(SLICE, inputs, 0, "input x");
    const p = sliceParams(attrs, x.shape);
    return [out(x.dtype, x.shape.map((d, i) => (i === p.dim ? p.len : d)))];
  },
  eval(inputs, attrs) {
    const x = needT(SLICE, inputs, 0);
    const { dim, start, step, len } = sliceParams(attrs, x.shape);
    const shape = x.shape.map((d, i) => (i === dim ? len : d));
    const outer = numel(x.shape.slice(0, dim));
    const inner = numel(x.shape.slice(dim + 1));
    const dst = allocArray(x.dtype, numel(shape));
    let o = 0;
    for (let a = 0; a < outer; a++) {
      for (let k = 0; k < len; k++) {
        const base = (a * x.shape[dim]! + start + k * step) * inner;
        dst.set(x.data.subarray(base, base + inner), o);
        o += inner;
      }
    }
    return [{ dtype: x.dtype, shape, data: dst }];
  },
});

export const INDEX_SELECT_OP = defineOp({
  name: INDEX,
  traits: { anyDtypeOperands: [1] }, // the index
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(INDEX, inputs, 0, "input x");
    const idx = need(INDEX, inputs, 1, "index");
    const dim = checkAxis(INDEX, attrNum(INDEX, attrs, "dim"), x.shape.length);
    if (idx.shape.length !== 1) shapeError(INDEX, `index must be rank 1, got rank ${idx.shape.length}`);
    if (idx.dtype === "f32" || idx.dtype === "bool") shapeError(INDEX, `index must be an integer tensor, got ${idx.dtype}`);
    return [out(x.dtype, x.shape.map((d, i) => (i === dim ? idx.shape[0]! : d)))];
  },
  eval(inputs, attrs) {
    const x = needT(INDEX, inputs, 0);
    const idx = needT(INDEX, inputs, 1);
    const dim = attrNum(INDEX, attrs, "dim");
    const size = x.shape[dim]!;
    const m = idx.data.length;
    const shape = x.shape.map((d, i) => (i === dim ? m : d));
    const outer = numel(x.shape.slice(0, dim));
    const inner = numel(x.shape.slice(dim + 1));
    const dst = allocArray(x.dtype, numel(shape));
    let o = 0;
    for (let a = 0; a < outer; a++) {
      for (let k = 0; k < m; k++) {
        let j = idx.data[k]!;
        if (j < 0) j += size; // ONNX Gather allows negative indices
        if (j < 0 || j >= size) shapeError(INDEX, `index ${idx.data[k]} out of range for size ${size}`);
        const base = (a * size + j) * inner;
        dst.set(x.data.subarray(base, base + inner), o);
        o += inner;
      }
    }
    return [{ dtype: x.dtype, shape, data: dst }];
  },
});
