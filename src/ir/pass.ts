import type { Graph } from "./graph.js";
import { verifyGraph } from "./verify.js";
import { IRError } from "./errors.js";

/**
 * One pass contract for the whole project (torch.fx PassResult style): a pass
 * rewrites the graph in place and says whether it changed anything.
 */
export interface Pass<O = unknown> {
  name: string;
  run(g: Graph, options: O): { changed: boolean };
}

/**
 * Run passes in order, verifying the graph after each. A verifier failure names
 * the pass that broke the graph and the passes that ran before it.
 */
export function runPipeline<O>(g: Graph, passes: readonly Pass<O>[], options: O, onPass?: (name: string, g: Graph) => void): Graph {
  const done: string[] = [];
  for (const p of passes) {
    p.run(g, options);
    try {
      verifyGraph(g, p.name);
    } catch (e) {
      throw new IRError(`${(e as Error).message} (after pass ${p.name}; earlier: ${done.join(", ") || "none"})`);
    }
    done.push(p.name);
    onPass?.(p.name, g);
  }
  return g;
}
