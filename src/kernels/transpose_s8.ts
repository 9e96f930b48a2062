/**
 * arm_transpose_s8(input, output, input_dims, output_dims, transpose_params{num_dims, permutations}):
 * dims are [n, h, w, c]; out_dims[i] = in_dims[perm[i]]. For num_dims < 4 the trailing num_dims of [n,h,w,c] are
 * permuted (leading dims treated as identity / size 1).
 */
import { Status, type Dims } from './types.js';

export interface TransposeParams { numDims: number; permutations: ArrayLike<number> }

function fullPerm(p: TransposeParams): number[] | null {
  const k = p.numDims;
  if (k < 1 || k > 4) return null;
  const lead = 4 - k;
  const perm = [0, 1, 2, 3].slice(0, lead);
  for (let i = 0; i < k; i++) {
    const v = p.permutations[i];
    if (v < 0 || v >= k) return null;
    perm.push(v + lead);
  }
  return new Set(perm).size === 4 ? perm : null;
}

export function transposeS8(input: Int8Array, output: Int8Array, inputDims: Dims, outputDims: Dims, params: TransposeParams): number {
  const perm = fullPerm(params);
  if (!perm) return Status.ARG_ERROR;
  const id = [inputDims.n, inputDims.h, inputDims.w, inputDims.c];
  const od = [outputDims.n, outputDims.h, outputDims.w, outputDims.c];
  for (let i = 0; i < 4; i++) if (od[i] !== id[perm[i]]) return Status.ARG_ERROR;
  const is = [id[1] * id[2] * id[3], id[2] * id[3], id[3], 1];
  const s0 = is[perm[0]], s1 = is[perm[1]], s2 = is[perm[2]], s3 = is[perm[3]];
  let o = 0;
  for (let a = 0; a < od[0]; a++) for (let b = 0; b < od[1]; b++) for (let c = 0; c < od[2]; c++) {
    let src = a * s0 + b * s1 + c * s2;
    for (let d = 0; d < od[3]; d++, src += s3) output[o++] = input[src];
  }
  return Status.SUCCESS;
}
