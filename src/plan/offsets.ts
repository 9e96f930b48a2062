// Offset assignment in one static arena, ignorant of ops (TFLM's
// MicroMemoryPlanner shape: a buffer is a size plus the inclusive range of
// schedule steps it is live). Two buffers whose lifetimes overlap must get
// disjoint byte ranges; the goal is the smallest arena.
//
// Every buffer occupies its size rounded up to its alignment (default 16:
// CMSIS-NN's MVE kernels prefer 16-byte aligned operands, and one rule for all
// buffers keeps the arena bound argument simple — see lower_bound.ts). Offsets
// are multiples of the buffer's alignment.
import { IRError } from "../ir/errors.js";
import { mulberry32 } from "../ir/prng.js";
import { alignOf, alignUp, footprint, lifetimesOverlap, type Buffer } from "./buffer.js";
import { lowerBound } from "./lower_bound.js";

export { DEFAULT_ALIGN, type Buffer } from "./buffer.js";

export interface OffsetPlan {
  offsets: Map<number, number>;
  /** max(offset + footprint) over all buffers. */
  arenaBytes: number;
}

export interface AlgorithmResult {
  name: string;
  arenaBytes: number;
  plan: OffsetPlan;
  /** exactSearch only: the search finished, so the plan is optimal. */
  optimal?: boolean;
  /** exactSearch only: skipped (too many buffers); plan is then the incumbent it was given. */
  skipped?: boolean;
}

function checkBuffers(buffers: readonly Buffer[]): void {
  const ids = new Set<number>();
  for (const b of buffers) {
    if (ids.has(b.id)) throw new IRError(`memory planner: buffer id ${b.id} given twice`);
    ids.add(b.id);
    if (!Number.isInteger(b.size) || b.size < 0) throw new IRError(`memory planner: buffer ${b.id} has size ${b.size}`);
    if (!Number.isInteger(b.first) || !Number.isInteger(b.last) || b.first > b.last) {
      throw new IRError(`memory planner: buffer ${b.id} has lifetime [${b.first}, ${b.last}]`);
    }
    const a = alignOf(b);
    if (!Number.isInteger(a) || a < 1) throw new IRError(`memory planner: buffer ${b.id} has alignment ${a}`);
  }
}

/**
 * Lowest aligned offset ≥ 0 where `b` fits between the already placed,
 * time-overlapping ranges `taken` (sorted by start). `bestGap` picks the
 * smallest gap that holds b instead of the lowest; above the top is the
 * fallback either way.
 */
function chooseOffset(b: Buffer, taken: readonly [number, number][], bestGap: boolean): number {
  const need = footprint(b);
  const a = alignOf(b);
  if (need === 0) return 0;
  let cursor = 0;
  let best = -1;
  let bestSlack = Infinity;
  for (const [start, end] of taken) {
    const at = alignUp(cursor, a);
    if (at + need <= start) {
      if (!bestGap) return at;
      const slack = start - (at + need);
      if (slack < bestSlack) {
        bestSlack = slack;
        best = at;
      }
    }
    cursor = Math.max(cursor, end);
  }
  if (best >= 0) return best;
  return alignUp(cursor, a);
}

/** Place buffers one at a time in `order`, each at the lowest (or best-fitting) gap. */
export function placeInOrder(order: readonly Buffer[], bestGap = false): OffsetPlan {
  const offsets = new Map<number, number>();
  const placed: Buffer[] = [];
  let arena = 0;
  for (const b of order) {
    const taken: [number, number][] = [];
    for (const p of placed) {
      if (footprint(p) > 0 && lifetimesOverlap(p, b)) {
        const o = offsets.get(p.id)!;
        taken.push([o, o + footprint(p)]);
      }
    }
    taken.sort((x, y) => x[0] - y[0]);
    const off = chooseOffset(b, taken, bestGap);
    offsets.set(b.id, off);
    placed.push(b);
    arena = Math.max(arena, off + footprint(b));
  }
  return { offsets, arenaBytes: arena };
}

/** Ties broken by lifetime start then id so every algorithm is deterministic. */
function byStartThenId(a: Buffer, b: Buffer): number {
  return a.first - b.first || a.id - b.id;
}

/** TFLM's GreedyMemoryPlanner: largest first, each at the lowest offset that fits. */
export function greedyBySize(buffers: readonly Buffer[]): OffsetPlan {
  checkBuffers(buffers);
  const order = [...buffers].sort((a, b) => footprint(b) - footprint(a) || byStartThenId(a, b));
  return placeInOrder(order, false);
}

/**
 * Orderings bestFit tries. Each is a reasonable guess at "hard buffers first";
 * none dominates, so all are tried and the smallest arena is kept.
 */
function candidateOrders(buffers: readonly Buffer[]): Buffer[][] {
  const size = (b: Buffer) => footprint(b);
  const len = (b: Buffer) => b.last - b.first + 1;
  const orders: Buffer[][] = [
    [...buffers].sort((a, b) => size(b) - size(a) || byStartThenId(a, b)),
    [...buffers].sort((a, b) => a.first - b.first || size(b) - size(a) || a.id - b.id),
    [...buffers].sort((a, b) => size(b) * len(b) - size(a) * len(a) || byStartThenId(a, b)),
    [...buffers].sort((a, b) => len(b) - len(a) || size(b) - size(a) || a.id - b.id),
    byBreadth(buffers),
  ];
  return orders;
}

/**
 * "Greedy by breadth" (TFLite GPU's memory manager): visit steps from the one
 * with the most live bytes down, and at each step place its not yet placed
 * buffers largest first. The crowded steps decide the arena, so they go first.
 */
function byBreadth(buffers: readonly Buffer[]): Buffer[] {
  if (buffers.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of buffers) {
    lo = Math.min(lo, b.first);
    hi = Math.max(hi, b.last);
  }
  const steps: { t: number; bytes: number; live: Buffer[] }[] = [];
  for (let t = lo; t <= hi; t++) steps.push({ t, bytes: 0, live: [] });
  for (const b of buffers) {
    for (let t = b.first; t <= b.last; t++) {
      const s = steps[t - lo]!;
      s.bytes += footprint(b);
      s.live.push(b);
    }
  }
  steps.sort((a, b) => b.bytes - a.bytes || a.t - b.t);
  const seen = new Set<number>();
  const out: Buffer[] = [];
  for (const s of steps) {
    const live = [...s.live].sort((a, b) => footprint(b) - footprint(a) || byStartThenId(a, b));
    for (const b of live) {
      if (!seen.has(b.id)) {
        seen.add(b.id);
        out.push(b);
      }
    }
  }
  return out;
}

export interface BestFitOptions {
  /** Extra orderings tried by perturbing the best one so far (seeded, deterministic). Default: a work budget. */
  perturbations?: number;
  /** Stop as soon as an arena this small is reached (default: the lower bound). */
  target?: number;
}

/**
 * Several orderings × {first gap, best-fitting gap}, then a seeded local
 * search over the best ordering (swap two nearby buffers or move one earlier;
 * keep the change if the arena does not grow), until the target is reached.
 */
export function bestFit(buffers: readonly Buffer[], opts: BestFitOptions = {}): OffsetPlan {
  checkBuffers(buffers);
  const target = opts.target ?? lowerBound(buffers).bytes;
  let best: OffsetPlan | null = null;
  let bestOrder: Buffer[] = [];
  let bestGap = true;
  for (const order of candidateOrders(buffers)) {
    for (const gap of [true, false]) {
      const p = placeInOrder(order, gap);
      if (!best || p.arenaBytes < best.arenaBytes) {
        best = p;
        bestOrder = order;
        bestGap = gap;
      }
      if (best.arenaBytes <= target) return best;
    }
  }
  if (!best) return { offsets: new Map(), arenaBytes: 0 };
  // Work budget in buffer-pair checks (one placement is ~n² of them), so small
  // graphs get thousands of tries and big ones a few hundred; deterministic.
  const n = buffers.length;
  const tries = opts.perturbations ?? Math.min(5000, Math.floor(5e7 / Math.max(1, n * n)));
  const rand = mulberry32(0x5eed + n);
  for (let i = 0; i < tries && n > 1 && best.arenaBytes > target; i++) {
    const order = [...bestOrder];
    const x = Math.floor(rand() * n);
    if (rand() < 0.5) {
      // Swap with a buffer a few places away.
      const span = 1 + Math.floor(rand() * Math.min(8, n - 1));
      const y = Math.min(n - 1, Math.max(0, x + (rand() < 0.5 ? -span : span)));
      [order[x], order[y]] = [order[y]!, order[x]!];
    } else {
      // Move one buffer earlier: it gets first pick of the low offsets.
      const y = Math.floor(rand() * (x + 1));
      const [b] = order.splice(x, 1);
      order.splice(y, 0, b!);
    }
    const p = placeInOrder(order, bestGap);
    if (p.arenaBytes <= best.arenaBytes) {
      best = p;
      bestOrder = order;
    }
  }
  return best;
}

export interface ExactOptions {
  /** Skip (return null) above this many buffers with nonzero size. Default 12. */
  maxBuffers?: number;
  /** Search nodes before giving up (the result is then not proven optimal). Default 100 000. */
  nodeBudget?: number;
  /** Known arena bytes (e.g. from a heuristic); the search only looks for better. */
  incumbent?: OffsetPlan;
  /** Stop as soon as an arena this small is found (e.g. the lower bound). */
  lowerBound?: number;
}

/**
 * Branch and bound over placement orders, each buffer at the lowest offset
 * that fits. This is exact: take an optimal packing and place its buffers in
 * order of their offsets; by induction each lands at or below its optimal
 * offset (a buffer placed earlier only moved down, so it cannot block the
 * optimal spot), so some order reproduces an arena ≤ the optimum.
 * Returns null when skipped (too many buffers).
 */
export function exactSearch(buffers: readonly Buffer[], opts: ExactOptions = {}): { plan: OffsetPlan; optimal: boolean } | null {
  checkBuffers(buffers);
  const real = buffers.filter((b) => footprint(b) > 0);
  const zero = buffers.filter((b) => footprint(b) === 0);
  if (real.length > (opts.maxBuffers ?? 12)) return null;
  let budget = opts.nodeBudget ?? 100_000;
  const floor = opts.lowerBound ?? 0;
  // Nothing can beat a plan that already meets the lower bound.
  if (opts.incumbent && opts.incumbent.arenaBytes <= floor) return { plan: opts.incumbent, optimal: true };
  const n = real.length;
  const conflicts: number[][] = real.map((b) => real.flatMap((o, j) => (o !== b && lifetimesOverlap(o, b) ? [j] : [])));
  const offs = new Array<number>(n).fill(-1);
  let bestArena = opts.incumbent ? opts.incumbent.arenaBytes : Infinity;
  let bestOffs: number[] | null = null;
  let exhausted = false;

  const lowestFit = (i: number): number => {
    const taken: [number, number][] = [];
    for (const j of conflicts[i]!) if (offs[j]! >= 0) taken.push([offs[j]!, offs[j]! + footprint(real[j]!)]);
    taken.sort((x, y) => x[0] - y[0]);
    return chooseOffset(real[i]!, taken, false);
  };

  // Different orders often reach the same partial placement; expand each once.
  const seen = new Set<string>();
  const dfs = (placed: number, top: number): boolean => {
    if (budget-- <= 0) {
      exhausted = true;
      return true;
    }
    const key = offs.join(",");
    if (seen.has(key)) return false;
    seen.add(key);
    if (placed === n) {
      if (top < bestArena) {
        bestArena = top;
        bestOffs = [...offs];
      }
      return bestArena <= floor;
    }
    // Try lower placements first: they are likelier to lead to small arenas.
    const cands: [number, number][] = [];
    for (let i = 0; i < n; i++) if (offs[i]! < 0) cands.push([i, lowestFit(i)]);
    cands.sort((x, y) => x[1] - y[1] || footprint(real[y[0]]!) - footprint(real[x[0]]!));
    for (const [i, off] of cands) {
      const end = Math.max(top, off + footprint(real[i]!));
      if (end >= bestArena) continue;
      offs[i] = off;
      const stop = dfs(placed + 1, end);
      offs[i] = -1;
      if (stop) return true;
    }
    return false;
  };
  dfs(0, 0);

  if (!bestOffs) {
    // Nothing beat the incumbent: it is optimal (unless the budget ran out
    // first; without an incumbent that can only happen with a tiny budget).
    return { plan: opts.incumbent ?? greedyBySize(buffers), optimal: !exhausted };
  }
  const offsets = new Map<number, number>();
  real.forEach((b, i) => offsets.set(b.id, bestOffs![i]!));
  for (const b of zero) offsets.set(b.id, 0);
  return { plan: { offsets, arenaBytes: bestArena }, optimal: !exhausted || bestArena <= floor };
}

export interface PlanOffsetsResult {
  best: AlgorithmResult;
  results: AlgorithmResult[];
}

/**
 * Run every algorithm and keep the smallest arena. The searches stop early
 * once they reach the lower bound (computed here unless given).
 */
export function planOffsets(buffers: readonly Buffer[], opts: { lowerBound?: number; exact?: ExactOptions } = {}): PlanOffsetsResult {
  checkBuffers(buffers);
  const bound = opts.lowerBound ?? lowerBound(buffers).bytes;
  const results: AlgorithmResult[] = [];
  const g = greedyBySize(buffers);
  results.push({ name: "greedy_by_size", arenaBytes: g.arenaBytes, plan: g });
  const bf = bestFit(buffers, { target: bound });
  results.push({ name: "best_fit", arenaBytes: bf.arenaBytes, plan: bf });
  const incumbent = bf.arenaBytes < g.arenaBytes ? bf : g;
  const ex = exactSearch(buffers, { ...opts.exact, incumbent, lowerBound: bound });
  if (ex) results.push({ name: "exact", arenaBytes: ex.plan.arenaBytes, plan: ex.plan, optimal: ex.optimal });
  else results.push({ name: "exact", arenaBytes: incumbent.arenaBytes, plan: incumbent, skipped: true });
  let best = results[0]!;
  for (const r of results) if (r.arenaBytes < best.arenaBytes) best = r;
  for (const r of results) validatePlan(buffers, r.plan);
  return { best, results };
}

/**
 * Brute-force check of a plan: every buffer has an aligned offset, lies inside
 * the arena, and any two buffers whose lifetimes overlap have disjoint byte
 * ranges. O(n²); cheap for the graphs we plan, so it always runs.
 * Throws an IRError naming the first violation.
 */
export function validatePlan(buffers: readonly Buffer[], plan: OffsetPlan): void {
  let top = 0;
  for (const b of buffers) {
    const o = plan.offsets.get(b.id);
    if (o === undefined) throw new IRError(`memory plan: buffer ${b.id} has no offset`);
    if (!Number.isInteger(o) || o < 0 || o % alignOf(b) !== 0) throw new IRError(`memory plan: buffer ${b.id} offset ${o} is not ${alignOf(b)}-aligned`);
    if (o + footprint(b) > plan.arenaBytes) throw new IRError(`memory plan: buffer ${b.id} [${o}, ${o + footprint(b)}) exceeds arena ${plan.arenaBytes}`);
    top = Math.max(top, o + footprint(b));
  }
  if (top !== plan.arenaBytes) throw new IRError(`memory plan: arena is ${plan.arenaBytes} bytes but buffers reach ${top}`);
  for (let i = 0; i < buffers.length; i++) {
    const a = buffers[i]!;
    const fa = footprint(a);
    if (fa === 0) continue;
    const oa = plan.offsets.get(a.id)!;
    for (let j = i + 1; j < buffers.length; j++) {
      const b = buffers[j]!;
      const fb = footprint(b);
      if (fb === 0 || !lifetimesOverlap(a, b)) continue;
      const ob = plan.offsets.get(b.id)!;
      if (oa < ob + fb && ob < oa + fa) {
        throw new IRError(
          `memory plan: buffers ${a.id} [${oa}, ${oa + fa}) steps ${a.first}..${a.last} and ${b.id} [${ob}, ${ob + fb}) steps ${b.first}..${b.last} overlap`,
        );
      }
    }
  }
}
