/**
 * Physical reorder of an N-d buffer between dim orders (ExecuTorch _clone_dim_order semantics).
 * `sizes` are the LOGICAL sizes; a dim order d lists logical dims from outermost to innermost in memory
 * (contiguous = [0,1,2,3], channels_last = [0,2,3,1]).
 */
export type AnyTyped = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

function stridesFor(sizes: readonly number[], order: readonly number[]): number[] {
  const st = new Array<number>(sizes.length).fill(0);
  let s = 1;
  for (let i = order.length - 1; i >= 0; i--) { st[order[i]] = s; s *= sizes[order[i]]; }
  return st;
}

function checkOrder(order: readonly number[], rank: number): void {
  if (order.length !== rank || new Set(order).size !== rank || order.some((d) => d < 0 || d >= rank)) {
    throw new Error(`invalid dim order [${order.join(',')}] for rank ${rank}`);
  }
}

export function reorderDimOrder<T extends AnyTyped>(src: T, sizes: readonly number[], fromOrder: readonly number[], toOrder: readonly number[], dst?: T): T {
  const rank = sizes.length;
  checkOrder(fromOrder, rank); checkOrder(toOrder, rank);
  const total = sizes.reduce((a, b) => a * b, 1);
  const out = (dst ?? new (src.constructor as new (n: number) => T)(total)) as T;
  const sIn = stridesFor(sizes, fromOrder);
  // iterate in destination memory order
  const dimsOut = toOrder.map((d) => sizes[d]);
  const stIn = toOrder.map((d) => sIn[d]);
  const idx = new Array<number>(rank).fill(0);
  let srcOff = 0;
  for (let o = 0; o < total; o++) {
    out[o] = src[srcOff];
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]++;
      srcOff += stIn[k];
      if (idx[k] < dimsOut[k]) break;
      srcOff -= stIn[k] * dimsOut[k];
      idx[k] = 0;
    }
  }
  return out;
}
