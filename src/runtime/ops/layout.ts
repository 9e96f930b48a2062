// Layout ops: dim_order_ops._clone_dim_order (a physical reorder between the
// input's and the output's dim orders) and aten.view_copy (nothing when the
// planner aliased it onto its input; else physical → logical → reshape →
// physical in one planned move).
import type { Node, Value } from "../../ir/graph.js";
import { layoutOf, type PrepareContext, type PrepareFn, type Step } from "../context.js";
import { copyRuns, planMoves, planRelayout, reshapeSource, type SourceOf } from "../moves.js";

/** A step copying `sources` into `out` along the logical map `sourceOf` (runs planned now). */
export function moveStep(ctx: PrepareContext, out: Value, sources: readonly Value[], sourceOf: SourceOf, fill = 0): Step | null {
  const plan = planMoves(out.type, sources.map(layoutOf), sourceOf);
  const dst = ctx.view(out);
  const srcs = sources.map((s) => ctx.view(s));
  const parts: Step[] = [];
  plan.runs.forEach((runs, i) => {
    if (runs.length > 0) parts.push(() => copyRuns(srcs[i]!, dst, runs));
  });
  const fills = plan.fills;
  if (fills.length > 0) {
    parts.push(() => {
      for (let i = 0; i < fills.length; i += 2) dst.fill(fill, fills[i]!, fills[i]! + fills[i + 1]!);
    });
  }
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return () => {
    for (const p of parts) p();
  };
}

function prepareCloneDimOrder(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const y = node.output;
  if (x.numel === 0) return null;
  const move = planRelayout(y.type, layoutOf(x));
  const src = ctx.view(x);
  const dst = ctx.view(y);
  return () => move(src, dst);
}

function prepareViewCopy(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const y = node.output;
  if (ctx.isAlias(y)) return null;
  if (x.numel !== y.numel) ctx.fail(node, `cannot view ${x.numel} elements as [${y.shape}]`);
  return moveStep(ctx, y, [x], reshapeSource(y.shape, x.shape));
}

export const layoutOps: Record<string, PrepareFn> = {
  "dim_order_ops._clone_dim_order": prepareCloneDimOrder,
  "aten.view_copy": prepareViewCopy,
  "aten.clone": prepareCloneDimOrder,
};
