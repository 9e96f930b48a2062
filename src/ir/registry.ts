import type { Attrs, TensorType } from "./graph.js";
import { IRError } from "./errors.js";
import type { Tensor } from "./tensor.js";

/**
 * What the IR knows about an op: its shape rule and, for ops the float
 * interpreter runs, their reference semantics. Op families register
 * themselves from src/ops/<family>/; this file only holds the table.
 */
export interface OpDef {
  name: string;
  /** Output types from input types and attributes (the shape rule). */
  infer(inputs: (TensorType | null)[], attrs: Attrs): TensorType[];
  /** Reference semantics on logical-order tensors (float, or integer for shape arithmetic). */
  eval?(inputs: (Tensor | null)[], attrs: Attrs): Tensor[];
  /** Unary elementwise and shape-preserving: view chains may be collapsed through it. */
  unaryElementwise?: boolean;
  /** Only moves data (quantized graphs give it its input's parameters). */
  dataMovement?: boolean;
}

const table = new Map<string, OpDef>();

export function defineOp(def: OpDef): OpDef {
  if (table.has(def.name)) throw new IRError(`op ${def.name} defined twice`);
  table.set(def.name, def);
  return def;
}

export function getOp(name: string): OpDef {
  const d = table.get(name);
  if (!d) throw new IRError(`unknown op ${name}`);
  return d;
}

export function hasOp(name: string): boolean {
  return table.has(name);
}

export function allOps(): string[] {
  return [...table.keys()].sort();
}
