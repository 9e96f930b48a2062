// Which float kernel (clg_unary_op / clg_binary_op) computes which op, and its
// float parameters: one table for the simulator and the C emitter.
import type { DType } from "../../ir/dtype.js";
import { CLAMP, HARDSIGMOID, HARDSWISH, HARDTANH, LEAKY_RELU, RELU, SIGMOID, SILU, TANH } from "../../ops/activation/activations.js";
import { CONVOLUTION } from "../../ops/conv/convolution.js";
import { ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB } from "../../ops/elementwise/binary.js";
import { EQ, LE, LOGICAL_AND, LOGICAL_NOT, LOGICAL_OR, LT, WHERE } from "../../ops/elementwise/logical.js";
import { ABS, EXP, LOG, NEG, SQRT } from "../../ops/elementwise/unary.js";
import { AVG_POOL1D, AVG_POOL2D, MAX_POOL1D, MAX_POOL2D } from "../../ops/pool/pools.js";
import { TO_COPY } from "../../ops/shape/cast.js";
import type { MapOp } from "./float_ops.js";

type Attrs = Record<string, unknown>;

export interface UnaryRow {
  kernel: string;
  params?: (attrs: Attrs) => [number, number];
}

export const FLOAT_UNARY_OPS: Readonly<Record<string, UnaryRow>> = {
  [ABS.name]: { kernel: "CLG_ABS" },
  [NEG.name]: { kernel: "CLG_NEG" },
  [EXP.name]: { kernel: "CLG_EXP" },
  [LOG.name]: { kernel: "CLG_LOG" },
  [SQRT.name]: { kernel: "CLG_SQRT" },
  [RELU.name]: { kernel: "CLG_RELU" },
  [SIGMOID.name]: { kernel: "CLG_SIGMOID" },
  [TANH.name]: { kernel: "CLG_TANH" },
  [SILU.name]: { kernel: "CLG_SILU" },
  [HARDSWISH.name]: { kernel: "CLG_HARDSWISH" },
  [HARDSIGMOID.name]: { kernel: "CLG_HARDSIGMOID" },
  [LEAKY_RELU.name]: { kernel: "CLG_LEAKY_RELU", params: (a) => [(a.negative_slope as number | undefined) ?? 0.01, 0] },
  [HARDTANH.name]: { kernel: "CLG_HARDTANH", params: (a) => [(a.min_val as number | undefined) ?? -1, (a.max_val as number | undefined) ?? 1] },
  // clamp is hardtanh with open bounds (±∞ for a null bound); NaN passes through. Where min > max,
  // and for −0 at a bound of 0, the result follows the kernel's two comparisons, not Math.max/min.
  [CLAMP.name]: { kernel: "CLG_HARDTANH", params: (a) => [(a.min as number | null | undefined) ?? -Infinity, (a.max as number | null | undefined) ?? Infinity] },
};

/** The unary kernel's parameters as floats (the C takes floats). */
export function unaryParams(op: string, attrs: Attrs): [number, number] {
  const p = FLOAT_UNARY_OPS[op]!.params?.(attrs) ?? [0, 0];
  return [Math.fround(p[0]), Math.fround(p[1])];
}

export const FLOAT_BINARY_OPS: Readonly<Record<string, string>> = {
  [ADD.name]: "CLG_ADD", [SUB.name]: "CLG_SUB", [MUL.name]: "CLG_MUL", [DIV.name]: "CLG_DIV",
  [POW.name]: "CLG_POW", [MAXIMUM.name]: "CLG_MAXIMUM", [MINIMUM.name]: "CLG_MINIMUM",
};

/** The ops clg_map computes (on any element type), and the window ops (clg_window_f32). */
export const TYPED_MAP_OPS: Readonly<Record<string, MapOp>> = {
  [EQ.name]: "CLG_MAP_EQ", [LOGICAL_NOT.name]: "CLG_MAP_NOT", [WHERE.name]: "CLG_MAP_WHERE", [TO_COPY.name]: "CLG_MAP_CAST",
  [LT.name]: "CLG_MAP_LT", [LE.name]: "CLG_MAP_LE", [LOGICAL_AND.name]: "CLG_MAP_AND", [LOGICAL_OR.name]: "CLG_MAP_OR",
};

/** The comparisons: float with integer has no exact C form (an integer beyond 2^24 has no float). */
const COMPARISONS: ReadonlySet<string> = new Set([EQ.name, LT.name, LE.name]);
export const WINDOW_OPS: readonly string[] = [CONVOLUTION, MAX_POOL1D, MAX_POOL2D, AVG_POOL1D, AVG_POOL2D].map((d) => d.name);

/**
 * Why clg_map cannot compute a node with these operand and output element types
 * (null when it can): both back ends refuse the same nodes.
 */
export function typedMapProblem(op: string, ins: readonly DType[], out: DType): string | null {
  if (COMPARISONS.has(op) && (ins[0] === "f32") !== (ins[1] === "f32")) return `compares ${ins[0]} with ${ins[1]}: float with integer has no exact C form`;
  if (op === WHERE.name && (ins[1] !== out || ins[2] !== out)) return `selects between ${ins[1]} and ${ins[2]} into ${out}: the operands must have the output's type`;
  return null;
}
