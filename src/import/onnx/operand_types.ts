// Which operands of a run-time node may be something other than float. The
// compiler takes float networks: integer and bool tensors are welcome while
// they fold away at import (shape arithmetic, Silero's sample-rate branches),
// but a node left for run time computes in float — an int64 input or an int32
// weight reaching Conv would otherwise pass here and fail deep in evaluation.
import type { Value } from "../../ir/graph.js";
import { getOp } from "../../ir/registry.js";
import { ImportIssue } from "./issue.js";

const DTYPE_NAMES: Record<string, string> = { f32: "float", i8: "int8", u8: "uint8", i16: "int16", i32: "int32", i64: "int64", bool: "bool" };


/** Refuse a run-time node that reads a non-float operand where the op computes in float. */
export function checkOperandTypes(op: string, inputs: readonly (Value | null)[]): void {
  // Operand positions that may hold any dtype: the spec's anyDtypeOperands; data movement takes any.
  const def = getOp(op);
  const free = def.dataMovement ? "all" : def.traits?.anyDtypeOperands;
  if (free === "all") return;
  inputs.forEach((v, i) => {
    if (!v || v.dtype === "f32" || free?.includes(i)) return;
    const kind = v.isConst() ? "constant" : "run-time value";
    throw new ImportIssue(
      `input ${i} ('${v.name}') is a ${kind} of type ${DTYPE_NAMES[v.dtype] ?? v.dtype}; this operator computes in float ` +
        "(only float tensors may reach it at run time)",
    );
  });
}
