import type { Graph, Node } from "../../ir/graph.js";
import type { OpDef } from "../../ir/registry.js";
import type { LowerOptions } from "../options.js";

/**
 * A substitution rewrites one quantized pattern anchored at `node` into
 * cortex_m ops inserted before it, redirecting the pattern's consumers.
 * It returns null when done, or the reason the node stays as it is (shown by
 * `inspect`). The dead float nodes are removed by DCE afterwards.
 */
export type Substitution = (g: Graph, node: Node, opts: LowerOptions) => string | null;

const table = new Map<string, Substitution>();

/** Register the substitution of the op `spec` defines (ExecuTorch's register_dialect_substitution). */
export function registerSubstitution(spec: OpDef, fn: Substitution): void {
  if (table.has(spec.name)) throw new Error(`substitution for ${spec.name} registered twice`);
  table.set(spec.name, fn);
}

export function substitutionFor(op: string): Substitution | undefined {
  return table.get(op);
}

/** The ops that have a substitution (for the parity tests). */
export function substitutedOps(): ReadonlySet<string> {
  return new Set(table.keys());
}
