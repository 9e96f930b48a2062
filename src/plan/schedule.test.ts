import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, type Node, type Value } from "../ir/graph.js";
import { chooseSchedule, scheduleProblem, schedulePeak } from "./schedule.js";
import { i8, node, op1, ty } from "../../test/support/plan_checks.js";

/** x → s → conv(x, s) → y; x → z; join(y, z). */
function small(): Graph {
  const g = new Graph();
  const x = g.addInput("x", i8([64]));
  const s = op1(g, "cortex_m.scratch", [], ty("u8", [32]), { bytes: 32 });
  const y = op1(g, "test.conv", [x, s], i8([64]));
  const z = op1(g, "test.op", [x], i8([64]));
  g.outputs = [op1(g, "test.join", [y, z], i8([16]))];
  return g;
}

test("scheduleProblem accepts the graph's order and rejects broken ones", () => {
  const g = small();
  const [s, conv, op, join] = g.nodes as [Node, Node, Node, Node];
  assert.equal(scheduleProblem(g, g.nodes), null);
  assert.match(scheduleProblem(g, [s, conv, join, op])!, /before its producer/);
  assert.match(scheduleProblem(g, [s, op, conv, join])!, /scratch .* immediately before/);
  assert.match(scheduleProblem(g, [s, conv, op])!, /3 nodes scheduled/);
  assert.match(scheduleProblem(g, [s, conv, op, op])!, /missing/);
});

test("chooseSchedule reports every heuristic and keeps the given order on ties", () => {
  const g = small();
  const c = chooseSchedule(g);
  assert.deepEqual(c.candidates.map((k) => k.name), ["given", "greedy_net", "greedy_recent", "dfs", "dfs_reversed", "dfs_need"]);
  assert.equal(c.givenPeakBytes, schedulePeak(g, g.nodes));
  assert.ok(c.peakBytes <= c.givenPeakBytes);
  if (c.peakBytes === c.givenPeakBytes) assert.equal(c.heuristic, "given");
  for (const k of c.candidates) assert.ok(k.peakBytes >= c.peakBytes);
});

/**
 * x → split → (a, b); x → op → r; join(a, b, r). The split comes first in the
 * graph's order and join reads two of its outputs: join must still wait for op
 * (greedy_net released it after the split alone and picked it for its small output).
 */
test("a node reading two outputs of one producer waits for its other producers (issue 16)", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([64]));
  const [a, b] = node(g, "test.split", [x], [i8([32]), i8([32])]).outputs as [Value, Value];
  const r = op1(g, "test.op", [x], i8([64]));
  g.outputs = [op1(g, "test.join", [a, b, r], i8([16]))];
  const c = chooseSchedule(g);
  // Checked here without scheduleProblem: join after both of its producers.
  const names = c.order.map((n) => n.name);
  assert.deepEqual([...names].sort(), ["join", "op", "split"]);
  assert.equal(names[2], "join", `order ${names.join(", ")}`);
});
