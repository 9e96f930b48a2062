// If. A condition that folds to a constant (sample-rate switches, "is this dim 1"
// checks in exported models) imports the taken branch in place. A run-time
// condition imports both branches and selects each output with aten.where: a
// static graph computes both, which is exact as long as each output pair has one
// shape (and element type); otherwise the If cannot be compiled to a static graph.
import { fmt } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { Converter } from "./types.js";
import { checkSupportedBranch } from "../unsupported.js";
import { WHERE } from "../../../ops/elementwise/logical.js";

const ifNode: Converter = (ctx, n) => {
  const cond = ctx.need(n, 0, "cond");
  if (cond.numel !== 1) throw new ImportIssue(`condition '${cond.name}' has ${cond.numel} elements, expected one`);
  const branch = (name: string) => {
    const body = n.graph(name);
    if (!body) throw new ImportIssue(`missing ${name}`);
    checkSupportedBranch(body, name);
    const outs = ctx.inlineGraph(ctx, body);
    if (outs.length !== n.outputs.length) throw new ImportIssue(`${name} has ${outs.length} outputs, the node ${n.outputs.length}`);
    return outs;
  };
  if (cond.isConst()) return branch(cond.data![0] !== 0 ? "then_branch" : "else_branch");
  const thenOuts = branch("then_branch");
  const elseOuts = branch("else_branch");
  return thenOuts.map((t, i) => {
    const e = elseOuts[i]!;
    const same = t.dtype === e.dtype && t.rank === e.rank && t.shape.every((d, k) => d === e.shape[k]);
    if (!same) {
      throw new ImportIssue(`condition '${cond.name}' is computed at run time and output ${i} differs between the branches `
        + `(then ${t.dtype}${fmt(t.shape)}, else ${e.dtype}${fmt(e.shape)}); a static graph can only select between outputs of one shape`);
    }
    if (t === e) return t;
    return ctx.emit1(WHERE.name, [cond, t, e]);
  });
};

export const CONTROL_CONVERTERS: Record<string, Converter> = { If: ifNode };

/** If inlines branches: the ops their nodes emit are checked against their own converters (and the If adds aten.where). */
export const CONTROL_EMITS = null;
