import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, type Value } from "../ir/graph.js";
import { planGraph, planSummary } from "./graph_plan.js";
import { graphBuffers } from "./lifetimes.js";
import { scheduleProblem } from "./schedule.js";
import { trafficOf } from "./traffic.js";
import { assertGraphPlanSafe, constant, i8, node, op1, ty } from "../../test/support/plan_checks.js";

const NHWC = [0, 2, 3, 1];

function plan(g: Graph, opts = {}) {
  const p = planGraph(g, opts);
  assertGraphPlanSafe(g, p);
  assert.ok(p.arenaBytes >= p.lowerBoundBytes);
  return p;
}

test("a view of a contiguous tensor shares its input's storage and moves no bytes", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 4, 4, 4]));
  const a = op1(g, "test.conv", [x, constant(g, "w", "i8", [4, 1, 1, 4])], i8([1, 4, 4, 4]));
  const v = op1(g, "aten.view_copy", [a], i8([1, 64]), { size: [1, 64] });
  const out = op1(g, "test.fc", [v], i8([1, 10]));
  g.outputs = [out];
  const p = plan(g);
  assert.equal(p.aliases.get(v), a);
  assert.equal(p.offsets.get(v), p.offsets.get(a));
  // x(64)+a(64) at step 0 is the peak; a/v (64) + out (16) later.
  assert.equal(p.lowerBoundBytes, 128);
  assert.equal(p.arenaBytes, 128);
  assert.equal(p.weightsBytes, 16);
  const t = trafficOf(g, p).perOp.find((r) => r.op === "aten.view_copy")!;
  assert.deepEqual([t.readBytes, t.writeBytes], [0, 0]);
});

test("a view after a channels-last clone is not aliased (the bytes must move)", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 4, 4, 4]));
  const a = op1(g, "test.conv", [x], i8([1, 4, 4, 4]));
  const c = op1(g, "dim_order_ops._clone_dim_order", [a], i8([1, 4, 4, 4], NHWC), { dim_order: NHWC });
  const v = op1(g, "aten.view_copy", [c], i8([1, 64]), { size: [1, 64] });
  g.outputs = [op1(g, "test.fc", [v], i8([1, 10]))];
  const p = plan(g);
  assert.equal(p.aliases.size, 0);
  assert.notEqual(p.offsets.get(v), p.offsets.get(c));
  const t = trafficOf(g, p).perOp.find((r) => r.op === "aten.view_copy")!;
  assert.deepEqual([t.readBytes, t.writeBytes], [64, 64]);
});

test("a channels-last tensor with one channel is contiguous: its view is aliased", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 1, 4, 4], NHWC));
  const a = op1(g, "test.conv", [x], i8([1, 1, 4, 4], NHWC));
  const v = op1(g, "aten.view_copy", [a], i8([1, 16]), { size: [1, 16] });
  g.outputs = [op1(g, "test.fc", [v], i8([1, 2]))];
  const p = plan(g);
  assert.equal(p.aliases.get(v), a);
});

test("chained views alias back to the first storage", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([2, 8]));
  const a = op1(g, "test.op", [x], i8([2, 8]));
  const v1 = op1(g, "aten.view_copy", [a], i8([16]), { size: [16] });
  const v2 = op1(g, "aten.view_copy", [v1], i8([4, 4]), { size: [4, 4] });
  g.outputs = [op1(g, "test.op", [v2], i8([4, 4]))];
  const p = plan(g);
  assert.equal(p.aliases.get(v1), a);
  assert.equal(p.aliases.get(v2), v1);
  assert.equal(p.offsets.get(v2), p.offsets.get(a));
});

test("a view from a graph input straight to a graph output is not aliased", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([2, 8]));
  const v = op1(g, "aten.view_copy", [x], i8([16]), { size: [16] });
  g.outputs = [v];
  const p = plan(g);
  assert.equal(p.aliases.size, 0);
  assert.notEqual(p.offsets.get(v), p.offsets.get(x));
  // A view of a graph input feeding an op may alias.
  const h = new Graph();
  const y = h.addInput("y", i8([2, 8]));
  const w = op1(h, "aten.view_copy", [y], i8([16]), { size: [16] });
  h.outputs = [op1(h, "test.op", [w], i8([16]))];
  assert.equal(plan(h).aliases.get(w), y);
});

test("an elementwise op whose input dies there runs in place", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 16]));
  const a = op1(g, "test.fc", [x], i8([1, 64]));
  const actNode = node(g, "cortex_m.quantized_activation", [a, constant(g, "lut", "i8", [256])], [i8([1, 64])], { function: "sigmoid" });
  const b = actNode.output;
  g.outputs = [op1(g, "test.fc", [b], i8([1, 16]))];
  const p = plan(g);
  assert.ok(p.inPlace.has(actNode));
  assert.equal(p.offsets.get(b), p.offsets.get(a));
  assert.equal(p.weightsBytes, 256);
  // In place: x+a (80) at step 0, a/b (64) at step 1, a/b + out (80) at step 2.
  assert.equal(p.lowerBoundBytes, 80);
  // Not in place, a and b are both live at step 1: 128.
  assert.equal(plan(g, { inPlace: false }).lowerBoundBytes, 128);
  assert.equal(plan(rebuildWithOp("test.act")).lowerBoundBytes, 128);
});

/** The same chain with another op in the middle (one the in-place table does not list). */
function rebuildWithOp(op: string): Graph {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 16]));
  const a = op1(g, "test.fc", [x], i8([1, 64]));
  const b = op1(g, op, [a], i8([1, 64]));
  g.outputs = [op1(g, "test.fc", [b], i8([1, 16]))];
  return g;
}

test("no in-place when the input is read later, is a graph input, or changes layout", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 32]));
  const lut = constant(g, "lut", "i8", [256]);
  const onInput = node(g, "cortex_m.quantized_activation", [x, lut], [i8([1, 32])]);
  const a = onInput.output;
  const readLater = node(g, "cortex_m.quantized_activation", [a, lut], [i8([1, 32])]);
  const addNode = node(g, "cortex_m.quantized_add", [readLater.output, a], [i8([1, 32])]);
  g.outputs = [addNode.output];
  const p = plan(g);
  assert.ok(!p.inPlace.has(onInput), "overwrote a graph input");
  assert.ok(!p.inPlace.has(readLater), "overwrote a value read later");
  assert.ok(p.inPlace.has(addNode), "the add is the last reader of both inputs");
  assert.equal(p.offsets.get(addNode.output), p.offsets.get(readLater.output));

  const h = new Graph();
  const y = h.addInput("y", i8([1, 4, 2, 2]));
  const c = op1(h, "test.conv", [y], i8([1, 4, 2, 2]));
  const clamp = node(h, "cortex_m.clamp", [c], [i8([1, 4, 2, 2], NHWC)], { activation_min: 0, activation_max: 127 });
  h.outputs = [clamp.output];
  assert.ok(!plan(h).inPlace.has(clamp), "layout-changing op ran in place");
});

test("quantized_add overwrites its second input when the first is still needed", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 16]));
  const a = op1(g, "test.fc", [x], i8([1, 16]));
  const b = op1(g, "test.fc", [a], i8([1, 16]));
  const add = node(g, "cortex_m.quantized_add", [a, b], [i8([1, 16])]);
  g.outputs = [op1(g, "test.join", [add.output, a], i8([1, 16]))];
  const p = plan(g);
  assert.ok(p.inPlace.has(add));
  assert.equal(p.offsets.get(add.output), p.offsets.get(b));
  assert.notEqual(p.offsets.get(add.output), p.offsets.get(a));
});

test("float unary ops run in place on f32 only", () => {
  const g = new Graph();
  const x = g.addInput("x", ty("f32", [8]));
  const a = op1(g, "test.op", [x], ty("f32", [8]));
  const relu = node(g, "aten.relu", [a], [ty("f32", [8])]);
  const q = op1(g, "test.quant", [relu.output], i8([8]));
  const reluI8 = node(g, "aten.relu", [q], [i8([8])]);
  g.outputs = [op1(g, "test.op", [reluI8.output], i8([8]))];
  const p = plan(g);
  assert.ok(p.inPlace.has(relu));
  assert.ok(!p.inPlace.has(reluI8));
});

test("scratch buffers are live only at the op that reads them", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 8, 8, 8], NHWC));
  const a = op1(g, "test.op", [x], i8([1, 8, 8, 8], NHWC));
  const b = op1(g, "test.op", [a], i8([1, 8, 8, 8], NHWC));
  const s1 = op1(g, "cortex_m.scratch", [], ty("u8", [256]), { bytes: 256 });
  const w = constant(g, "w", "i8", [8, 1, 1, 8]);
  const c = op1(g, "cortex_m.quantized_conv2d", [b, w, null, constant(g, "m", "i32", [8]), constant(g, "s", "i32", [8]), s1], i8([1, 8, 8, 8], NHWC));
  const s2 = op1(g, "cortex_m.scratch", [], ty("u8", [128]), { bytes: 128 });
  const d = op1(g, "cortex_m.quantized_conv2d", [c, w, null, constant(g, "m2", "i32", [8]), constant(g, "s2", "i32", [8]), s2], i8([1, 8, 8, 8], NHWC));
  g.outputs = [d];
  const gb = graphBuffers(g);
  assert.deepEqual(gb.lifetime.get(s1), { first: 3, last: 3 });
  assert.deepEqual(gb.lifetime.get(s2), { first: 5, last: 5 });
  const p = plan(g);
  // Step 3: b 512 + scratch 256 + c 512. Everything else is smaller.
  assert.equal(p.lowerBoundBytes, 1280);
  assert.equal(p.arenaBytes, 1280);
  assert.equal(p.largestScratchBytes, 256);
  assert.equal(p.totalScratchBytes, 384);
  assert.equal(p.weightsBytes, 64 + 4 * 8 * 4);
  for (const v of [x, a, b, c, d, s1, s2]) assert.ok(p.offsets.has(v));
  assert.equal(p.offsets.size, 7);
});

/**
 * x(16) feeds a big branch a (1000 B → 1008 footprint) and a chain b1 → b2
 * (500 B → 512 each); join reads a and b2. Given order a, b1, b2, join keeps a
 * alive through the chain: peak at b2 = a + b1 + b2 = 2032. Running the chain
 * first: peak 1536 (x + b2 + a at a, or a + b2 + out at join).
 */
function diamond(withScratch: boolean): { g: Graph; names: () => string[] } {
  const g = new Graph();
  const add = (name: string, op: string, inputs: (Value | null)[], out: ReturnType<typeof i8>) =>
    g.addNode(op, inputs, {}, { name, outputTypes: [out] }).output;
  const x = g.addInput("x", i8([16]));
  const a = add("a", "test.big", [x], i8([1000]));
  const b1 = add("b1", "test.op", [x], i8([500]));
  const s = withScratch ? [add("s", "cortex_m.scratch", [], ty("u8", [0]))] : [];
  const b2 = add("b2", "test.op", [b1, ...s], i8([500]));
  g.outputs = [add("join", "test.join", [a, b2], i8([16]))];
  return { g, names: () => g.nodes.map((n) => n.name) };
}

test("branch reordering lowers the peak of a diamond", () => {
  const naive = diamond(false);
  assert.equal(plan(naive.g, { reorder: false }).lowerBoundBytes, 2032);
  assert.deepEqual(naive.names(), ["a", "b1", "b2", "join"]);

  const d = diamond(false);
  const p = plan(d.g);
  assert.equal(p.lowerBoundBytes, 1536);
  assert.equal(p.arenaBytes, 1536);
  assert.deepEqual(d.names(), ["b1", "b2", "a", "join"]);
  assert.equal(p.reorder?.givenPeakBytes, 2032);
  assert.match(planSummary(p), /reordered/);
});

test("reordering keeps a scratch node immediately before its reader", () => {
  const d = diamond(true);
  const p = plan(d.g);
  assert.deepEqual(d.names(), ["b1", "s", "b2", "a", "join"]);
  assert.equal(scheduleProblem(d.g, d.g.nodes), null);
  assert.equal(p.lowerBoundBytes, 1536);
});

test("a chain keeps its order", () => {
  const g = new Graph();
  let v = g.addInput("x", i8([64]));
  for (let i = 0; i < 5; i++) v = op1(g, "test.op", [v], i8([64 * (i + 2)]));
  g.outputs = [v];
  const before = [...g.nodes];
  const p = plan(g);
  assert.equal(p.reorder, undefined);
  assert.ok(g.nodes.every((n, i) => n === before[i]));
});

test("multi-output nodes and unused outputs get their own storage", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 32]));
  const split = node(g, "aten.split_with_sizes_copy", [x], [i8([1, 16]), i8([1, 16])], { split_sizes: [16, 16], dim: 1 });
  g.outputs = [op1(g, "test.op", [split.outputs[0]!], i8([1, 16]))];
  const p = plan(g);
  assert.ok(p.offsets.has(split.outputs[1]!));
  // Step 0: x 32 + both halves 16 each.
  assert.equal(p.lowerBoundBytes, 64);
});

test("planSummary names the arena, the bound and every algorithm", () => {
  const d = diamond(false);
  const s = planSummary(plan(d.g));
  assert.match(s, /arena: 1536 B .*1\.000 × lower bound 1536 B/);
  assert.match(s, /greedy_by_size \d+ B/);
  assert.match(s, /best_fit \d+ B/);
  assert.match(s, /exact/);
  assert.match(s, /weights: 0 B/);
});

test("a view whose storage is read later blocks in-place; a dead one does not", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 8]));
  const lut = constant(g, "lut", "i8", [256]);
  const a = op1(g, "test.fc", [x], i8([1, 8]));
  const v = op1(g, "aten.view_copy", [a], i8([8]), { size: [8] });
  const act1 = node(g, "cortex_m.quantized_activation", [v, lut], [i8([8])]);
  const b = op1(g, "test.join", [act1.output, a], i8([8]));
  const w = op1(g, "aten.view_copy", [b], i8([1, 8]), { size: [1, 8] });
  const act2 = node(g, "cortex_m.quantized_activation", [w, lut], [i8([1, 8])]);
  g.outputs = [act2.output];
  const p = plan(g);
  assert.equal(p.aliases.get(v), a);
  assert.ok(!p.inPlace.has(act1), "a (same storage as v) is read after act1");
  assert.ok(p.inPlace.has(act2));
  assert.equal(p.offsets.get(act2.output), p.offsets.get(b));
});

test("the independent plan checker catches a plan that shares live bytes", () => {
  const d = diamond(false);
  const p = planGraph(d.g);
  const [b1, b2] = [d.g.nodes[0]!.output, d.g.nodes[1]!.output];
  const bad = { ...p, offsets: new Map(p.offsets) };
  bad.offsets.set(b2, p.offsets.get(b1)!);
  assert.throws(() => assertGraphPlanSafe(d.g, bad), /share bytes/);
  const badInPlace = { ...p, inPlace: new Set([d.g.nodes[1]!]) };
  assert.throws(() => assertGraphPlanSafe(d.g, badInPlace), /shares no input/);
});
