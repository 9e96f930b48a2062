// QuantizeLinear / DequantizeLinear (pre-quantized "QDQ" models, e.g. from
// onnxruntime's quantizer or PyTorch/Brevitas QAT export) become the
// project's own Q/DQ ops with the model's scales, so the graph arrives in the
// form the quantizer would have written and needs no calibration
// (src/quantize/imported.ts adopts it):
//   activations: QuantizeLinear → DequantizeLinear   → quantize_per_tensor → dequantize_per_tensor
//   weights:     int8 initializer → DequantizeLinear  → i8 constant → dequantize_per_tensor / _per_channel
//   biases:      int32 initializer → DequantizeLinear → i32 constant → dequantize_per_channel (axis 0)
// uint8 is carried as int8 exactly: q_i8 = q_u8 − 128 with zero point zp − 128
// (clamp(round(x/s) + zp, 0, 255) − 128 = clamp(round(x/s) + zp − 128, −128, 127)).
// A DequantizeLinear of a constant is kept as a node (not folded into float
// weights): the lowering reads the integer weights through it.
import { allocArray, type DType } from "../../../ir/dtype.js";
import type { Attrs, Value } from "../../../ir/graph.js";
import { perChannel, perTensor, type QParams } from "../../../ir/quant.js";
import type { OpDef } from "../../../ir/registry.js";
import { DEQUANTIZE_PER_CHANNEL, DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../../../ops/quant/quant_ops.js";
import { fmt, normAxis, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import type { Converter } from "./types.js";

/** Integer range of each quantized element type the importer accepts (after uint8 → int8). */
const RANGES: Partial<Record<DType, [number, number]>> = {
  i8: [-128, 127],
  i16: [-32768, 32767],
  i32: [-2147483648, 2147483647],
};

/** ONNX TensorProto element codes of QuantizeLinear's `output_dtype` (opset 21). */
const OUTPUT_DTYPES: Record<number, DType> = { 2: "u8", 3: "i8", 5: "i16" };

/** Shift applied to carry a uint8 tensor as int8. */
const U8_SHIFT = 128;

/** Activations that are uint8 in the model and int8 here (their DequantizeLinear shifts its zero point too). */
const FROM_U8 = new WeakSet<Value>();

interface Params {
  scales: number[];
  zps: number[];
  /** The integer type as carried in the IR (u8 already mapped to i8). */
  dtype: DType;
  /** The integers are uint8 in the model (data and zero points need − 128). */
  fromU8: boolean;
  /** Axis of a per-axis scale; null for one scale. */
  axis: number | null;
}

function readParams(ctx: ImportContext, n: OnnxNode, rank: number, modelDType: DType): Params {
  const scaleV = ctx.need(n, 1, "scale");
  const zpV = ctx.input(n, 2);
  const scales = Array.from(ctx.constData(scaleV, "scale").data, Number);
  if (scaleV.dtype !== "f32") throw new ImportIssue(`scale must be float32, got ${scaleV.dtype}`);
  if (n.int("block_size", 0) !== 0) throw new ImportIssue("blocked quantization (block_size) is not supported");
  const zpDType = zpV ? zpV.dtype : modelDType;
  const zps = zpV ? Array.from(ctx.constData(zpV, "zero point").data, Number) : scales.map(() => 0);
  if (zps.length !== scales.length) throw new ImportIssue(`${scales.length} scales but ${zps.length} zero points`);
  const bad = scales.find((s) => !(s > 0) || !Number.isFinite(s));
  if (bad !== undefined) throw new ImportIssue(`scale ${bad} is not positive and finite`);
  const fromU8 = zpDType === "u8";
  const dtype: DType = fromU8 ? "i8" : zpDType;
  if (!RANGES[dtype]) throw new ImportIssue(`${zpDType} quantization is not supported (int8, uint8, int16 and int32 biases are)`);
  let axis: number | null = null;
  if (scaleV.rank > 1) throw new ImportIssue(`scale of shape ${fmt(scaleV.shape)} (blocked quantization) is not supported`);
  if (scaleV.rank === 1 && scales.length > 1) axis = normAxis(n.int("axis", 1), rank);
  return { scales: scales.map(Math.fround), zps: fromU8 ? zps.map((z) => z - U8_SHIFT) : zps, dtype, fromU8, axis };
}

function tensorAttrs(p: Params): Attrs {
  const [qmin, qmax] = RANGES[p.dtype]!;
  return { scale: p.scales[0]!, zero_point: p.zps[0]!, quant_min: qmin, quant_max: qmax, dtype: p.dtype };
}

function qparamsOf(p: Params): QParams {
  const [qmin, qmax] = RANGES[p.dtype]!;
  if (p.axis === null) return perTensor(p.scales[0]!, p.zps[0]!, p.dtype, qmin, qmax);
  return { ...perChannel(p.scales, p.axis, p.dtype, qmin, qmax), zeroPoint: [...p.zps] };
}

/** QuantizeLinear of an activation: y = clamp(round_half_even(x / scale) + zp). */
const quantizeLinear: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "input x");
  if (x.dtype !== "f32") throw new ImportIssue(`input must be float32, got ${x.dtype}`);
  const declared = n.has("output_dtype") ? OUTPUT_DTYPES[n.int("output_dtype", 0)] : undefined;
  if (n.has("output_dtype") && !declared) throw new ImportIssue(`output_dtype ${n.int("output_dtype", 0)} is not supported (uint8, int8, int16)`);
  if (n.int("saturate", 1) !== 1) throw new ImportIssue("saturate=0 is only defined for float8 outputs, which are not supported");
  // Without a zero point the output is uint8 (or output_dtype).
  const p = readParams(ctx, n, x.rank, declared ?? "u8");
  if (p.dtype === "i32") throw new ImportIssue("QuantizeLinear to int32 is not supported (int32 is for biases)");
  if (p.axis !== null) throw new ImportIssue(`per-axis QuantizeLinear (${p.scales.length} scales on axis ${p.axis}) of an activation is not supported; activations are quantized per tensor`);
  if (x.isConst()) {
    // A quantized constant (e.g. a weight stored as float and quantized in the graph): fold to integers.
    const [y] = ctx.emit(QUANTIZE_PER_TENSOR.name, [x], tensorAttrs(p));
    y!.type.qparams = qparamsOf(p);
    if (p.fromU8) FROM_U8.add(y!);
    return [y!];
  }
  const y = ctx.emit1(QUANTIZE_PER_TENSOR.name, [x], tensorAttrs(p));
  y.type.qparams = qparamsOf(p);
  if (p.fromU8) FROM_U8.add(y);
  return [y];
};

/** An integer constant carried as its IR type (uint8 data shifted to int8). */
function integerConst(ctx: ImportContext, v: Value, p: Params, q: QParams): Value {
  // An initializer read by one dequantize carries its parameters itself; a shared one gets a copy per reader.
  if (v.dtype === p.dtype && !v.type.qparams) {
    v.type.qparams = q;
    return v;
  }
  const src = v.data!;
  const shift = v.dtype === "u8" && !FROM_U8.has(v) ? U8_SHIFT : 0;
  const data = allocArray(p.dtype, src.length);
  for (let i = 0; i < src.length; i++) data[i] = src[i]! - shift;
  return ctx.graph.addConst(`${v.name}_${p.dtype}`, p.dtype, [...v.shape], data, q);
}

/** DequantizeLinear: x = (q − zp) · scale; of a constant, the node is kept and reads the integer constant. */
const dequantizeLinear: Converter = (ctx, n) => {
  let q = ctx.need(n, 0, "input x");
  const modelDType: DType = FROM_U8.has(q) ? "u8" : q.dtype;
  if (!["i8", "u8", "i16", "i32"].includes(modelDType)) throw new ImportIssue(`input must be an integer tensor (int8, uint8, int16, int32), got ${modelDType}`);
  const zp = ctx.input(n, 2);
  if (zp && zp.dtype !== modelDType) throw new ImportIssue(`zero point type ${zp.dtype} differs from the input type ${modelDType}`);
  const p = readParams(ctx, n, q.rank, modelDType);
  const qp = qparamsOf(p);
  if (q.isConst()) q = integerConst(ctx, q, p, qp);
  const outputNames = [n.outputs[0] || `${n.name}_0`];
  if (p.axis === null && !(q.isConst() && q.dtype === "i32")) {
    return [ctx.graph.addNode(DEQUANTIZE_PER_TENSOR.name, [q], tensorAttrs(p), { name: n.name, outputNames }).output];
  }
  // Per axis, and int32 biases (the lowering reads biases per channel along axis 0, like the quantizer writes them).
  const axis = p.axis ?? 0;
  const c = q.shape[axis] ?? 1;
  if (p.axis === null && q.rank !== 1) throw new ImportIssue(`int32 tensor ${fmt(q.shape)} dequantized per tensor is not a bias vector`);
  const scales = p.axis === null ? new Array<number>(c).fill(p.scales[0]!) : p.scales;
  const zps = p.axis === null ? new Array<number>(c).fill(p.zps[0]!) : p.zps;
  if (scales.length !== c) throw new ImportIssue(`${scales.length} scales for axis ${axis} of ${fmt(q.shape)}`);
  if (!q.isConst()) throw new ImportIssue("per-axis DequantizeLinear of a computed tensor is not supported; activations are quantized per tensor");
  const [qmin, qmax] = RANGES[p.dtype]!;
  q.type.qparams = { scheme: "per_channel", scale: [...scales], zeroPoint: [...zps], axis, qmin, qmax, dtype: p.dtype };
  const attrs: Attrs = { scales, zero_points: zps, axis, quant_min: qmin, quant_max: qmax, dtype: p.dtype };
  return [ctx.graph.addNode(DEQUANTIZE_PER_CHANNEL.name, [q], attrs, { name: n.name, outputNames }).output];
};

/** A value read through a dequantize of a constant (a QDQ model's weight or bias). */
export function isDequantizedConst(v: Value | null): boolean {
  const p = v?.producer;
  return !!p && (p.op === DEQUANTIZE_PER_TENSOR.name || p.op === DEQUANTIZE_PER_CHANNEL.name) && !!p.inputs[0]?.isConst();
}

/**
 * A QDQ model's MatMul weight B (K, N) read through its DequantizeLinear, as
 * linear's weight (N, K): the integer initializer transposed at import time,
 * a per-axis scale along N (axis 1) moving to axis 0. Null when `b` is not one.
 */
export function transposedDequantizedWeight(ctx: ImportContext, b: Value): Value | null {
  const dq = b.producer;
  if (!dq || !isDequantizedConst(b) || b.rank !== 2) return null;
  const q = dq.input(0);
  const perAxis = dq.op === DEQUANTIZE_PER_CHANNEL.name;
  if (perAxis && dq.attrs.axis !== 1) return null; // scales along K cannot be one per output row
  const [k, n] = q.shape as [number, number];
  const src = q.data!;
  const data = allocArray(q.dtype, src.length);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) data[j * k + i] = src[i * n + j]!;
  const qp = q.type.qparams ? { ...q.type.qparams, ...(perAxis ? { axis: 0 } : {}) } : undefined;
  const t = ctx.graph.addConst(`${q.name}_t`, q.dtype, [n, k], data, qp);
  const attrs: Attrs = perAxis ? { ...dq.attrs, axis: 0 } : { ...dq.attrs };
  return ctx.graph.addNode(dq.op, [t], attrs, { name: `${dq.name}_t`, outputNames: [`${b.name}_t`] }).output;
}

export const QDQ_CONVERTERS: Record<string, Converter> = { QuantizeLinear: quantizeLinear, DequantizeLinear: dequantizeLinear };

/** The ops this family's converters may emit. */
export const QDQ_EMITS: readonly OpDef[] = [QUANTIZE_PER_TENSOR, DEQUANTIZE_PER_TENSOR, DEQUANTIZE_PER_CHANNEL];
