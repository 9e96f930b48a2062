import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { removeNoopViewCopy } from "./remove_noop_view_copy.js";
import { opsOf, view } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("RemoveNoopViewCopy drops a view to the shape it already has; readers take its input", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  const same = view(g, x, [2, 3, 4]);
  g.outputs = [view(g, same, [6, 4])];
  assert.deepEqual(opsOf(g), ["view_copy", "view_copy"]);
  assert.equal(removeNoopViewCopy.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["view_copy"]);
  assert.equal(g.nodes[0]!.input(0), x);
  assert.equal(removeNoopViewCopy.run(g, opts).changed, false);
});

test("RemoveNoopViewCopy keeps a view that changes the shape, and a no-op view from a graph input straight to an output", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  const y = g.addInput("y", makeType("i8", [2, 3]));
  g.outputs = [view(g, x, [2, 12]), view(g, y, [2, 3])];
  assert.equal(removeNoopViewCopy.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), ["view_copy", "view_copy"]);
});
