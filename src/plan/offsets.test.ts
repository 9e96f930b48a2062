import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../ir/prng.js";
import { bestFit, exactSearch, greedyBySize, planOffsets, validatePlan, type Buffer, type OffsetPlan } from "./offsets.js";
import { lowerBound } from "./lower_bound.js";
import { assertNoSharedBytes, bruteLowerBound, randomBuffers } from "../../test/support/plan_checks.js";

/** Every plan a test makes goes through both validators and the bound. */
function check(buffers: Buffer[], plan: OffsetPlan): void {
  validatePlan(buffers, plan);
  assertNoSharedBytes(buffers, plan);
  assert.ok(plan.arenaBytes >= bruteLowerBound(buffers), `arena ${plan.arenaBytes} below the lower bound ${bruteLowerBound(buffers)}`);
}

test("random buffer sets: every algorithm yields a valid plan at or above the lower bound", () => {
  const rng = new Rng(20240611);
  for (let i = 0; i < 300; i++) {
    const bufs = randomBuffers(rng, { maxBuffers: 30, maxSteps: 25, maxSize: 300 });
    check(bufs, greedyBySize(bufs));
    check(bufs, bestFit(bufs));
    const all = planOffsets(bufs, { lowerBound: bruteLowerBound(bufs) });
    for (const r of all.results) check(bufs, r.plan);
    check(bufs, all.best.plan);
    assert.equal(all.best.arenaBytes, Math.min(...all.results.map((r) => r.arenaBytes)));
    assert.equal(lowerBound(bufs).bytes, bruteLowerBound(bufs));
  }
});

test("random buffer sets with mixed alignments (1, 4, 16, 64)", () => {
  const rng = new Rng(7);
  for (let i = 0; i < 200; i++) {
    const bufs = randomBuffers(rng, { maxBuffers: 20, maxSteps: 15, maxSize: 200, aligns: [1, 4, 16, 64] });
    check(bufs, greedyBySize(bufs));
    check(bufs, bestFit(bufs));
    check(bufs, planOffsets(bufs, { exact: { nodeBudget: 20_000 } }).best.plan);
  }
});

test("exact search on small random sets is valid and never worse than the heuristics", () => {
  const rng = new Rng(99);
  for (let i = 0; i < 150; i++) {
    const bufs = randomBuffers(rng, { maxBuffers: 8, maxSteps: 8, maxSize: 100 });
    const ex = exactSearch(bufs, { nodeBudget: 1_000_000 });
    assert.ok(ex);
    check(bufs, ex.plan);
    assert.ok(ex.optimal);
    assert.ok(ex.plan.arenaBytes <= greedyBySize(bufs).arenaBytes);
    assert.ok(ex.plan.arenaBytes <= bestFit(bufs).arenaBytes);
  }
});

/** Smallest arena over every assignment of 16-aligned offsets (tiny cases only). */
function enumerateOptimum(bufs: Buffer[]): number {
  const total = bufs.reduce((s, b) => s + Math.ceil(b.size / 16) * 16, 0);
  let best = total;
  const offs = new Array<number>(bufs.length).fill(0);
  const rec = (i: number): void => {
    if (i === bufs.length) {
      const plan = { offsets: new Map(bufs.map((b, k) => [b.id, offs[k]!])), arenaBytes: 0 };
      plan.arenaBytes = Math.max(0, ...bufs.map((b, k) => offs[k]! + Math.ceil(b.size / 16) * 16));
      for (let a = 0; a < bufs.length; a++) {
        for (let c = a + 1; c < bufs.length; c++) {
          const x = bufs[a]!;
          const y = bufs[c]!;
          if (x.first > y.last || y.first > x.last) continue;
          if (offs[a]! < offs[c]! + Math.ceil(y.size / 16) * 16 && offs[c]! < offs[a]! + Math.ceil(x.size / 16) * 16) return;
        }
      }
      best = Math.min(best, plan.arenaBytes);
      return;
    }
    for (let o = 0; o < total; o += 16) {
      offs[i] = o;
      rec(i + 1);
    }
  };
  rec(0);
  return best;
}

test("exact search matches exhaustive enumeration of offsets on tiny sets", () => {
  const rng = new Rng(3);
  for (let i = 0; i < 60; i++) {
    const bufs = randomBuffers(rng, { maxBuffers: 4, maxSteps: 5, maxSize: 48 });
    const ex = exactSearch(bufs)!;
    assert.equal(ex.plan.arenaBytes, enumerateOptimum(bufs));
  }
});

test("exact search: chain A48 → B32 → C48 needs 80 bytes (A and C reuse the same bytes)", () => {
  const bufs: Buffer[] = [
    { id: 1, size: 48, first: 0, last: 1 },
    { id: 2, size: 32, first: 1, last: 2 },
    { id: 3, size: 48, first: 2, last: 3 },
  ];
  const ex = exactSearch(bufs)!;
  check(bufs, ex.plan);
  assert.equal(ex.plan.arenaBytes, 80);
  assert.ok(ex.optimal);
});

test("exact search: three buffers live together need the sum of their footprints", () => {
  const bufs: Buffer[] = [
    { id: 1, size: 10, first: 0, last: 2 }, // footprint 16
    { id: 2, size: 33, first: 1, last: 1 }, // footprint 48
    { id: 3, size: 16, first: 1, last: 3 },
  ];
  const ex = exactSearch(bufs)!;
  check(bufs, ex.plan);
  assert.equal(ex.plan.arenaBytes, 80);
});

// Greedy by size places the 64 first at 0, the 48 at 0 (disjoint in time),
// the 32 above the 48 at 48, and the 16 (live with both the 64 and the 32)
// lands above both at 80: arena 96. Optimum, by hand: 64@0, 16@64, 32@0,
// 48@32 — steps 0 (64+16) and 3 (32+48) are full at 80, so 80 is optimal.
const greedyTrap: Buffer[] = [
  { id: 0, size: 16, first: 0, last: 2 },
  { id: 1, size: 64, first: 0, last: 0 },
  { id: 2, size: 32, first: 2, last: 3 },
  { id: 3, size: 48, first: 3, last: 3 },
];

test("greedy by size is beaten by best fit on a hand case (96 vs 80)", () => {
  const g = greedyBySize(greedyTrap);
  const b = bestFit(greedyTrap);
  check(greedyTrap, g);
  check(greedyTrap, b);
  assert.equal(g.arenaBytes, 96);
  assert.equal(b.arenaBytes, 80);
  assert.equal(g.offsets.get(0), 80);
});

test("exact search finds the hand optimum of the greedy trap and planOffsets reports all three", () => {
  const ex = exactSearch(greedyTrap)!;
  assert.equal(ex.plan.arenaBytes, 80);
  const all = planOffsets(greedyTrap);
  assert.deepEqual(all.results.map((r) => [r.name, r.arenaBytes]), [["greedy_by_size", 96], ["best_fit", 80], ["exact", 80]]);
  assert.equal(all.best.arenaBytes, 80);
});

test("exact search is skipped above maxBuffers", () => {
  const bufs: Buffer[] = Array.from({ length: 14 }, (_, i) => ({ id: i, size: 16, first: i, last: i + 1 }));
  assert.equal(exactSearch(bufs), null);
  const all = planOffsets(bufs);
  assert.ok(all.results.find((r) => r.name === "exact")!.skipped);
  check(bufs, all.best.plan);
});

test("zero-size buffers take no space and never conflict", () => {
  const bufs: Buffer[] = [
    { id: 1, size: 0, first: 0, last: 5 },
    { id: 2, size: 20, first: 0, last: 5 },
  ];
  for (const p of [greedyBySize(bufs), bestFit(bufs), exactSearch(bufs)!.plan]) {
    check(bufs, p);
    assert.equal(p.arenaBytes, 32);
  }
});

test("validatePlan rejects overlapping, misaligned and out-of-arena plans", () => {
  const bufs: Buffer[] = [
    { id: 1, size: 32, first: 0, last: 1 },
    { id: 2, size: 32, first: 1, last: 2 },
  ];
  assert.throws(() => validatePlan(bufs, { offsets: new Map([[1, 0], [2, 16]]), arenaBytes: 48 }), /overlap/);
  assert.throws(() => validatePlan(bufs, { offsets: new Map([[1, 0], [2, 40]]), arenaBytes: 72 }), /aligned/);
  assert.throws(() => validatePlan(bufs, { offsets: new Map([[1, 0], [2, 32]]), arenaBytes: 48 }), /exceeds/);
  assert.throws(() => validatePlan(bufs, { offsets: new Map([[1, 0]]), arenaBytes: 32 }), /no offset/);
  // Disjoint lifetimes may share bytes.
  const apart: Buffer[] = [
    { id: 1, size: 32, first: 0, last: 0 },
    { id: 2, size: 32, first: 1, last: 1 },
  ];
  validatePlan(apart, { offsets: new Map([[1, 0], [2, 0]]), arenaBytes: 32 });
});

test("bad buffers are rejected", () => {
  assert.throws(() => greedyBySize([{ id: 1, size: 8, first: 3, last: 2 }]), /lifetime/);
  assert.throws(() => greedyBySize([{ id: 1, size: -1, first: 0, last: 0 }]), /size/);
  assert.throws(() => bestFit([{ id: 1, size: 1, first: 0, last: 0 }, { id: 1, size: 1, first: 0, last: 0 }]), /twice/);
});

test("exact search out of budget still returns a valid plan, marked not optimal", () => {
  const rng = new Rng(5);
  const bufs = randomBuffers(rng, { maxBuffers: 1, maxSteps: 1, maxSize: 1 });
  for (let i = 0; i < 10; i++) bufs.push({ id: 1000 + i, size: 16 * (1 + (i % 3)), first: i % 4, last: (i % 4) + 2 });
  const ex = exactSearch(bufs, { nodeBudget: 3 })!;
  check(bufs, ex.plan);
  assert.equal(ex.optimal, false);
});
