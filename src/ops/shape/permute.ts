// permute_copy (Transpose): out[i0..ik] = x[i_{inv}] with out.shape[j] = x.shape[dims[j]].
import { allocArray } from "../../ir/dtype.js";
import { defineOp } from "../../ir/registry.js";
import { numel, stridesOf, type Tensor } from "../../ir/tensor.js";
import { attrInts, forEachBroadcast, need, needT, out, shapeError } from "../common.js";

function checkPerm(op: string, dims: number[], rank: number): void {
  const sorted = [...dims].sort((a, b) => a - b);
  if (dims.length !== rank || sorted.some((d, i) => d !== i)) shapeError(op, `dims [${dims}] is not a permutation of rank ${rank}`);
}

/** Physically permute a logical tensor (also used by layout ops). */
export function permuteTensor(x: Tensor, dims: number[]): Tensor {
  const shape = dims.map((d) => x.shape[d]!);
  const xs = stridesOf(x.shape);
  const src = dims.map((d) => xs[d]!);
  const dst = allocArray(x.dtype, numel(shape));
  const data = x.data;
  forEachBroadcast(shape, [src], (o, offs) => {
    dst[o] = data[offs[0]!]!;
  });
  return { dtype: x.dtype, shape, data: dst };
}

export const PERMUTE_COPY = defineOp({
  name: "aten.permute_copy",
  quant: { sameOpOnInt8: true },
  traits: { layout: true },
  dataMovement: true,
  infer(inputs, attrs) {
    const x = need("aten.permute_copy", inputs, 0, "input x");
    const dims = attrInts("aten.permute_copy", attrs, "dims");
    checkPerm("aten.permute_copy", dims, x.shape.length);
    return [out(x.dtype, dims.map((d) => x.shape[d]!))];
  },
  eval(inputs, attrs) {
    return [permuteTensor(needT("aten.permute_copy", inputs, 0), attrInts("aten.permute_copy", attrs, "dims"))];
  },
});
