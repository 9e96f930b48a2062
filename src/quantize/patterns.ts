// The quantization pattern table (CortexMQuantizer style, lowering.md §4).
// A pattern is an anchor op, optionally followed by one activation tail; the
// pair is quantized as one unit (no Q/DQ between anchor and tail), so the
// tail's output range is the pattern's output range. Adding a pattern or a
// tail is one line in PATTERNS or TAILS.
import type { Node, Value } from "../ir/graph.js";
import { getOp, hasOp } from "../ir/registry.js";
import type { FixedKind } from "./scheme.js";

/** How one input of a quantized op is quantized. */
export type InputRole =
  | "act" // activation: int8 asymmetric per tensor, read through Q → DQ
  | "weight_per_channel" // conv weight: int8 symmetric per output channel
  | "weight_linear" // linear weight: per tensor (per channel with the perChannelLinear option)
  | "bias" // int32, scale s_in·s_w, zp 0
  | "act_or_weight" // matmul operand: a constant is a symmetric per-tensor weight, else an activation
  | "ignore"; // not a tensor operand of the quantized op

/** How the output of a quantized op gets its parameters. */
export type OutputRule = "observed" | { fixed: FixedKind };

export interface PatternDef {
  /** Recorded in node.meta.qpattern.name. */
  name: string;
  match: (n: Node) => boolean;
  inputs: readonly InputRole[];
  output: OutputRule;
  /** Activation tails that may follow the anchor (names from TAILS). */
  tails: readonly TailName[];
}

const op = (name: string) => (n: Node): boolean => n.op === name;
const f32 = (v: Value | null | undefined): boolean => !!v && v.dtype === "f32";
const constF32 = (v: Value | null | undefined): boolean => f32(v) && v!.isConst();

/** Tails: ops whose whole effect is a clamp of the producer's output (fused into act_min/act_max). */
export const TAILS = {
  relu: op("aten.relu"),
  hardtanh: op("aten.hardtanh"), // relu6 = hardtanh(0, 6)
  hardsigmoid: op("aten.hardsigmoid"), // absorbed into the producer's requantization
  clamp: (n: Node) => n.op === "aten.clamp" && (typeof n.attrs["min"] === "number" || typeof n.attrs["max"] === "number"),
} as const;
export type TailName = keyof typeof TAILS;

const CONV_TAILS: readonly TailName[] = ["relu", "hardtanh", "hardsigmoid", "clamp"];
const ADD_TAILS: readonly TailName[] = ["relu", "hardtanh", "clamp"];
const CONV_INPUTS: readonly InputRole[] = ["act", "weight_per_channel", "bias"];

// Convolution checkers: float activations, constant weights (computed weights are not lowerable).
function convInfo(n: Node): { spatial: number; transposed: boolean; groups: number; cin: number; cout: number } | null {
  if (n.op !== "aten.convolution") return null;
  const [x, w, b] = n.inputs;
  if (!f32(x) || !constF32(w) || (b && !constF32(b))) return null;
  const transposed = n.attrs["transposed"] === true || n.attrs["transposed"] === 1;
  const groups = typeof n.attrs["groups"] === "number" ? n.attrs["groups"] : 1;
  return { spatial: x!.rank - 2, transposed, groups, cin: x!.shape[1]!, cout: n.output.shape[1]! };
}
/** Depthwise: every input channel is its own group (C_out a multiple of C_in). */
const isDepthwise = (c: NonNullable<ReturnType<typeof convInfo>>): boolean => c.groups > 1 && c.groups === c.cin && c.cout % c.cin === 0;
const conv = (spatial: number, kind: "regular" | "depthwise" | "transposed") => (n: Node): boolean => {
  const c = convInfo(n);
  if (!c || c.spatial !== spatial) return false;
  if (kind === "transposed") return c.transposed;
  return !c.transposed && (kind === "depthwise") === isDepthwise(c);
};

export const PATTERNS: readonly PatternDef[] = [
  { name: "conv1d", match: conv(1, "regular"), inputs: CONV_INPUTS, output: "observed", tails: CONV_TAILS },
  { name: "conv2d", match: conv(2, "regular"), inputs: CONV_INPUTS, output: "observed", tails: CONV_TAILS },
  { name: "depthwise_conv1d", match: conv(1, "depthwise"), inputs: CONV_INPUTS, output: "observed", tails: CONV_TAILS },
  { name: "depthwise_conv2d", match: conv(2, "depthwise"), inputs: CONV_INPUTS, output: "observed", tails: CONV_TAILS },
  { name: "conv_transpose1d", match: conv(1, "transposed"), inputs: CONV_INPUTS, output: "observed", tails: CONV_TAILS },
  { name: "conv_transpose2d", match: conv(2, "transposed"), inputs: CONV_INPUTS, output: "observed", tails: CONV_TAILS },
  { name: "linear", match: (n) => n.op === "aten.linear" && f32(n.inputs[0]) && constF32(n.inputs[1]) && (!n.inputs[2] || constF32(n.inputs[2])), inputs: ["act", "weight_linear", "bias"], output: "observed", tails: CONV_TAILS },
  { name: "add", match: op("aten.add"), inputs: ["act", "act"], output: "observed", tails: ADD_TAILS },
  { name: "mul", match: op("aten.mul"), inputs: ["act", "act"], output: "observed", tails: [] },
  { name: "matmul", match: op("aten.matmul"), inputs: ["act", "act_or_weight"], output: "observed", tails: [] },
  // Lookup-table activations: any input range maps to an observed output range.
  { name: "hardswish", match: op("aten.hardswish"), inputs: ["act"], output: "observed", tails: [] },
  { name: "silu", match: op("aten.silu"), inputs: ["act"], output: "observed", tails: [] },
  { name: "gelu", match: op("aten.gelu"), inputs: ["act"], output: "observed", tails: [] },
  { name: "leaky_relu", match: op("aten.leaky_relu"), inputs: ["act"], output: "observed", tails: [] },
  { name: "hardsigmoid", match: op("aten.hardsigmoid"), inputs: ["act"], output: "observed", tails: [] },
  // Fixed output ranges of the TFLite int8 kernels.
  { name: "softmax", match: op("aten.softmax"), inputs: ["act"], output: { fixed: "softmax" }, tails: [] },
  { name: "sigmoid", match: op("aten.sigmoid"), inputs: ["act"], output: { fixed: "sigmoid" }, tails: [] },
  { name: "tanh", match: op("aten.tanh"), inputs: ["act"], output: { fixed: "tanh" }, tails: [] },
];

/**
 * Ops that share their input's parameters (int8 byte moves, or clamps that
 * keep the grid): every op its definition marks as data movement, plus these.
 * Which inputs are shared: all float tensor inputs (cat, maximum) — index
 * tensors and other non-float operands are left alone.
 */
const SHARED_EXTRA = new Set([
  "aten.relu", "aten.hardtanh", "aten.clamp", // standalone clamps (not a pattern tail)
  "aten.max_pool1d", "aten.max_pool2d", "aten.avg_pool1d", "aten.avg_pool2d",
  "aten.maximum", "aten.minimum", "aten.upsample_nearest2d",
  "aten.mean", // a mean stays inside its input's range; arm_avgpool_s8 does not requantize
]);

export function isSharedOp(n: Node): boolean {
  if (SHARED_EXTRA.has(n.op)) return true;
  return hasOp(n.op) && getOp(n.op).dataMovement === true;
}

export function findPattern(n: Node): PatternDef | undefined {
  return PATTERNS.find((p) => p.match(n));
}
