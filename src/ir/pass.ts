import type { Graph } from "./graph.js";
import { verifyGraph } from "./verify.js";
import { IRError } from "./errors.js";

/**
 * One pass contract for the whole project (torch.fx PassResult style): a pass
 * rewrites the graph in place and says whether it changed anything. `changed`
 * must be honest — true iff the graph differs afterwards — because the group
 * runner below stops on it.
 */
export interface Pass<O = unknown> {
  name: string;
  run(g: Graph, options: O): { changed: boolean };
}

/**
 * Passes that feed each other (one exposes what the other removes), run as a
 * unit to a fixpoint: the whole list is repeated, in order, until a round in
 * which no pass changed the graph. Named so a failure says which group.
 */
export interface PassGroup<O = unknown> {
  group: string;
  passes: readonly Pass<O>[];
  /** Rounds allowed before the group is taken to oscillate (each round runs every pass once). */
  maxRounds: number;
}

/** A pipeline step: a pass run once, or a group run to its fixpoint. */
export type PipelineStep<O = unknown> = Pass<O> | PassGroup<O>;

/**
 * Every rewrite in a clean-up group removes or shortens a layout chain, so a
 * handful of rounds reaches the fixpoint; this cap only catches a pair of
 * passes that undo each other forever.
 */
const DEFAULT_MAX_ROUNDS = 16;

export function fixpoint<O>(group: string, passes: readonly Pass<O>[], maxRounds = DEFAULT_MAX_ROUNDS): PassGroup<O> {
  if (passes.length === 0) throw new IRError(`pass group ${group} has no passes`);
  if (!Number.isInteger(maxRounds) || maxRounds < 1) throw new IRError(`pass group ${group}: maxRounds must be a positive integer, got ${maxRounds}`);
  return { group, passes, maxRounds };
}

function isGroup<O>(s: PipelineStep<O>): s is PassGroup<O> {
  return "group" in s;
}

/**
 * Run the steps in order, verifying the graph after every pass run. A verifier
 * failure names the pass that broke the graph (with its group and round when
 * it ran in one) and the passes that ran before it; a group still changing the
 * graph after `maxRounds` rounds throws an IRError naming the group.
 */
export function runPipeline<O>(g: Graph, steps: readonly PipelineStep<O>[], options: O, onPass?: (name: string, g: Graph) => void): Graph {
  const done: string[] = [];
  const runOne = (p: Pass<O>, where: string): boolean => {
    const { changed } = p.run(g, options);
    try {
      verifyGraph(g, p.name);
    } catch (e) {
      throw new IRError(`${(e as Error).message} (after pass ${p.name}${where}; earlier: ${done.join(", ") || "none"})`);
    }
    done.push(p.name);
    onPass?.(p.name, g);
    return changed;
  };
  for (const step of steps) {
    if (!isGroup(step)) {
      runOne(step, "");
      continue;
    }
    let converged = false;
    let stillChanging: string[] = [];
    for (let round = 1; round <= step.maxRounds && !converged; round++) {
      stillChanging = step.passes.filter((p) => runOne(p, ` in group ${step.group}, round ${round}`)).map((p) => p.name);
      converged = stillChanging.length === 0;
    }
    if (!converged) {
      throw new IRError(`pass group ${step.group} did not reach a fixpoint in ${step.maxRounds} rounds (still changing: ${stillChanging.join(", ")})`);
    }
  }
  return g;
}
