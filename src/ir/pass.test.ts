import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { Graph, makeType } from "./graph.js";
import { IRError } from "./errors.js";
import { fixpoint, runPipeline, type Pass } from "./pass.js";

/** x → relu → relu → … (n of them) → output. */
function reluChain(n: number): Graph {
  const g = new Graph();
  let v = g.addInput("x", makeType("f32", [4]));
  for (let i = 0; i < n; i++) v = g.op("aten.relu", [v]);
  g.outputs = [v];
  return g;
}

/** Removes one relu that reads another relu (relu∘relu = relu) per run: needs several runs to finish a chain. */
const dropOneDoubleRelu: Pass = {
  name: "DropOneDoubleRelu",
  run(g) {
    const n = g.nodes.find((m) => m.op === "aten.relu" && m.input(0).producer?.op === "aten.relu");
    if (!n) return { changed: false };
    g.replaceAllUses(n.output, n.input(0));
    g.eraseNode(n);
    return { changed: true };
  },
};

test("a group repeats its passes until a round changes nothing; a single pass runs once", () => {
  const seen: string[] = [];
  const once = reluChain(4);
  runPipeline(once, [dropOneDoubleRelu], undefined, (name) => seen.push(name));
  assert.equal(once.nodes.length, 3);
  assert.deepEqual(seen, ["DropOneDoubleRelu"]);

  seen.length = 0;
  const g = reluChain(4);
  runPipeline(g, [fixpoint("relus", [dropOneDoubleRelu])], undefined, (name) => seen.push(name));
  assert.equal(g.nodes.length, 1);
  // Three rounds that removed a relu, one that found nothing.
  assert.equal(seen.length, 4);
});

test("a group still changing the graph after its rounds throws an IRError naming the group and the pass", () => {
  const liar: Pass = { name: "AlwaysChanged", run: () => ({ changed: true }) };
  const g = reluChain(1);
  assert.throws(
    () => runPipeline(g, [fixpoint("restless", [dropOneDoubleRelu, liar], 5)], undefined),
    (e: unknown) => e instanceof IRError && /pass group restless did not reach a fixpoint in 5 rounds/.test(e.message) && /still changing: AlwaysChanged/.test(e.message),
  );
  // A cap of rounds must allow at least one.
  assert.throws(() => fixpoint("none", [liar], 0), IRError);
  assert.throws(() => fixpoint("empty", []), IRError);
});

test("a pass that breaks the graph is named, with its group, round and the passes before it", () => {
  const breaker: Pass = {
    name: "Breaker",
    run(g) {
      g.nodes.reverse(); // a relu now reads a value defined after it
      return { changed: true };
    },
  };
  const g = reluChain(3);
  assert.throws(
    () => runPipeline(g, [dropOneDoubleRelu, fixpoint("bad", [breaker])], undefined),
    (e: unknown) => e instanceof IRError && /after pass Breaker in group bad, round 1; earlier: DropOneDoubleRelu\)/.test(e.message),
  );
});
