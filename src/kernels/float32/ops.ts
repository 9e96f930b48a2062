// Which float kernel (clg_unary_op / clg_binary_op) computes which op, and its
// float parameters: one table for the simulator and the C emitter.
import type { DType } from "../../ir/dtype.js";
import { CLAMP } from "../../ops/activation/activations.js";
import { CONVOLUTION } from "../../ops/conv/convolution.js";
import { EQ, LOGICAL_NOT, WHERE } from "../../ops/elementwise/logical.js";
import { AVG_POOL1D, AVG_POOL2D, MAX_POOL1D, MAX_POOL2D } from "../../ops/pool/pools.js";
import { TO_COPY } from "../../ops/shape/cast.js";
import type { MapOp } from "./float_ops.js";

type Attrs = Record<string, unknown>;

export interface UnaryRow {
  kernel: string;
  params?: (attrs: Attrs) => [number, number];
}

export const FLOAT_UNARY_OPS: Readonly<Record<string, UnaryRow>> = {
  "aten.abs": { kernel: "CLG_ABS" },
  "aten.neg": { kernel: "CLG_NEG" },
  "aten.exp": { kernel: "CLG_EXP" },
  "aten.log": { kernel: "CLG_LOG" },
  "aten.sqrt": { kernel: "CLG_SQRT" },
  "aten.relu": { kernel: "CLG_RELU" },
  "aten.sigmoid": { kernel: "CLG_SIGMOID" },
  "aten.tanh": { kernel: "CLG_TANH" },
  "aten.silu": { kernel: "CLG_SILU" },
  "aten.hardswish": { kernel: "CLG_HARDSWISH" },
  "aten.hardsigmoid": { kernel: "CLG_HARDSIGMOID" },
  "aten.leaky_relu": { kernel: "CLG_LEAKY_RELU", params: (a) => [(a.negative_slope as number | undefined) ?? 0.01, 0] },
  "aten.hardtanh": { kernel: "CLG_HARDTANH", params: (a) => [(a.min_val as number | undefined) ?? -1, (a.max_val as number | undefined) ?? 1] },
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
  "aten.add": "CLG_ADD", "aten.sub": "CLG_SUB", "aten.mul": "CLG_MUL", "aten.div": "CLG_DIV",
  "aten.pow": "CLG_POW", "aten.maximum": "CLG_MAXIMUM", "aten.minimum": "CLG_MINIMUM",
};

/** The ops clg_map computes (on any element type), and the window ops (clg_window_f32). */
export const TYPED_MAP_OPS: Readonly<Record<string, MapOp>> = {
  [EQ.name]: "CLG_MAP_EQ", [LOGICAL_NOT.name]: "CLG_MAP_NOT", [WHERE.name]: "CLG_MAP_WHERE", [TO_COPY.name]: "CLG_MAP_CAST",
};
export const WINDOW_OPS: readonly string[] = [CONVOLUTION, MAX_POOL1D, MAX_POOL2D, AVG_POOL1D, AVG_POOL2D].map((d) => d.name);

/**
 * Why clg_map cannot compute a node with these operand and output element types
 * (null when it can): both back ends refuse the same nodes.
 */
export function typedMapProblem(op: string, ins: readonly DType[], out: DType): string | null {
  if (op === EQ.name && (ins[0] === "f32") !== (ins[1] === "f32")) return `compares ${ins[0]} with ${ins[1]}: float with integer has no exact C form`;
  if (op === WHERE.name && (ins[1] !== out || ins[2] !== out)) return `selects between ${ins[1]} and ${ins[2]} into ${out}: the operands must have the output's type`;
  return null;
}
