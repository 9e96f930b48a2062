// Helpers shared by the op families: attribute readers, shape-rule failures,
// broadcasting and index arithmetic. Shape rules throw UserError because they
// first run when an importer or the builder adds a node from a user's model.
import { UserError, IRError } from "../ir/errors.js";
import type { DType } from "../ir/dtype.js";
import { makeType, type Attrs, type AttrValue, type TensorType } from "../ir/graph.js";
import { fmtShape, numel, stridesOf, type Tensor } from "../ir/tensor.js";

export function shapeError(op: string, msg: string): never {
  throw new UserError(`${op}: ${msg}`);
}

export function attrNum(op: string, attrs: Attrs, key: string, dflt?: number): number {
  const v = attrs[key];
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    return shapeError(op, `missing attribute ${key}`);
  }
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number") return shapeError(op, `attribute ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function attrNumOrNull(op: string, attrs: Attrs, key: string): number | null {
  const v = attrs[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number") return shapeError(op, `attribute ${key} must be a number or null`);
  return v;
}

export function attrInts(op: string, attrs: Attrs, key: string, dflt?: number[]): number[] {
  const v: AttrValue | undefined = attrs[key];
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    return shapeError(op, `missing attribute ${key}`);
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) return shapeError(op, `attribute ${key} must be a list of numbers`);
  return v as number[];
}

export function attrBool(attrs: Attrs, key: string, dflt = false): boolean {
  const v = attrs[key];
  if (v === undefined || v === null) return dflt;
  return v === true || v === 1;
}

export function attrStr(op: string, attrs: Attrs, key: string, dflt?: string): string {
  const v = attrs[key];
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    return shapeError(op, `missing attribute ${key}`);
  }
  if (typeof v !== "string") return shapeError(op, `attribute ${key} must be a string`);
  return v;
}

const DTYPE_ALIASES: Record<string, DType> = {
  f32: "f32", float32: "f32", float: "f32",
  i8: "i8", int8: "i8", u8: "u8", uint8: "u8",
  i16: "i16", int16: "i16", i32: "i32", int32: "i32",
  i64: "i64", int64: "i64", bool: "bool",
};

/** Read a dtype attribute; accepts our short names and the torch/numpy long names. */
export function attrDType(op: string, attrs: Attrs, key = "dtype"): DType {
  const s = attrStr(op, attrs, key);
  const d = DTYPE_ALIASES[s];
  if (!d) return shapeError(op, `attribute ${key} is not a dtype: ${s}`);
  return d;
}

/**
 * Largest stride, dilation, pad or kernel extent a window op accepts: far above
 * any real layer, and low enough that the int32 index arithmetic of the C
 * kernels (stride × position − pad) cannot overflow.
 */
export const MAX_WINDOW_ATTR = 65535;

/** Every entry of a window attribute (pads, strides...) is an integer in [min, MAX_WINDOW_ATTR]. */
export function checkWindowAttr(op: string, key: string, v: readonly number[], min: number): void {
  for (const x of v) {
    if (!Number.isInteger(x) || x < min || x > MAX_WINDOW_ATTR) {
      shapeError(op, `${key} [${v.join(",")}]: every entry must be an integer from ${min} to ${MAX_WINDOW_ATTR}`);
    }
  }
}

/** The input type at position i, which must be present. */
export function need(op: string, inputs: (TensorType | null)[], i: number, what = `input ${i}`): TensorType {
  const t = inputs[i];
  if (!t) return shapeError(op, `missing ${what}`);
  return t;
}

export function needT(op: string, inputs: (Tensor | null)[], i: number): Tensor {
  const t = inputs[i];
  if (!t) throw new IRError(`${op}: eval missing input ${i}`);
  return t;
}

/** A contiguous output type (qparams are set by the quantizer, never by shape rules). */
export function out(dtype: DType, shape: number[]): TensorType {
  return makeType(dtype, shape);
}

export function checkAxis(op: string, axis: number, rank: number, what = "dim"): number {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) shapeError(op, `${what} ${axis} out of range for rank ${rank}`);
  return axis;
}

/** Numpy broadcasting of any number of shapes. */
export function broadcastShapes(op: string, ...shapes: number[][]): number[] {
  const r = Math.max(0, ...shapes.map((s) => s.length));
  const res = new Array<number>(r).fill(1);
  for (const s of shapes) {
    const off = r - s.length;
    s.forEach((d, i) => {
      const cur = res[off + i]!;
      if (d === cur || d === 1) return;
      if (cur === 1) res[off + i] = d;
      else shapeError(op, `shapes ${shapes.map(fmtShape).join(" and ")} do not broadcast`);
    });
  }
  return res;
}

/**
 * Strides to read a tensor of `shape` at the indices of a broadcast output of
 * `outShape` (0 where the input dimension is 1 or missing).
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const s = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : s[i - off]!));
}

/**
 * For every output element in row-major order, call f with the offsets into
 * each input. The last dimension is a tight loop.
 */
export function forEachBroadcast(outShape: readonly number[], inStrides: number[][], f: (o: number, offs: number[]) => void): void {
  const r = outShape.length;
  const n = numel(outShape);
  if (n === 0) return;
  const k = inStrides.length;
  const offs = new Array<number>(k).fill(0);
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < n; o++) {
    f(o, offs);
    // advance the multi-index, updating input offsets incrementally
    for (let d = r - 1; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offs[j]! += inStrides[j]![d]!;
      if (idx[d]! < outShape[d]!) break;
      for (let j = 0; j < k; j++) offs[j]! -= inStrides[j]![d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Dtypes whose values are integers (results are truncated when stored). */
export function isIntegerDType(d: DType): boolean {
  return d !== "f32";
}
