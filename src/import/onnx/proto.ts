// Thin typed access to the decoded ONNX protobuf: int64 fields (which protobufjs
// hands back as Long objects), element types, tensors and node attributes.
import onnxProto from "onnx-proto";
import { allocArray, type DType, type TypedArray } from "../../ir/dtype.js";
import { makeType } from "../../ir/graph.js";
import { checkTensorSize } from "../../ir/limits.js";
import { numel, type Tensor } from "../../ir/tensor.js";
import { ImportIssue } from "./issue.js";

export const { onnx } = onnxProto;
export type ModelProto = onnxProto.onnx.IModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;

type LongLike = number | { toNumber(): number };

/** protobufjs decodes int64 as Long when the `long` package is present, else as number. */
export function toNum(x: LongLike | null | undefined): number {
  if (x === null || x === undefined) return 0;
  return typeof x === "number" ? x : x.toNumber();
}

// TensorProto.DataType codes → IR dtypes. Doubles are narrowed to f32 (they only
// appear as scalar constants in exported graphs); float16 and strings are not supported.
const ELEM_TYPES: Record<number, DType> = { 1: "f32", 2: "u8", 3: "i8", 5: "i16", 6: "i32", 7: "i64", 9: "bool", 11: "f32" };
const ELEM_NAMES: Record<number, string> = {
  1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64", 8: "string", 9: "bool",
  10: "float16", 11: "double", 12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
};

export function elemDType(code: number, what: string): DType {
  const d = ELEM_TYPES[code];
  if (!d) throw new ImportIssue(`${what} has element type ${ELEM_NAMES[code] ?? code}, which is not supported`);
  return d;
}

/** Decode a TensorProto (raw little-endian bytes or the typed repeated fields). */
export function tensorFromProto(t: TensorProto, what: string, opts: { infinite?: boolean } = {}): Tensor {
  if (toNum(t.dataLocation as LongLike) === 1 || (t.externalData && t.externalData.length > 0)) {
    throw new ImportIssue(`${what} uses external data, which is not supported (save the model with all tensors inside the file)`);
  }
  const code = t.dataType ?? 0;
  const dtype = elemDType(code, what);
  const shape = (t.dims ?? []).map((d) => toNum(d as LongLike));
  // Before allocating: a mutated dims list must fail on its shape, not on a RangeError.
  checkTensorSize(makeType(dtype, shape), "");
  const n = numel(shape);
  const data = allocArray(dtype, n);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    readRaw(raw, code, data, n, what);
    return checkFinite({ dtype, shape, data }, what, opts.infinite);
  }
  let src: ArrayLike<LongLike> | null | undefined;
  switch (code) {
    case 1: src = t.floatData; break;
    case 11: src = t.doubleData; break;
    case 7: src = t.int64Data as LongLike[] | null | undefined; break;
    default: src = t.int32Data; break;
  }
  const len = src?.length ?? 0;
  if (len !== n) throw new ImportIssue(`${what} holds ${len} values for shape [${shape.join(",")}]`);
  for (let i = 0; i < n; i++) data[i] = toNum(src![i]);
  return checkFinite({ dtype, shape, data }, what, opts.infinite);
}

/**
 * NaN or ±Inf in a stored tensor is a broken model, never a weight: Inf has no
 * quantization scale and NaN would quietly become zeros in int8. `infinite`
 * lets ±Inf (never NaN) through, for a caller that only inspects the value.
 */
function checkFinite(t: Tensor, what: string, infinite = false): Tensor {
  if (t.dtype !== "f32") return t;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < t.data.length; i++) {
    if (infinite ? Number.isNaN(t.data[i]!) : !Number.isFinite(t.data[i]!)) {
      if (bad++ === 0) first = i;
    }
  }
  if (bad > 0) {
    throw new ImportIssue(`${what} holds ${bad} non-finite value${bad > 1 ? "s" : ""} (${t.data[first]} at element ${first}); weights and constants must be finite`);
  }
  return t;
}

function readRaw(raw: Uint8Array, code: number, out: TypedArray, n: number, what: string): void {
  const size = ({ 1: 4, 2: 1, 3: 1, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8 } as Record<number, number>)[code]!;
  if (raw.length !== n * size) throw new ImportIssue(`${what} has ${raw.length} bytes of data, expected ${n * size}`);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < n; i++) {
    switch (code) {
      case 1: out[i] = dv.getFloat32(i * 4, true); break;
      case 11: out[i] = dv.getFloat64(i * 8, true); break;
      case 2: case 9: out[i] = dv.getUint8(i); break;
      case 3: out[i] = dv.getInt8(i); break;
      case 5: out[i] = dv.getInt16(i * 2, true); break;
      case 6: out[i] = dv.getInt32(i * 4, true); break;
      case 7: out[i] = Number(dv.getBigInt64(i * 8, true)); break;
    }
  }
}

/** A node with its attributes indexed by name and typed getters with ONNX defaults. */
export class OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: string[];
  readonly outputs: string[];
  private readonly attrs = new Map<string, AttributeProto>();

  constructor(p: NodeProto, index: number) {
    this.opType = p.opType ?? "";
    this.outputs = [...(p.output ?? [])];
    this.name = p.name || this.outputs[0] || `${this.opType}_${index}`;
    this.domain = p.domain ?? "";
    this.inputs = [...(p.input ?? [])];
    for (const a of p.attribute ?? []) this.attrs.set(a.name ?? "", a);
  }

  has(name: string): boolean { return this.attrs.has(name); }

  int(name: string, dflt: number): number {
    const a = this.attrs.get(name);
    return a ? toNum(a.i as LongLike) : dflt;
  }
  ints(name: string, dflt: number[]): number[];
  ints(name: string): number[] | undefined;
  ints(name: string, dflt?: number[]): number[] | undefined {
    const a = this.attrs.get(name);
    return a ? (a.ints ?? []).map((x) => toNum(x as LongLike)) : dflt;
  }
  float(name: string, dflt: number): number {
    const a = this.attrs.get(name);
    return a ? (a.f ?? 0) : dflt;
  }
  floats(name: string): number[] | undefined {
    const a = this.attrs.get(name);
    return a ? [...(a.floats ?? [])] : undefined;
  }
  str(name: string, dflt: string): string {
    const a = this.attrs.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : dflt;
  }
  strs(name: string): string[] | undefined {
    const a = this.attrs.get(name);
    return a ? (a.strings ?? []).map((s) => new TextDecoder().decode(s)) : undefined;
  }
  tensor(name: string): Tensor | undefined {
    const a = this.attrs.get(name);
    return a?.t ? tensorFromProto(a.t, `attribute ${name}`) : undefined;
  }
  graph(name: string): GraphProto | undefined {
    return this.attrs.get(name)?.g ?? undefined;
  }
  attributeNames(): string[] { return [...this.attrs.keys()]; }
}
