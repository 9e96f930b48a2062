// view_copy (Reshape/Flatten/Squeeze/Unsqueeze) and clone (Identity): same
// row-major data, new or same shape. Any dtype. Source maps: a reshape keeps
// the flat order; a clone is the identity gather.
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece } from "../../ir/source_map.js";
import { fmtShape, numel } from "../../ir/tensor.js";
import { attrInts, need, out, shapeError } from "../common.js";

/** Resolve a target size with at most one -1 against an element count. */
export function resolveSize(op: string, from: number[], size: number[]): number[] {
  const n = numel(from);
  const unknown = size.filter((d) => d === -1).length;
  if (unknown > 1 || size.some((d) => !Number.isInteger(d) || d < -1)) shapeError(op, `invalid size ${fmtShape(size)}`);
  const known = size.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const res = size.map((d) => (d === -1 ? (known === 0 ? 0 : n / known) : d));
  if (res.some((d) => !Number.isInteger(d)) || numel(res) !== n) {
    shapeError(op, `cannot view ${fmtShape(from)} (${n} elements) as ${fmtShape(size)}`);
  }
  return res;
}

export const VIEW_COPY: OpDef = defineOp({
  name: "aten.view_copy",
  quant: { sameOpOnInt8: true },
  traits: { layout: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need("aten.view_copy", inputs, 0, "input x");
    return [out(x.dtype, resolveSize("aten.view_copy", x.shape, attrInts("aten.view_copy", attrs, "size")))];
  },
  moves: () => [{ kind: "reshape", input: 0 }],
  eval: (inputs, attrs) => evalMoves(VIEW_COPY, inputs, attrs),
});

export const CLONE_OP: OpDef = defineOp({
  name: "aten.clone",
  quant: { sameOpOnInt8: true },
  dataMovement: true,
  unaryElementwise: true,
  infer(inputs) {
    const x = need("aten.clone", inputs, 0, "input x");
    return [out(x.dtype, x.shape)];
  },
  moves: (inputs) => [gather(wholePiece(inputs[0]!.shape))],
  eval: (inputs, attrs) => evalMoves(CLONE_OP, inputs, attrs),
});
