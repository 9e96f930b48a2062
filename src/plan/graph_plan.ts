// Static memory plan of a (lowered) graph: one arena holds every activation,
// graph input/output and scratch buffer; constants live elsewhere (flash).
// Steps: optionally pick a schedule order with a lower peak, derive lifetimes
// and storage sharing (lifetimes.ts), run every offset algorithm and keep the
// smallest arena, then check the chosen plan by brute force.
import { IRError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { graphBuffers, isScratchValue, valueBytes } from "./lifetimes.js";
import { lowerBound } from "./lower_bound.js";
import { DEFAULT_ALIGN, planOffsets, validatePlan } from "./offsets.js";
import { chooseSchedule, type ScheduleChoice } from "./schedule.js";

export interface MemoryPlan {
  /** Bytes of the activation arena (every buffer's footprint is 16-byte aligned). */
  arenaBytes: number;
  /** Peak live bytes of the schedule (lower_bound.ts); arenaBytes ≥ this. */
  lowerBoundBytes: number;
  /** Schedule step where the lower bound is reached. */
  lowerBoundStep: number;
  /** Sum of the bytes of all constants (weights, biases, LUTs...), not in the arena. */
  weightsBytes: number;
  /** The largest single scratch buffer, and all scratch buffers added up. */
  largestScratchBytes: number;
  totalScratchBytes: number;
  /** Arena offset of every non-constant value (inputs, outputs, activations, scratch). */
  offsets: Map<Value, number>;
  /** view_copy output → its input, whose storage it shares (no copy at run time). */
  aliases: Map<Value, Value>;
  /** Nodes whose output is written over one of their inputs. */
  inPlace: Set<Node>;
  /** Arena bytes of each offset algorithm; `chosen` names the one used. */
  algorithms: { name: string; arenaBytes: number; optimal?: boolean; skipped?: boolean }[];
  chosen: string;
  /** Node order the plan is for (the graph's order after planGraph). */
  order: Node[];
  /** Set when planGraph changed the graph's node order to lower the peak. */
  reorder?: ScheduleChoice;
  alignment: number;
}

export interface PlanOptions {
  /** Reorder the graph's nodes when that lowers the peak (default true). Mutates g.nodes. */
  reorder?: boolean;
  /** Share storage for byte-preserving view_copy ops (default true). */
  alias?: boolean;
  /** Run eligible elementwise ops in place (default true). */
  inPlace?: boolean;
}

/**
 * Plan the arena for g. With `reorder` (default), g.nodes is replaced by a
 * lower-peak topological order when one is found, so code generated from g
 * afterwards matches the plan.
 */
export function planGraph(g: Graph, opts: PlanOptions = {}): MemoryPlan {
  let reorder: ScheduleChoice | undefined;
  if (opts.reorder !== false) {
    const choice = chooseSchedule(g);
    if (choice.heuristic !== "given") {
      g.nodes = choice.order;
      reorder = choice;
    }
  }
  const order = [...g.nodes];
  const gb = graphBuffers(g, order, { alias: opts.alias, inPlace: opts.inPlace });
  const lb = lowerBound(gb.buffers);
  const { best, results } = planOffsets(gb.buffers, { lowerBound: lb.bytes });
  // Always-on brute-force check of the plan that will be used.
  validatePlan(gb.buffers, best.plan);
  if (best.arenaBytes < lb.bytes) throw new IRError(`memory plan: arena ${best.arenaBytes} below the lower bound ${lb.bytes}`);

  const offsets = new Map<Value, number>();
  for (const b of gb.buffers) {
    const off = best.plan.offsets.get(b.id)!;
    for (const v of b.values) offsets.set(v, off);
  }
  let weights = 0;
  for (const c of g.constants) weights += valueBytes(c);
  let largestScratch = 0;
  let totalScratch = 0;
  for (const v of offsets.keys()) {
    if (!isScratchValue(v)) continue;
    largestScratch = Math.max(largestScratch, valueBytes(v));
    totalScratch += valueBytes(v);
  }
  const plan: MemoryPlan = {
    arenaBytes: best.arenaBytes,
    lowerBoundBytes: lb.bytes,
    lowerBoundStep: lb.step,
    weightsBytes: weights,
    largestScratchBytes: largestScratch,
    totalScratchBytes: totalScratch,
    offsets,
    aliases: gb.aliases,
    inPlace: new Set(gb.inPlace.keys()),
    algorithms: results.map((r) => {
      const a: MemoryPlan["algorithms"][number] = { name: r.name, arenaBytes: r.arenaBytes };
      if (r.optimal !== undefined) a.optimal = r.optimal;
      if (r.skipped) a.skipped = true;
      return a;
    }),
    chosen: best.name,
    order,
    alignment: DEFAULT_ALIGN,
  };
  if (reorder) plan.reorder = reorder;
  return plan;
}

function kib(n: number): string {
  return n >= 1024 ? `${n} B (${(n / 1024).toFixed(1)} KiB)` : `${n} B`;
}

/** A short human-readable report of a plan. */
export function planSummary(plan: MemoryPlan): string {
  const ratio = plan.lowerBoundBytes > 0 ? plan.arenaBytes / plan.lowerBoundBytes : 1;
  const lines = [
    `arena: ${kib(plan.arenaBytes)} = ${ratio.toFixed(3)} × lower bound ${kib(plan.lowerBoundBytes)} (peak at step ${plan.lowerBoundStep}, ${plan.alignment}-byte aligned buffers)`,
    `algorithms: ${plan.algorithms
      .map((a) => `${a.name} ${a.skipped ? "skipped" : `${a.arenaBytes} B${a.optimal ? " (optimal)" : ""}`}`)
      .join(", ")}; used ${plan.chosen}`,
    `weights: ${kib(plan.weightsBytes)}; scratch: largest ${kib(plan.largestScratchBytes)}, total ${kib(plan.totalScratchBytes)}`,
    `aliased views: ${plan.aliases.size}; in-place ops: ${plan.inPlace.size}`,
  ];
  if (plan.reorder) {
    lines.push(`schedule: reordered by ${plan.reorder.heuristic}, peak ${kib(plan.reorder.givenPeakBytes)} → ${kib(plan.reorder.peakBytes)}`);
  }
  return lines.join("\n");
}
