// The quantizer's view of the op specs (CortexMQuantizer style, lowering.md §4).
// A pattern is an anchor op, optionally followed by one activation tail; the
// pair is quantized as one unit (no Q/DQ between anchor and tail), so the
// tail's output range is the pattern's output range. Patterns, tails and
// "shares its input's parameters" are fields of each op's spec (quant role in
// src/ops/<family>/); this file only looks them up.
import type { Node } from "../ir/graph.js";
import { allOpDefs, getOp, hasOp, localName, sharesInputParams, type QuantPattern, type TailRole } from "../ir/registry.js";

export type { FixedOutput } from "../ir/registry.js";
export type PatternDef = QuantPattern;
/** A tail's short name (its op without the dialect: "relu", "clamp", ...), recorded in node.meta.qpattern.tail. */
export type TailName = string;

const quantOf = (op: string) => (hasOp(op) ? getOp(op).quant : undefined);

/** Every spec's patterns with their anchor op, in registration order (the derived pattern table). */
export function allPatterns(): { op: string; pattern: QuantPattern }[] {
  return allOpDefs().flatMap((d) => (d.quant?.patterns ?? []).map((pattern) => ({ op: d.name, pattern })));
}

/**
 * The pattern anchored at `n`: the first of its op's patterns whose condition holds
 * (integer-only patterns only when `integerOnly`, or when named in `alsoIntegerOnly`).
 */
export function findPattern(
  n: Node, integerOnly = false, alsoIntegerOnly: readonly string[] = [], skip?: (p: QuantPattern) => boolean,
): QuantPattern | undefined {
  return quantOf(n.op)?.patterns?.find((p) =>
    (!p.integerOnly || integerOnly || alsoIntegerOnly.includes(p.name)) && !skip?.(p) && (!p.when || p.when(n)));
}

/**
 * A default-build pattern that leaves a constant operand float for the table the lowering
 * builds (x op c, src/ops/elementwise/binary.ts); integer-only patterns that leave one are not tables.
 */
export function isTablePattern(p: QuantPattern): boolean {
  return p.inputs.includes("ignore") && p.integerOnly !== true;
}

/** `n` as an activation tail: its op's tail role when the node meets its condition, else null. */
export function tailRoleOf(n: Node): TailRole | null {
  const t = quantOf(n.op)?.tail;
  return t && (!t.when || t.when(n)) ? t : null;
}

export function tailName(op: string): TailName {
  return localName(op);
}

/**
 * Ops that share their input's parameters (int8 byte moves, or clamps that
 * keep the grid). Which inputs are shared: all float tensor inputs (cat,
 * maximum) — index tensors and other non-float operands are left alone.
 */
export function isSharedOp(n: Node): boolean {
  return hasOp(n.op) && sharesInputParams(getOp(n.op));
}
