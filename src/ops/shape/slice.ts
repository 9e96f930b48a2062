// slice_copy (start/end already clamped to [0, size], step > 0) and
// index_select (Gather with a rank-1 integer index). Source maps: the sliced
// dim is affine (start + i·step); the gathered dim is the index table, which
// must be a constant for the map to exist before run time.
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece, type DimMap, type MoveInput } from "../../ir/source_map.js";
import type { Attrs } from "../../ir/graph.js";
import { attrNum, checkAxis, need, out, shapeError } from "../common.js";

const SLICE = "aten.slice_copy";
const INDEX = "aten.index_select";

function sliceLen(size: number, start: number, end: number, step: number): number {
  if (!(step > 0) || !Number.isInteger(step)) shapeError(SLICE, `step must be a positive integer, got ${step}`);
  const s = Math.min(Math.max(start, 0), size);
  const e = Math.min(Math.max(end, 0), size);
  return e > s ? Math.ceil((e - s) / step) : 0;
}

function sliceParams(a: Attrs, shape: readonly number[]) {
  const dim = checkAxis(SLICE, attrNum(SLICE, a, "dim"), shape.length);
  const start = Math.min(Math.max(attrNum(SLICE, a, "start", 0), 0), shape[dim]!);
  const end = attrNum(SLICE, a, "end", shape[dim]!);
  const step = attrNum(SLICE, a, "step", 1);
  return { dim, start, step, len: sliceLen(shape[dim]!, start, end, step) };
}

export const SLICE_OP: OpDef = defineOp({
  name: SLICE,
  traits: { layoutAgnostic: [0] }, // slices along a logical dim
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(SLICE, inputs, 0, "input x");
    const p = sliceParams(attrs, x.shape);
    return [out(x.dtype, x.shape.map((d, i) => (i === p.dim ? p.len : d)))];
  },
  moves(inputs, attrs) {
    const x = inputs[0]!;
    const { dim, start, step, len } = sliceParams(attrs, x.shape);
    const maps: DimMap[] = x.shape.map(() => null);
    maps[dim] = { start, step };
    return [gather(wholePiece(x.shape.map((d, i) => (i === dim ? len : d)), maps))];
  },
  eval: (inputs, attrs) => evalMoves(SLICE_OP, inputs, attrs),
});

export const INDEX_SELECT_OP: OpDef = defineOp({
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
  moves(inputs, attrs) {
    const [x, index] = inputs as [MoveInput, MoveInput];
    if (!index.data) return null; // indices computed at run time
    const dim = checkAxis(INDEX, attrNum(INDEX, attrs, "dim"), x.shape.length);
    const size = x.shape[dim]!;
    const table = Array.from(index.data, (j) => {
      const i = j < 0 ? j + size : j; // ONNX Gather allows negative indices
      if (i < 0 || i >= size) shapeError(INDEX, `index ${j} out of range for size ${size}`);
      return i;
    });
    const maps: DimMap[] = x.shape.map(() => null);
    maps[dim] = table;
    return [gather(wholePiece(x.shape.map((d, i) => (i === dim ? table.length : d)), maps))];
  },
  eval: (inputs, attrs) => evalMoves(INDEX_SELECT_OP, inputs, attrs),
});
