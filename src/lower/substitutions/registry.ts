import type { Graph, Node } from "../../ir/graph.js";
import type { LowerOptions } from "../options.js";

/**
 * A substitution rewrites one quantized pattern anchored at `node` into
 * cortex_m ops inserted before it, redirecting the pattern's consumers.
 * It returns null when done, or the reason the node stays as it is (shown by
 * `inspect`). The dead float nodes are removed by DCE afterwards.
 */
export type Substitution = (g: Graph, node: Node, opts: LowerOptions) => string | null;

const table = new Map<string, Substitution>();

export function registerSubstitution(op: string, fn: Substitution): void {
  if (table.has(op)) throw new Error(`substitution for ${op} registered twice`);
  table.set(op, fn);
}

export function substitutionFor(op: string): Substitution | undefined {
  return table.get(op);
}
