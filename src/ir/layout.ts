// Physical layout of a value: dim_order, strides, and the questions every
// stage asks about them. A TensorType's `shape` is logical; its `dimOrder`
// lists the logical dims from outermost to innermost in memory. Each question
// below has one name and one definition here; the stages import them, so the
// planner, the simulator and the C generator cannot disagree on what "the
// same bytes" means.
import type { TensorType, Value } from "./graph.js";

/** What layout questions need of a type (TensorType, or a bare shape + order). */
export interface Layout {
  readonly shape: readonly number[];
  readonly dimOrder: readonly number[];
}

/** NCHW-logical with NHWC bytes: the layout of every CMSIS-NN 4-D activation. */
export const CHANNELS_LAST = [0, 2, 3, 1];

/** The row-major dim order of a rank (logical order is memory order). */
export function contiguous(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

/** The order is row-major (every dim in place, size-1 dims included). */
export function isContiguous(dimOrder: readonly number[]): boolean {
  return dimOrder.every((d, i) => d === i);
}

/** Two dim orders are the same list (no size-1 leniency: a pass compares the attribute itself). */
export function sameDimOrder(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Same shape and the same dim order, entry for entry (stricter than samePlacement: size-1 dims count too). */
export function sameLayout(a: Layout, b: Layout): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]) && sameDimOrder(a.dimOrder, b.dimOrder);
}

/** Element stride of every logical dim in the value's physical (dim_order) layout. */
export function physicalStrides(t: Layout): number[] {
  const st = new Array<number>(t.shape.length).fill(0);
  let s = 1;
  for (let k = t.dimOrder.length - 1; k >= 0; k--) {
    const d = t.dimOrder[k]!;
    st[d] = s;
    s *= t.shape[d]!;
  }
  return st;
}

/**
 * The bytes are the logical row-major bytes: the dims that are not size 1
 * appear in increasing order in dim_order (a [1,C,1,1] tensor stored
 * channels-last, or any contiguous tensor). Size-1 dims never move a byte,
 * which is why this is weaker than isContiguous.
 */
export function storesRowMajor(t: Layout): boolean {
  let last = -1;
  for (const d of t.dimOrder) {
    if (t.shape[d] === 1) continue;
    if (d < last) return false;
    last = d;
  }
  return true;
}

/**
 * Two layouts of one logical tensor (same shape) put every element at the
 * same position: a relayout between them copies nothing. Dims of size 1 may
 * sit anywhere in the order.
 */
export function samePlacement(a: Layout, b: Layout): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const sa = physicalStrides(a);
  const sb = physicalStrides(b);
  return a.shape.every((d, i) => d === 1 || sa[i] === sb[i]);
}

/** Physical order of the non-unit dims, as "logical extents | physical permutation of them". */
function nonUnitLayout(t: Layout): string {
  const kept = t.shape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const logical = kept.map((i) => t.shape[i]);
  const physical = t.dimOrder.filter((d) => t.shape[d] !== 1).map((d) => kept.indexOf(d));
  return `${logical.join(",")}|${physical.join(",")}`;
}

/**
 * A row-major reshape (view_copy) from one layout to the other, possibly of
 * a different shape, moves no byte: the element counts agree and either the
 * non-unit dims are equal and stored in the same physical order, or both
 * store their elements in logical row-major order. Sufficient, not
 * necessary (dims merged by the reshape are not recognised).
 */
export function reshapeKeepsBytes(a: Layout, b: Layout): boolean {
  const n = (s: readonly number[]): number => s.reduce((x, y) => x * y, 1);
  if (n(a.shape) !== n(b.shape)) return false;
  if (nonUnitLayout(a) === nonUnitLayout(b)) return true;
  return storesRowMajor(a) && storesRowMajor(b);
}

/** The same logical type, stored row-major (how feeds, results and constants are exchanged). */
export function rowMajor(t: TensorType): TensorType {
  return { dtype: t.dtype, shape: [...t.shape], dimOrder: contiguous(t.shape.length) };
}

/** How a value's bytes are laid out where it is stored: constants are logical row-major whatever their type says. */
export function storedLayout(v: Value): TensorType {
  return v.isConst() ? rowMajor(v.type) : v.type;
}

/** Element strides of a value as stored (see storedLayout). */
export function storedStrides(v: Value): number[] {
  return physicalStrides(storedLayout(v));
}
