// cortex_m.quantized_hypot: y = sqrt(a² + b²) on quantized a, b (one parameter set for both) — the
// magnitude of a complex value split in two tensors (Silero's STFT), for integer-only builds. No
// CMSIS-NN kernel computes it: the simulator runs src/kernels/hypot.ts, the C clg_hypot
// (csrc/codegen_support/clg_int_ops.c); the arithmetic (exact sum of squares, rounded integer
// square root with 15 fractional bits, arm_nn_requantize) is documented there.
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { HypotParams } from "../../kernels/hypot.js";
import { activationAttr, fail, intAttr } from "./decode.js";
import { need } from "./shapes.js";

export interface HypotRecord {
  kernel: HypotParams;
  /** Element widths: int8 or int16, in (both operands) and out independently. */
  inDtype: "i8" | "i16";
  outDtype: "i8" | "i16";
  size: number;
  operands: { a: Value; b: Value };
}

const intDtype = (node: Node, v: Value, what: string): "i8" | "i16" => {
  if (v.dtype !== "i8" && v.dtype !== "i16") fail(node, `${what} must be i8 or i16, got ${v.dtype}`);
  return v.dtype;
};

export const QUANTIZED_HYPOT = defineOp<HypotRecord>({
  name: "cortex_m.quantized_hypot",
  // Elementwise over equal shapes in the output's physical order; it reads a[i], b[i] before writing y[i].
  traits: { layoutAgnostic: [0, 1] },
  infer: ([a, b], attrs) => {
    const at = need(a, "a");
    const bt = need(b, "b");
    if (at.shape.join() !== bt.shape.join()) throw new IRError(`cortex_m.quantized_hypot needs equal shapes, got [${at.shape}] and [${bt.shape}]`);
    const dtype = attrs.output_dtype === "i16" ? "i16" : "i8";
    return [makeType(dtype, at.shape, at.dimOrder) as TensorType];
  },
  decode: (node) => {
    const a = node.inputs[0];
    const b = node.inputs[1];
    if (!a || !b) fail(node, "needs two operands");
    const inDtype = intDtype(node, a, "first input");
    if (b.dtype !== inDtype) fail(node, `operands differ in type: ${a.dtype}, ${b.dtype}`);
    const y = node.output;
    const outDtype = intDtype(node, y, "output");
    if (a.shape.join() !== y.shape.join() || b.shape.join() !== y.shape.join()) fail(node, `needs equal shapes, got [${a.shape}], [${b.shape}] → [${y.shape}]`);
    const shift = intAttr(node, "shift");
    // r < 2^31 is requantized by a right shift only (a scale ratio beyond 2^15 would be a broken model).
    if (shift > 0 || shift < -31) fail(node, `shift ${shift} is outside [-31, 0]`);
    const act = activationAttr(node, outDtype);
    const inputOffset = intAttr(node, "input_offset");
    if (Math.abs(inputOffset) > (inDtype === "i8" ? 128 : 0)) fail(node, `input_offset ${inputOffset} is out of range for ${inDtype}`);
    return {
      kernel: {
        inputOffset, outputOffset: intAttr(node, "output_offset"), multiplier: intAttr(node, "multiplier"), shift,
        activationMin: act.min, activationMax: act.max,
      },
      inDtype, outDtype, size: y.numel, operands: { a, b },
    };
  },
});

/**
 * cortex_m.hypot_f32: y[i] = sqrt(a[aOffset + i]² + b[bOffset + i]²) in float, over row-major elements, each
 * operation rounded once as the chain it replaces computes it (x² as x·x, then the sum, then IEEE sqrt): the
 * same bits, without storing the operands' halves, the squares or their sum (ops/elementwise/magnitude.ts
 * magnitudeOfRuns). C: clg_hypot_f32 (csrc/codegen_support/clg_float.c); simulator: kernels/float32 hypotF32.
 */
export interface HypotF32Record {
  aOffset: number;
  bOffset: number;
  size: number;
  operands: { a: Value; b: Value };
}

export const HYPOT_F32 = defineOp<HypotF32Record>({
  name: "cortex_m.hypot_f32",
  infer: ([a, b], attrs) => {
    const at = need(a, "a");
    need(b, "b");
    const shape = attrs.shape as number[] | undefined;
    if (!Array.isArray(shape)) throw new IRError("cortex_m.hypot_f32 needs a shape attribute");
    if (at.dtype !== "f32") throw new IRError(`cortex_m.hypot_f32 takes f32, got ${at.dtype}`);
    return [makeType("f32", shape) as TensorType];
  },
  decode: (node) => {
    const a = node.inputs[0];
    const b = node.inputs[1];
    if (!a || !b) fail(node, "needs two operands");
    if (a.dtype !== "f32" || b.dtype !== "f32" || node.output.dtype !== "f32") fail(node, "takes and gives f32");
    const size = node.output.numel;
    const aOffset = intAttr(node, "a_offset");
    const bOffset = intAttr(node, "b_offset");
    if (aOffset < 0 || aOffset + size > a.numel) fail(node, `a_offset ${aOffset} + ${size} elements is outside a (${a.numel})`);
    if (bOffset < 0 || bOffset + size > b.numel) fail(node, `b_offset ${bOffset} + ${size} elements is outside b (${b.numel})`);
    return { aOffset, bOffset, size, operands: { a, b } };
  },
});
