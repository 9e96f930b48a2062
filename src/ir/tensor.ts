import { allocArray, type DType, type TypedArray } from "./dtype.js";

/** A dense tensor: logical shape, element type and row-major data in logical order. */
export interface Tensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function makeTensor(dtype: DType, shape: number[], data?: ArrayLike<number>): Tensor {
  const n = numel(shape);
  const arr = allocArray(dtype, n);
  if (data) {
    if (data.length !== n) throw new Error(`tensor data has ${data.length} elements, shape [${shape}] needs ${n}`);
    arr.set(data as ArrayLike<number>);
  }
  return { dtype, shape: [...shape], data: arr };
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

export function shapeEq(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
