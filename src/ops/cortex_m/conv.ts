// cortex_m.quantized_conv2d / quantized_depthwise_conv2d: shape rule, traits
// and the prepared record both back ends take (arm_convolve_wrapper_s8,
// arm_convolve_s8, arm_depthwise_conv_wrapper_s8).
// Operands: [input NHWC bytes, weight, bias | null, multipliers, shifts, scratch | null].
import { IRError } from "../../ir/errors.js";
import type { Node, TensorType, Value } from "../../ir/graph.js";
import { defineOp, type OpTraits } from "../../ir/registry.js";
import type { Activation, Dims, TargetClass } from "../../kernels/types.js";
import {
  activationAttr, callDims, fail, i32Vector, intAttr, operand, optionalOperand, windowAttrs, windowOutputDims, type Window,
} from "./decode.js";
import { need, windowOutput } from "./shapes.js";

export const TARGET_CLASSES: readonly TargetClass[] = ["scalar", "dsp", "mve"];

/** How the bias operand reaches the kernel. */
export type BiasUse =
  /** the node's bias operand */
  | "operand"
  /** no bias operand, and the kernel indexes bias per group (depthwise, grouped): pass cout zeros, never NULL */
  | "zeros"
  /** no bias operand: pass NULL */
  | "null";

/** Which CMSIS-NN entry point runs the conv. */
export type ConvKernel =
  | "arm_convolve_wrapper_s8" | "arm_convolve_s8" | "arm_depthwise_conv_wrapper_s8"
  /** 16x8: int16 input and output, int64 bias (cmsis_nn_bias_data), offsets unused */
  | "arm_convolve_wrapper_s16" | "arm_depthwise_conv_wrapper_s16";

export interface ConvParams extends Window {
  depthwise: boolean;
  /** int16 activations (the 16x8 kernels): the input's type decides. */
  s16: boolean;
  kernel: ConvKernel;
  input: Dims;
  /** OHWI [cout, kh, kw, cin/groups], or 1HWC for depthwise. */
  filter: Dims;
  output: Dims;
  /** Output channels: the length of multipliers, shifts and bias. */
  cout: number;
  /** Depthwise channel multiplier (1 for a plain conv). */
  chMult: number;
  inputOffset: number;
  outputOffset: number;
  activation: Activation;
  bias: BiasUse;
  /** The CMSIS-NN build the lowering sized scratch for (selects the TS kernel variant). */
  targetClass: TargetClass;
  operands: ConvOperands;
}

export interface ConvOperands {
  input: Value;
  weight: Value;
  bias: Value | null;
  multipliers: Value;
  shifts: Value;
  /** The cortex_m.scratch slice (kernel buffer), or null. */
  scratch: Value | null;
}

/**
 * Decode a conv node. Every rule lives here: window defaults (padding_end =
 * padding, dilation 1), the call dims (input_dims / output_dims or the values'
 * NHWC dims), cout multipliers and shifts, the per-group zero bias,
 * direct_call (the lowering chose arm_convolve_s8 over the wrapper's pick,
 * plain convs only) and target_class, which the lowering always writes.
 */
function decodeConv(node: Node, depthwise: boolean): ConvParams {
  const s16 = node.inputs[0]?.dtype === "i16";
  const x = operand(node, 0, "input", s16 ? "i16" : "i8");
  const w = operand(node, 1, "weight", "i8");
  if (w.rank !== 4) fail(node, `weight must be 4-D, got [${w.shape}]`);
  const [wo, kh, kw, wc] = w.shape as [number, number, number, number];
  const input = callDims(node, "input_dims", x);
  const cout = depthwise ? wc : wo;
  const filter: Dims = depthwise ? { n: 1, h: kh, w: kw, c: wc } : { n: wo, h: kh, w: kw, c: wc };
  if (depthwise && wo !== 1) fail(node, `depthwise weight must be [1, kh, kw, cout], got [${w.shape}]`);
  if (!depthwise && (wc === 0 || input.c % wc !== 0)) fail(node, `input channels ${input.c} are not a multiple of the weight's ${wc}`);
  const win = windowAttrs(node);
  const output = windowOutputDims(node, input, { h: kh, w: kw }, win, cout);
  let chMult = 1;
  if (depthwise) {
    chMult = node.attrs.depth_multiplier !== undefined ? intAttr(node, "depth_multiplier") : cout / input.c;
    if (!Number.isInteger(chMult) || chMult < 1 || chMult * input.c !== cout) {
      fail(node, `depth multiplier ${chMult} does not map ${input.c} input channels onto ${cout}`);
    }
  }
  const biasValue = optionalOperand(node, 2, "bias", s16 ? "i64" : "i32");
  if (biasValue && biasValue.numel !== cout) fail(node, `needs ${cout} bias values, has ${biasValue.numel}`);
  const multipliers = i32Vector(node, 3, "multipliers", cout);
  const shifts = i32Vector(node, 4, "shifts", cout);
  const scratch = optionalOperand(node, 5, "scratch", "u8");
  // Grouped and depthwise kernels advance the bias pointer per group: NULL would be read.
  const grouped = !depthwise && wc !== input.c;
  const bias: BiasUse = biasValue ? "operand" : depthwise || grouped ? "zeros" : "null";
  const direct = node.attrs.direct_call;
  if (direct !== undefined && typeof direct !== "boolean") fail(node, `direct_call must be a boolean, got ${JSON.stringify(direct)}`);
  if (direct && depthwise) fail(node, "direct_call applies to plain convolutions only");
  if (direct && s16) fail(node, "direct_call applies to int8 convolutions only");
  // The s16 kernels take no offsets: a nonzero one would be silently ignored by CMSIS-NN.
  if (s16 && (intAttr(node, "input_offset") !== 0 || intAttr(node, "output_offset") !== 0)) fail(node, "int16 convolutions take no offsets");
  const tc = node.attrs.target_class;
  if (!TARGET_CLASSES.includes(tc as TargetClass)) fail(node, `target_class must be one of ${TARGET_CLASSES.join(", ")}, got ${JSON.stringify(tc)}`);
  return {
    depthwise,
    s16,
    kernel: s16 ? (depthwise ? "arm_depthwise_conv_wrapper_s16" : "arm_convolve_wrapper_s16")
      : depthwise ? "arm_depthwise_conv_wrapper_s8" : direct ? "arm_convolve_s8" : "arm_convolve_wrapper_s8",
    input, filter, output, cout, chMult,
    ...win,
    inputOffset: intAttr(node, "input_offset"),
    outputOffset: intAttr(node, "output_offset"),
    activation: activationAttr(node, s16 ? "i16" : "i8"),
    bias,
    targetClass: tc as TargetClass,
    operands: { input: x, weight: w, bias: biasValue, multipliers, shifts, scratch },
  };
}

function convShape(name: string, outChannels: (w: TensorType) => number) {
  return ([x, w]: (TensorType | null)[], a: Parameters<typeof windowOutput>[4]): TensorType[] => {
    const xt = need(x, "input");
    const wt = need(w, "weight");
    if ((xt.dtype !== "i8" && xt.dtype !== "i16") || wt.dtype !== "i8") throw new IRError(`${name} expects int8 or int16 input and int8 weight`);
    if (wt.shape.length !== 4) throw new IRError(`${name} weight must be 4-D, got [${wt.shape}]`);
    return [windowOutput(xt, outChannels(wt), wt.shape[1]!, wt.shape[2]!, a)];
  };
}

// The cmsis_nn_dims are attributes, so values may be redeclared with any shape holding the same bytes.
const CONV_TRAITS: OpTraits = { conv: true, reinterpretable: true };

/** weight OHWI [O, KH, KW, I/groups] */
export const QUANTIZED_CONV2D = defineOp<ConvParams>({
  name: "cortex_m.quantized_conv2d",
  traits: CONV_TRAITS,
  infer: convShape("cortex_m.quantized_conv2d", (w) => w.shape[0]!),
  decode: (node) => decodeConv(node, false),
});

/** weight 1HWC [1, KH, KW, O] */
export const QUANTIZED_DEPTHWISE_CONV2D = defineOp<ConvParams>({
  name: "cortex_m.quantized_depthwise_conv2d",
  traits: CONV_TRAITS,
  infer: convShape("cortex_m.quantized_depthwise_conv2d", (w) => w.shape[3]!),
  decode: (node) => decodeConv(node, true),
});
