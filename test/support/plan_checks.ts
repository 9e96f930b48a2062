// Test helpers for the planner tests: independent brute-force checks (written
// without the planner's own helpers, so a planner bug cannot hide itself) and
// small graph builders. Not used by the planner.
import assert from "node:assert/strict";
import { bytesPerElement, type DType } from "../../src/ir/dtype.js";
import { makeType, type Attrs, type Graph, type Node, type TensorType, type Value } from "../../src/ir/graph.js";
import { perTensor } from "../../src/ir/quant.js";
import { Rng } from "../../src/ir/prng.js";
import type { Buffer, OffsetPlan } from "../../src/plan/offsets.js";
import type { MemoryPlan } from "../../src/plan/graph_plan.js";

const align = (b: Buffer) => b.align ?? 16;
const roundUp = (n: number, a: number) => Math.ceil(n / a) * a;

/**
 * Brute force over steps: at every step, the live buffers' byte ranges
 * [offset, offset + size) are pairwise disjoint; offsets are aligned; all
 * buffers (footprint = size rounded up to alignment) fit in the arena.
 */
export function assertNoSharedBytes(buffers: readonly Buffer[], plan: OffsetPlan): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const b of buffers) {
    const o = plan.offsets.get(b.id);
    assert.ok(o !== undefined, `buffer ${b.id} has no offset`);
    assert.equal(o % align(b), 0, `buffer ${b.id} offset ${o} not aligned to ${align(b)}`);
    assert.ok(o >= 0 && o + roundUp(b.size, align(b)) <= plan.arenaBytes, `buffer ${b.id} outside the arena`);
    lo = Math.min(lo, b.first);
    hi = Math.max(hi, b.last);
  }
  for (let t = lo; t <= hi; t++) {
    const live = buffers.filter((b) => b.first <= t && t <= b.last && b.size > 0);
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const a = live[i]!;
        const b = live[j]!;
        const oa = plan.offsets.get(a.id)!;
        const ob = plan.offsets.get(b.id)!;
        assert.ok(oa + a.size <= ob || ob + b.size <= oa, `step ${t}: buffers ${a.id}@${oa}+${a.size} and ${b.id}@${ob}+${b.size} share bytes`);
      }
    }
  }
}

/** Max over steps of the summed footprints of live buffers (recomputed here, independently). */
export function bruteLowerBound(buffers: readonly Buffer[]): number {
  let best = 0;
  const steps = new Set<number>();
  for (const b of buffers) for (let t = b.first; t <= b.last; t++) steps.add(t);
  for (const t of steps) {
    let s = 0;
    for (const b of buffers) if (b.first <= t && t <= b.last) s += roundUp(b.size, align(b));
    best = Math.max(best, s);
  }
  return best;
}

export function randomBuffers(rng: Rng, opts: { maxBuffers: number; maxSteps: number; maxSize: number; aligns?: number[] }): Buffer[] {
  const n = 1 + Math.floor(rng.next() * opts.maxBuffers);
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const first = Math.floor(rng.next() * opts.maxSteps);
    const last = first + Math.floor(rng.next() * Math.max(1, opts.maxSteps - first));
    const size = rng.next() < 0.05 ? 0 : 1 + Math.floor(rng.next() * opts.maxSize);
    const b: Buffer = { id: i * 3 + 1, size, first, last };
    if (opts.aligns) b.align = opts.aligns[Math.floor(rng.next() * opts.aligns.length)]!;
    out.push(b);
  }
  return out;
}

// ---- graph helpers ----

export function i8(shape: number[], dimOrder?: number[]): TensorType {
  return makeType("i8", shape, dimOrder, perTensor(0.1, 0));
}

export function ty(dtype: DType, shape: number[], dimOrder?: number[]): TensorType {
  return makeType(dtype, shape, dimOrder);
}

/** Add a node with explicit output types (no shape rule needed). */
export function node(g: Graph, op: string, inputs: (Value | null)[], outs: TensorType[], attrs: Attrs = {}): Node {
  return g.addNode(op, inputs, attrs, { outputTypes: outs });
}

export function op1(g: Graph, op: string, inputs: (Value | null)[], out: TensorType, attrs: Attrs = {}): Value {
  return node(g, op, inputs, [out], attrs).output;
}

export function constant(g: Graph, name: string, dtype: DType, shape: number[]): Value {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === "i8" ? new Int8Array(n) : dtype === "i32" ? new Int32Array(n) : dtype === "u8" ? new Uint8Array(n) : new Float32Array(n);
  return g.addConst(name, dtype, shape, data);
}

function bytes(v: Value): number {
  return v.shape.reduce((a, b) => a * b, 1) * bytesPerElement(v.dtype);
}

/**
 * Independent check of a graph plan: lifetimes recomputed from the order;
 * values with overlapping lifetimes share bytes only when the plan says they
 * share storage (alias or in-place), and such sharing is legal: the storage
 * is not read after it is overwritten and never joins a graph input with a
 * graph output.
 */
export function assertGraphPlanSafe(g: Graph, plan: MemoryPlan): void {
  const order = plan.order;
  assert.ok(order.length === g.nodes.length && order.every((n, i) => n === g.nodes[i]), "plan order is not the graph's order");
  const step = new Map(order.map((n, i) => [n, i]));
  const end = order.length - 1;
  const values = [...g.inputs, ...order.flatMap((n) => n.outputs)].filter((v) => !v.isConst());
  const life = new Map<Value, [number, number]>();
  for (const v of values) {
    const reads = v.uses.map((u) => step.get(u.node)!);
    const born = v.producer ? step.get(v.producer)! : 0;
    const scratch = v.producer?.op === "cortex_m.scratch" && reads.length > 0;
    const first = scratch ? Math.min(...reads) : born;
    const last = g.outputs.includes(v) ? end : Math.max(first, ...reads);
    life.set(v, [first, last]);
    assert.ok(plan.offsets.has(v), `value ${v.name} has no offset`);
    assert.ok(plan.offsets.get(v)! + bytes(v) <= plan.arenaBytes, `value ${v.name} is outside the arena`);
  }
  for (const c of g.constants) assert.ok(!plan.offsets.has(c), `constant ${c.name} got an arena offset`);

  // Storage classes from the plan's own sharing claims.
  const parent = new Map<Value, Value>(values.map((v) => [v, v]));
  const find = (v: Value): Value => (parent.get(v) === v ? v : find(parent.get(v)!));
  const join = (a: Value, b: Value) => parent.set(find(b), find(a));
  for (const [y, x] of plan.aliases) {
    assert.equal(plan.offsets.get(y), plan.offsets.get(x), `alias ${y.name} not at its input's offset`);
    join(x, y);
  }
  for (const n of plan.inPlace) {
    const y = n.output;
    const x = n.inputs.find((v) => v && !v.isConst() && plan.offsets.get(v) === plan.offsets.get(y));
    assert.ok(x, `in-place ${n.name} shares no input's offset`);
    join(x!, y);
  }
  const members = new Map<Value, Value[]>();
  for (const v of values) {
    const r = find(v);
    members.set(r, [...(members.get(r) ?? []), v]);
  }
  for (const ms of members.values()) {
    // (A value that is both a graph input and a graph output shares nothing.)
    for (const a of ms) for (const b of ms) assert.ok(a === b || !(g.inputs.includes(a) && g.outputs.includes(b)), `storage of ${a.name} joins graph input ${a.name} and graph output ${b.name}`);
    // An in-place write at step s: nothing already in this storage is read after s.
    for (const n of plan.inPlace) {
      if (!ms.includes(n.output)) continue;
      const s = step.get(n)!;
      for (const m of ms) if (m !== n.output && life.get(m)![0] < s) assert.ok(life.get(m)![1] <= s, `${m.name} is read after ${n.name} overwrote it`);
      for (const m of ms) if (life.get(m)![0] < s) assert.ok(!g.inputs.includes(m), `${n.name} overwrites graph input ${m.name}`);
    }
  }
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i]!;
      const b = values[j]!;
      if (find(a) === find(b) || bytes(a) === 0 || bytes(b) === 0) continue;
      const [fa, la] = life.get(a)!;
      const [fb, lb] = life.get(b)!;
      if (fa > lb || fb > la) continue;
      const oa = plan.offsets.get(a)!;
      const ob = plan.offsets.get(b)!;
      assert.ok(oa + bytes(a) <= ob || ob + bytes(b) <= oa, `${a.name} and ${b.name} are live together and share bytes`);
    }
  }
}
