// permute_copy (Transpose): out[i0..ik] = x[i_{inv}] with out.shape[j] = x.shape[dims[j]].
// Source map: output dim j walks input dim dims[j].
import { defineOp, type OpDef } from "../../ir/registry.js";
import { evalMoves, gather, wholePiece, type SourceMap } from "../../ir/source_map.js";
import { attrInts, need, out, shapeError } from "../common.js";

const PERMUTE = "aten.permute_copy";

/** Throws unless `dims` is a permutation of 0..rank-1. */
export function checkPerm(op: string, dims: readonly number[], rank: number): void {
  const sorted = [...dims].sort((a, b) => a - b);
  if (dims.length !== rank || sorted.some((d, i) => d !== i)) shapeError(op, `dims [${dims}] is not a permutation of rank ${rank}`);
}

/** The map of a transpose of an input of `shape`: output dim j reads input dim dims[j]. */
export function permuteMap(shape: readonly number[], dims: readonly number[]): SourceMap {
  return gather(wholePiece(dims.map((d) => shape[d]!), undefined, dims));
}

export const PERMUTE_COPY: OpDef = defineOp({
  name: PERMUTE,
  quant: { sameOpOnInt8: true },
  traits: { layout: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need(PERMUTE, inputs, 0, "input x");
    const dims = attrInts(PERMUTE, attrs, "dims");
    checkPerm(PERMUTE, dims, x.shape.length);
    return [out(x.dtype, dims.map((d) => x.shape[d]!))];
  },
  moves(inputs, attrs) {
    const dims = attrInts(PERMUTE, attrs, "dims");
    checkPerm(PERMUTE, dims, inputs[0]!.shape.length);
    return [permuteMap(inputs[0]!.shape, dims)];
  },
  eval: (inputs, attrs) => evalMoves(PERMUTE_COPY, inputs, attrs),
});
