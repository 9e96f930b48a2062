// Schedule order for graphs with branches: the order decides which values are
// live together, so a different topological order can lower the peak (e.g.
// finish one branch of a diamond before starting the other). A few cheap
// heuristics each propose an order; the one with the lowest peak live bytes
// (the lower bound the arena is planned against) wins, and the graph's own
// order is kept unless another is strictly better.
//
// Nodes that read only constants (cortex_m.scratch, anything folded-looking)
// are not scheduled on their own: they are emitted immediately before the
// first node that reads them, which is where the lowering put them.
import { IRError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { graphBuffers, SCRATCH_OP, valueBytes } from "./lifetimes.js";
import { lowerBound } from "./lower_bound.js";

/** Peak live bytes (the planner's lower bound) of `order`. */
export function schedulePeak(g: Graph, order: readonly Node[]): number {
  return lowerBound(graphBuffers(g, order).buffers).bytes;
}

/** Reads no value that a node or the caller provides: pinned right before its reader. */
function isAttached(n: Node): boolean {
  return n.inputs.every((v) => !v || v.isConst());
}

/** Non-constant inputs of n produced by a scheduled (non-attached) node. */
function dataProducers(n: Node): Node[] {
  const out: Node[] = [];
  for (const v of n.inputs) {
    const p = v?.producer;
    if (p && !isAttached(p) && !out.includes(p)) out.push(p);
  }
  return out;
}

function attachedProducers(n: Node): Node[] {
  const out: Node[] = [];
  for (const v of n.inputs) {
    const p = v?.producer;
    if (p && isAttached(p) && !out.includes(p)) out.push(p);
  }
  return out;
}

/** Builds an order: emitting a node first emits its pending attached producers. */
class OrderBuilder {
  readonly order: Node[] = [];
  readonly done = new Set<Node>();
  emit(n: Node): void {
    for (const p of attachedProducers(n)) {
      if (!this.done.has(p)) {
        this.done.add(p);
        this.order.push(p);
      }
    }
    this.done.add(n);
    this.order.push(n);
  }
  /** Attached nodes nobody read (e.g. a constant-only node producing a graph output) go last. */
  finish(all: readonly Node[]): Node[] {
    for (const n of all) if (!this.done.has(n)) this.emit(n);
    return this.order;
  }
}

/** Distinct nodes reading any output of n. */
function readersOf(n: Node): Node[] {
  const out: Node[] = [];
  for (const o of n.outputs) for (const r of o.users()) if (!out.includes(r)) out.push(r);
  return out;
}

/** Distinct non-constant inputs. */
function dataInputs(n: Node): Value[] {
  const out: Value[] = [];
  for (const v of n.inputs) if (v && !v.isConst() && !out.includes(v)) out.push(v);
  return out;
}

/**
 * List scheduling: repeatedly run a ready node, choosing by `pick` among the
 * ready ones. Memory effect of a node = bytes it allocates minus bytes of
 * inputs it is the last reader of (approximate: ignores aliasing).
 */
function listSchedule(g: Graph, prefer: "net" | "recent"): Node[] {
  const nodes = g.nodes.filter((n) => !isAttached(n));
  const index = new Map(g.nodes.map((n, i) => [n, i]));
  const outputs = new Set(g.outputs);
  const pendingReaders = new Map<Value, number>();
  for (const n of g.nodes) for (const v of dataInputs(n)) pendingReaders.set(v, (pendingReaders.get(v) ?? 0) + 1);
  const waiting = new Map<Node, number>(nodes.map((n) => [n, dataProducers(n).length]));
  const ready: Node[] = nodes.filter((n) => waiting.get(n) === 0);
  const b = new OrderBuilder();
  const lastProduced = new Map<Value, number>();
  let clock = 0;

  const net = (n: Node): number => {
    let d = 0;
    for (const o of n.outputs) d += valueBytes(o);
    for (const v of dataInputs(n)) if (pendingReaders.get(v) === 1 && !outputs.has(v) && v.producer && !isAttached(v.producer)) d -= valueBytes(v);
    return d;
  };
  const recency = (n: Node): number => Math.max(-1, ...dataInputs(n).map((v) => lastProduced.get(v) ?? -1));

  while (ready.length > 0) {
    let bestI = 0;
    for (let i = 1; i < ready.length; i++) {
      const a = ready[i]!;
      const c = ready[bestI]!;
      let better: boolean;
      if (prefer === "recent") {
        const ra = recency(a);
        const rc = recency(c);
        better = ra !== rc ? ra > rc : net(a) !== net(c) ? net(a) < net(c) : index.get(a)! < index.get(c)!;
      } else {
        const na = net(a);
        const nc = net(c);
        better = na !== nc ? na < nc : index.get(a)! < index.get(c)!;
      }
      if (better) bestI = i;
    }
    const n = ready.splice(bestI, 1)[0]!;
    b.emit(n);
    for (const v of dataInputs(n)) pendingReaders.set(v, pendingReaders.get(v)! - 1);
    for (const o of n.outputs) lastProduced.set(o, clock++);
    // `waiting` counts distinct producer nodes, so a reader of several outputs
    // of n (e.g. a Concat of two Split halves) is released once, not per output.
    for (const r of readersOf(n)) {
      if (isAttached(r) || !waiting.has(r)) continue;
      const w = waiting.get(r)! - 1;
      waiting.set(r, w);
      if (w === 0) ready.push(r);
    }
  }
  return b.finish(g.nodes);
}

/**
 * Depth-first from the graph outputs: a node's producers are finished one
 * branch at a time before it runs. `childOrder` orders a node's producers.
 */
function dfsSchedule(g: Graph, childOrder: (n: Node, producers: Node[]) => Node[]): Node[] {
  const b = new OrderBuilder();
  const onStack = new Set<Node>();
  const visit = (n: Node): void => {
    if (b.done.has(n)) return;
    if (onStack.has(n)) throw new IRError(`schedule: cycle through ${n.name}`);
    onStack.add(n);
    for (const p of childOrder(n, dataProducers(n))) visit(p);
    onStack.delete(n);
    b.emit(n);
  };
  for (const o of g.outputs) if (o.producer && !isAttached(o.producer)) visit(o.producer);
  for (const n of g.nodes) if (!isAttached(n)) visit(n);
  return b.finish(g.nodes);
}

/**
 * Sethi–Ullman style need: bytes to compute a node's cone when its producers
 * run one after the other, the neediest first (exact for trees, a guess for DAGs).
 */
function needOrder(): (n: Node, producers: Node[]) => Node[] {
  const need = new Map<Node, number>();
  const out = (n: Node): number => n.outputs.reduce((s, o) => s + valueBytes(o), 0);
  const ordered = (ps: Node[]): Node[] => [...ps].sort((a, b) => needOf(b) - out(b) - (needOf(a) - out(a)));
  const needOf = (n: Node): number => {
    const known = need.get(n);
    if (known !== undefined) return known;
    need.set(n, out(n)); // breaks any revisit while computing
    let held = 0;
    let peak = 0;
    for (const p of ordered(dataProducers(n))) {
      peak = Math.max(peak, held + needOf(p));
      held += out(p);
    }
    const v = Math.max(peak, held + out(n));
    need.set(n, v);
    return v;
  };
  return (_n, ps) => ordered(ps);
}

export interface ScheduleChoice {
  order: Node[];
  /** Name of the heuristic that produced `order` ("given" = the graph's own order). */
  heuristic: string;
  peakBytes: number;
  givenPeakBytes: number;
  candidates: { name: string; peakBytes: number }[];
}

/** Try each heuristic and return the order with the lowest peak (the given order on ties). */
export function chooseSchedule(g: Graph): ScheduleChoice {
  const proposals: [string, () => Node[]][] = [
    ["given", () => [...g.nodes]],
    ["greedy_net", () => listSchedule(g, "net")],
    ["greedy_recent", () => listSchedule(g, "recent")],
    ["dfs", () => dfsSchedule(g, (_n, ps) => ps)],
    ["dfs_reversed", () => dfsSchedule(g, (_n, ps) => [...ps].reverse())],
    ["dfs_need", () => dfsSchedule(g, needOrder())],
  ];
  const candidates: { name: string; peakBytes: number }[] = [];
  let best: { name: string; order: Node[]; peak: number } | null = null;
  for (const [name, make] of proposals) {
    const order = make();
    const problem = scheduleProblem(g, order);
    if (problem && name === "given") throw new IRError(`memory plan: the graph's node order is not a valid schedule: ${problem}`);
    if (problem) throw new IRError(`schedule heuristic ${name} produced an invalid order: ${problem}`);
    const peak = schedulePeak(g, order);
    candidates.push({ name, peakBytes: peak });
    if (!best || peak < best.peak) best = { name, order, peak };
  }
  return { order: best!.order, heuristic: best!.name, peakBytes: best!.peak, givenPeakBytes: candidates[0]!.peakBytes, candidates };
}

/**
 * Why `order` is not a valid schedule of g, or null: it must hold every node
 * once, be topological, and put each cortex_m.scratch node right before a
 * node that reads it.
 */
export function scheduleProblem(g: Graph, order: readonly Node[]): string | null {
  if (order.length !== g.nodes.length) return `${order.length} nodes scheduled, graph has ${g.nodes.length}`;
  const pos = new Map<Node, number>();
  order.forEach((n, i) => pos.set(n, i));
  for (const n of g.nodes) if (!pos.has(n)) return `node ${n.name} is missing`;
  for (const [i, n] of order.entries()) {
    for (const v of n.inputs) {
      const p = v?.producer;
      if (p && pos.get(p)! >= i) return `${n.name} runs before its producer ${p.name}`;
    }
    if (n.op === SCRATCH_OP && n.outputs.some((o) => o.uses.length > 0)) {
      // Several scratch nodes for one op sit back to back before it.
      let j = i + 1;
      while (order[j]?.op === SCRATCH_OP) j++;
      const reader = order[j];
      if (!reader || !n.outputs.some((o) => o.uses.some((u) => u.node === reader))) {
        return `scratch ${n.name} is not immediately before its reader`;
      }
    }
  }
  return null;
}
