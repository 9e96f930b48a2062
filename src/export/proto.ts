// Small constructors for onnx-proto messages (plain objects; encoding happens once in onnx.ts).
import onnxProto from "onnx-proto";
import type { DType, TypedArray } from "../ir/dtype.js";
import { IRError } from "../ir/errors.js";

export const onnx = onnxProto.onnx;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** ONNX TensorProto.DataType codes. */
const ELEM_TYPE: Record<DType, number> = { f32: 1, u8: 2, i8: 3, i16: 5, i32: 6, i64: 7, bool: 9 };

export function elemType(dtype: DType): number {
  return ELEM_TYPE[dtype];
}

/** Attribute values as the exporter writes them; arrays are INTS unless `floats` is set. */
export type OnnxAttr = number | string | number[] | { floats: number[] } | { float: number };

export function attribute(name: string, v: OnnxAttr): AttributeProto {
  if (typeof v === "string") return { name, type: 3, s: new TextEncoder().encode(v) };
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new IRError(`ONNX attribute ${name}: ${v} is not an integer (use {float})`);
    return { name, type: 2, i: v };
  }
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  if ("floats" in v) return { name, type: 6, floats: v.floats };
  return { name, type: 1, f: v.float };
}

/** Little-endian raw bytes of typed data in ONNX's element encoding (i64 from the IR's Float64Array). */
function rawBytes(dtype: DType, data: ArrayLike<number>): Uint8Array {
  const n = data.length;
  // Already in the ONNX element type: view the bytes without copying (weights can be 100+ MB).
  const same = (dtype === "f32" && data instanceof Float32Array) || (dtype === "i8" && data instanceof Int8Array) ||
    ((dtype === "u8" || dtype === "bool") && data instanceof Uint8Array) || (dtype === "i16" && data instanceof Int16Array) ||
    (dtype === "i32" && data instanceof Int32Array);
  if (same) {
    const t = data as Float32Array;
    return new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
  }
  let buf: ArrayBuffer;
  switch (dtype) {
    case "f32": { const a = new Float32Array(data); buf = a.buffer; break; }
    case "i8": { const a = new Int8Array(data); buf = a.buffer; break; }
    case "u8": case "bool": { const a = new Uint8Array(data); buf = a.buffer; break; }
    case "i16": { const a = new Int16Array(data); buf = a.buffer; break; }
    case "i32": { const a = new Int32Array(data); buf = a.buffer; break; }
    case "i64": {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt(Math.round(data[i]!));
      buf = a.buffer;
      break;
    }
  }
  return new Uint8Array(buf);
}

export function tensor(name: string, dtype: DType, dims: readonly number[], data: TypedArray | ArrayLike<number>): TensorProto {
  return { name, dims: [...dims], dataType: elemType(dtype), rawData: rawBytes(dtype, data) };
}

export function valueInfo(name: string, dtype: DType, shape: readonly number[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: elemType(dtype), shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
  };
}
