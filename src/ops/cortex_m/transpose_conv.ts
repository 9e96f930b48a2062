// cortex_m.quantized_transpose_conv2d: shape rule, traits and the prepared
// record both back ends take (arm_transpose_conv_wrapper_s8).
// Operands: [input NHWC bytes, weight {C_OUT, KH, KW, C_IN}, bias | null,
// multipliers, shifts, scratch, reverse-conv scratch | null].
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { Activation, Dims, TargetClass, Tile } from "../../kernels/types.js";
import { activationAttr, callDims, fail, i32Vector, intAttr, operand, optionalOperand, tileAttr } from "./decode.js";
import { CHANNELS_LAST, need } from "./shapes.js";
import { TARGET_CLASSES } from "./conv.js";

export interface TransposeConvParams {
  input: Dims;
  /** {C_OUT, KH, KW, C_IN}: the weights were permuted to this layout ahead of time. */
  filter: Dims;
  /** The output extent is an attribute: output_padding and the end padding only set it, they change no arithmetic. */
  output: Dims;
  cout: number;
  stride: Tile;
  /** Top/left padding (CMSIS-NN takes no bottom/right padding for transposed convs). */
  padding: Tile;
  inputOffset: number;
  outputOffset: number;
  activation: Activation;
  targetClass: TargetClass;
  operands: {
    input: Value;
    weight: Value;
    bias: Value | null;
    multipliers: Value;
    shifts: Value;
    /** The kernel buffer (ctx): never empty, the kernel refuses a NULL buffer. */
    scratch: Value;
    /** The flipped-filter buffer (reverse_conv_ctx) of the reverse-conv path, or null. */
    reverseScratch: Value | null;
  };
}

function decodeTransposeConv(node: Node): TransposeConvParams {
  const x = operand(node, 0, "input", "i8");
  const w = operand(node, 1, "weight", "i8");
  if (w.rank !== 4) fail(node, `weight must be 4-D {C_OUT, KH, KW, C_IN}, got [${w.shape}]`);
  const [cout, kh, kw, cin] = w.shape as [number, number, number, number];
  const input = callDims(node, "input_dims", x);
  if (input.c !== cin) fail(node, `input has ${input.c} channels, the weight ${cin}`);
  const output = callDims(node, "output_dims", node.output);
  if (output.c !== cout || output.n !== input.n) fail(node, `output dims ${output.n}x${output.h}x${output.w}x${output.c} do not match the input batch / weight`);
  const stride = tileAttr(node, "stride");
  if (stride.h < 1 || stride.w < 1) fail(node, `stride must be positive, got [${stride.h}, ${stride.w}]`);
  const padding = tileAttr(node, "padding");
  if (padding.h < 0 || padding.w < 0) fail(node, `padding must not be negative, got [${padding.h}, ${padding.w}]`);
  const bias = optionalOperand(node, 2, "bias", "i32");
  if (bias && bias.numel !== cout) fail(node, `needs ${cout} bias values, has ${bias.numel}`);
  const multipliers = i32Vector(node, 3, "multipliers", cout);
  const shifts = i32Vector(node, 4, "shifts", cout);
  const scratch = operand(node, 5, "scratch", "u8");
  const reverseScratch = optionalOperand(node, 6, "reverse scratch", "u8");
  const tc = node.attrs.target_class;
  if (!TARGET_CLASSES.includes(tc as TargetClass)) fail(node, `target_class must be one of ${TARGET_CLASSES.join(", ")}, got ${JSON.stringify(tc)}`);
  return {
    input, filter: { n: cout, h: kh, w: kw, c: cin }, output, cout, stride, padding,
    inputOffset: intAttr(node, "input_offset"),
    outputOffset: intAttr(node, "output_offset"),
    activation: activationAttr(node, "i8"),
    targetClass: tc as TargetClass,
    operands: { input: x, weight: w, bias, multipliers, shifts, scratch, reverseScratch },
  };
}

function transposeConvShape([x, w]: (TensorType | null)[], a: Record<string, unknown>): TensorType[] {
  const xt = need(x, "input");
  const wt = need(w, "weight");
  const name = "cortex_m.quantized_transpose_conv2d";
  if (xt.dtype !== "i8" || wt.dtype !== "i8") throw new IRError(`${name} expects int8 input and weight`);
  if (wt.shape.length !== 4 || xt.shape.length !== 4) throw new IRError(`${name} takes a 4-D input and weight`);
  const od = a.output_dims as number[] | undefined;
  if (!Array.isArray(od) || od.length !== 4) throw new IRError(`${name} needs output_dims [n, h, w, c]`);
  if (od[3] !== wt.shape[0]) throw new IRError(`${name} output_dims has ${od[3]} channels, the weight ${wt.shape[0]}`);
  // Logical NCHW with channels-last bytes, like the conv records.
  return [makeType("i8", [od[0]!, od[3]!, od[1]!, od[2]!], CHANNELS_LAST)];
}

/** weight {C_OUT, KH, KW, C_IN} */
export const QUANTIZED_TRANSPOSE_CONV2D = defineOp<TransposeConvParams>({
  name: "cortex_m.quantized_transpose_conv2d",
  traits: { conv: true },
  infer: transposeConvShape,
  decode: decodeTransposeConv,
});
