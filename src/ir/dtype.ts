// Element types of IR values and the typed array that holds each.
// i64 is held in a Float64Array: exact for |x| < 2^53, which covers every
// shape, index and sample-rate value the importer folds (ONNX's INT64_MAX
// "to the end" sentinel stays far above any real extent after rounding).
export type DType = "f32" | "i8" | "u8" | "i16" | "i32" | "i64" | "bool";

export type TypedArray = Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array | Float64Array;

export function allocArray(dtype: DType, n: number): TypedArray {
  switch (dtype) {
    case "f32": return new Float32Array(n);
    case "i8": return new Int8Array(n);
    case "u8": return new Uint8Array(n);
    case "bool": return new Uint8Array(n);
    case "i16": return new Int16Array(n);
    case "i32": return new Int32Array(n);
    case "i64": return new Float64Array(n);
  }
}

export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case "f32": case "i32": return 4;
    case "i16": return 2;
    case "i8": case "u8": case "bool": return 1;
    case "i64": return 8;
  }
}
