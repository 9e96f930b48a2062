// cat and split_with_sizes_copy along one dim. Source maps: cat is one box
// per input, placed end to end along `dim`; each split output is the affine
// stretch of `dim` that follows the previous outputs.
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece, type DimMap } from "../../ir/source_map.js";
import { fmtShape } from "../../ir/tensor.js";
import { attrInts, attrNum, checkAxis, need, out, shapeError } from "../common.js";

const CAT = "aten.cat";
const SPLIT = "aten.split_with_sizes_copy";

function catShape(ins: readonly { shape: readonly number[] }[], dim: number): number[] {
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

export const CAT_OP: OpDef = defineOp({
  name: CAT,
  traits: { layoutAgnostic: "all" }, // joins along a logical dim
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const ins = inputs.map((t, i) => need(CAT, inputs, i, `input ${i}`));
    const shape = catShape(ins, attrNum(CAT, attrs, "dim"));
    return [out(ins[0]!.dtype, shape)];
  },
  moves(inputs, attrs) {
    const dim = attrNum(CAT, attrs, "dim");
    const shape = catShape(inputs, dim);
    // Input j is the box starting where inputs 0..j-1 end along `dim`.
    let at = 0;
    const pieces = inputs.map((t, j) => {
      const p = { ...wholePiece(t.shape, undefined, undefined, j), at: shape.map((_, k) => (k === dim ? at : 0)) };
      at += t.shape[dim]!;
      return p;
    });
    return [{ kind: "gather", pieces, fill: 0 }];
  },
  eval: (inputs, attrs) => evalMoves(CAT_OP, inputs, attrs),
});

function splitShapes(x: { shape: readonly number[] }, sizes: number[], dim: number): number[][] {
  checkAxis(SPLIT, dim, x.shape.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total !== x.shape[dim]) {
    shapeError(SPLIT, `split_sizes [${sizes}] do not add up to ${x.shape[dim]} (dim ${dim} of ${fmtShape(x.shape)})`);
  }
  return sizes.map((s) => x.shape.map((d, i) => (i === dim ? s : d)));
}

export const SPLIT_OP: OpDef = defineOp({
  name: SPLIT,
  traits: { layoutAgnostic: [0] }, // splits along a logical dim
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(SPLIT, inputs, 0, "input x");
    return splitShapes(x, attrInts(SPLIT, attrs, "split_sizes"), attrNum(SPLIT, attrs, "dim")).map((s) => out(x.dtype, s));
  },
  moves(inputs, attrs) {
    const x = inputs[0]!;
    const dim = attrNum(SPLIT, attrs, "dim");
    // Output j reads the stretch of `dim` after outputs 0..j-1.
    let offset = 0;
    return splitShapes(x, attrInts(SPLIT, attrs, "split_sizes"), dim).map((shape) => {
      const maps: DimMap[] = shape.map(() => null);
      maps[dim] = { start: offset, step: 1 };
      offset += shape[dim]!;
      return gather(wholePiece(shape, maps));
    });
  },
  eval: (inputs, attrs) => evalMoves(SPLIT_OP, inputs, attrs),
});
