// The float borders of an int8 program: cortex_m.quantize_per_tensor /
// dequantize_per_tensor (the arithmetic is src/ops/quant/rounding.ts, shared
// with the Q/DQ graph), and dequantize_softmax, a float softmax fused with the
// dequantize of its int8 input (exponentials from a 256-entry table).
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { fail, intAttr, numAttr, operand } from "./decode.js";
import { need } from "./shapes.js";

const same = (t: TensorType, dtype: TensorType["dtype"]): TensorType => makeType(dtype, t.shape, t.dimOrder);

/** A per-tensor scale: positive and finite, or the table and 1/scale are meaningless. */
function scaleAttr(node: Node): number {
  const scale = numAttr(node, "scale");
  if (!(scale > 0) || !Number.isFinite(scale)) fail(node, `scale must be positive and finite, got ${scale}`);
  return scale;
}

/** The integer types of a quantization border: int8, or int16 for the 16x8 kernels (attribute `dtype`, default i8). */
export type QuantDType = "i8" | "i16";
const QUANT_RANGE: Record<QuantDType, [number, number]> = { i8: [-128, 127], i16: [-32768, 32767] };

function quantDType(node: Node): QuantDType {
  const d = node.attrs.dtype ?? "i8";
  if (d !== "i8" && d !== "i16") fail(node, `dtype must be i8 or i16, got ${JSON.stringify(d)}`);
  return d;
}

export interface QuantizeParams {
  dtype: QuantDType;
  scale: number;
  zeroPoint: number;
  /** The grid's bounds: the lowering always writes them (from the Q node's quant_min / quant_max). */
  qmin: number;
  qmax: number;
  size: number;
  operands: { input: Value };
}

export const QUANTIZE_PER_TENSOR = defineOp<QuantizeParams>({
  name: "cortex_m.quantize_per_tensor",
  unaryElementwise: true,
  // A quantization border keeps NHWC through it in the clean-up.
  traits: { fusableUnary: true },
  infer: ([x], attrs) => {
    const t = need(x, "x");
    if (t.dtype !== "f32") throw new IRError(`quantize expects f32, got ${t.dtype}`);
    return [same(t, attrs?.dtype === "i16" ? "i16" : "i8")];
  },
  decode: (node) => {
    const dtype = quantDType(node);
    const [lo, hi] = QUANT_RANGE[dtype];
    const qmin = intAttr(node, "quant_min");
    const qmax = intAttr(node, "quant_max");
    if (qmin < lo || qmax > hi || qmin > qmax) fail(node, `quant range [${qmin}, ${qmax}] is not inside [${lo}, ${hi}]`);
    return {
      dtype,
      scale: scaleAttr(node), zeroPoint: intAttr(node, "zero_point"), qmin, qmax,
      size: node.output.numel,
      operands: { input: operand(node, 0, "input", "f32") },
    };
  },
});

export interface DequantizeParams {
  dtype: QuantDType;
  scale: number;
  zeroPoint: number;
  size: number;
  operands: { input: Value };
}

export const DEQUANTIZE_PER_TENSOR = defineOp<DequantizeParams>({
  name: "cortex_m.dequantize_per_tensor",
  unaryElementwise: true,
  traits: { fusableUnary: true },
  infer: ([x]) => {
    const t = need(x, "x");
    if (t.dtype !== "i8" && t.dtype !== "i16") throw new IRError(`dequantize expects i8 or i16, got ${t.dtype}`);
    return [same(t, "f32")];
  },
  decode: (node) => {
    const dtype: QuantDType = node.inputs[0]?.dtype === "i16" ? "i16" : "i8";
    return {
      dtype,
      scale: scaleAttr(node), zeroPoint: intAttr(node, "zero_point"),
      size: node.output.numel,
      operands: { input: operand(node, 0, "input", dtype) },
    };
  },
});

export interface DequantizeSoftmaxParams {
  /** The softmax axis (logical; negative counts from the end, as written by the importer). */
  dim: number;
  /** The input's scale: the exp table holds exp(scale · d) for d = 0 … -255. */
  scale: number;
  zeroPoint: number;
  operands: { input: Value };
}

export const DEQUANTIZE_SOFTMAX = defineOp<DequantizeSoftmaxParams>({
  name: "cortex_m.dequantize_softmax",
  infer: ([x]) => {
    const t = need(x, "x");
    if (t.dtype !== "i8") throw new IRError(`dequantize_softmax expects i8, got ${t.dtype}`);
    return [same(t, "f32")];
  },
  decode: (node) => {
    const input = operand(node, 0, "input", "i8");
    const dim = intAttr(node, "dim");
    if (dim < -input.rank || dim >= input.rank) fail(node, `dim ${dim} is not an axis of [${input.shape}]`);
    return { dim, scale: scaleAttr(node), zeroPoint: intAttr(node, "zero_point"), operands: { input } };
  },
});
