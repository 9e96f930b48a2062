// Planned copies derived from an op's source map (ir/source_map.ts): the
// element-level map is walked once at prepare time into copy runs in the
// output's memory order, honouring every input's and output's dim_order;
// the step replays the runs. A map that copies its input unchanged (a
// dim-order clone) becomes a strided relayout loop instead, and a reshape
// the planner aliased onto its input costs nothing.
import { bindNode, type Binding } from "../../ir/bindings.js";
import type { Node, Value } from "../../ir/graph.js";
import { storedLayout } from "../../ir/layout.js";
import { elementSource, isIdentityMove, movesOf, type SourceMap, type SourceOf } from "../../ir/source_map.js";
import { CLONE_DIM_ORDER } from "../../ops/layout/clone_dim_order.js";
import { CLONE_OP, VIEW_COPY } from "../../ops/shape/reshape.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { copyRuns, fillRuns, planMoves, planRelayout } from "../moves.js";

/** A step copying `sources` into `out` along the logical map `sourceOf` (runs planned now). */
export function moveStep(ctx: PrepareContext, out: Value, sources: readonly Value[], sourceOf: SourceOf, fill = 0): Step | null {
  const plan = planMoves(out.type, sources.map(storedLayout), sourceOf);
  const dst = ctx.view(out);
  const srcs = sources.map((s) => ctx.view(s));
  const parts: Step[] = [];
  plan.runs.forEach((runs, i) => {
    if (runs.length > 0) parts.push(() => copyRuns(srcs[i]!, dst, runs));
  });
  const fills = plan.fills;
  if (fills.length > 0) parts.push(() => fillRuns(dst, fills, fill));
  return chain(parts);
}

function chain(parts: Step[]): Step | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return () => {
    for (const p of parts) p();
  };
}

/** The node's source maps, with a spec's complaint reported against the node. */
export function nodeMoves(node: Node, ctx: PrepareContext): SourceMap[] | null {
  try {
    return movesOf(node);
  } catch (e) {
    return ctx.fail(node, (e as Error).message);
  }
}

/** The step writing output `y` of `node` by `map`. */
function moveFor(node: Node, ctx: PrepareContext, map: SourceMap, y: Value): Step | null {
  if (map.kind === "reshape") {
    if (ctx.isAlias(y)) return null;
    const x = node.input(map.input);
    if (x.numel !== y.numel) ctx.fail(node, `cannot view ${x.numel} elements as [${y.shape}]`);
  } else if (isIdentityMove(map, y.shape, node.input(0).shape)) {
    const x = node.input(0);
    if (x.numel === 0) return null;
    const move = planRelayout(y.type, storedLayout(x));
    const src = ctx.view(x);
    const dst = ctx.view(y);
    return () => move(src, dst);
  }
  const inputs = node.inputs.map((v) => v!);
  const fill = map.kind === "gather" ? map.fill : 0;
  return moveStep(ctx, y, inputs, elementSource(map, y.shape, inputs.map((v) => v.shape)), fill);
}

/**
 * The runtime of every data-movement op whose C is a gather: one planned
 * move per output, derived from the op's source map. `fallback` runs an op
 * whose map needs run-time values (a gather with computed indices).
 */
export function prepareMoves(fallback: PrepareFn): PrepareFn {
  return (node, ctx) => {
    const maps = nodeMoves(node, ctx);
    if (!maps) return fallback(node, ctx);
    return chain(maps.map((m, j) => moveFor(node, ctx, m, node.outputs[j]!)).filter((s): s is Step => s !== null));
  };
}

const layoutMoves = prepareMoves((node, ctx) => ctx.fail(node, "a layout op's source map cannot need run-time values"));

export const layoutBindings: Binding<PrepareFn>[] = [
  bindNode(CLONE_DIM_ORDER, layoutMoves),
  bindNode(VIEW_COPY, layoutMoves),
  bindNode(CLONE_OP, layoutMoves),
];
