// If whose condition folds to a constant (sample-rate switches, "is this dim 1"
// checks in exported models): the taken branch is imported in place. A run-time
// condition cannot be compiled to a static graph.
import { ImportIssue } from "../issue.js";
import type { Converter } from "./types.js";

const ifNode: Converter = (ctx, n) => {
  const cond = ctx.need(n, 0, "cond");
  if (!cond.isConst()) throw new ImportIssue(`condition '${cond.name}' is computed at run time; only an If whose condition folds to a constant can be imported (bind the inputs it depends on)`);
  if (cond.numel !== 1) throw new ImportIssue(`condition '${cond.name}' has ${cond.numel} elements, expected one`);
  const branchName = cond.data![0] !== 0 ? "then_branch" : "else_branch";
  const body = n.graph(branchName);
  if (!body) throw new ImportIssue(`missing ${branchName}`);
  const outs = ctx.inlineGraph(ctx, body);
  if (outs.length !== n.outputs.length) throw new ImportIssue(`${branchName} has ${outs.length} outputs, the node ${n.outputs.length}`);
  return outs;
};

const loop: Converter = () => {
  throw new ImportIssue("Loop is not supported (a static graph cannot hold a data-dependent loop)");
};

export const CONTROL_CONVERTERS: Record<string, Converter> = { If: ifNode, Loop: loop };

/** If inlines a branch: the ops its nodes emit are checked against their own converters. */
export const CONTROL_EMITS = null;
