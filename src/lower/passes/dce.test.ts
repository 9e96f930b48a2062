import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { deadCodeElimination } from "./dce.js";
import { opsOf, view } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("DeadCodeElimination drops a chain nothing reads and its constant, keeps what feeds an output", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  const lut = g.addConst("lut", "i8", [256], new Int8Array(256));
  const live = g.op("cortex_m.quantized_activation", [x, lut]);
  const unusedLut = g.addConst("unused_lut", "i8", [256], new Int8Array(256));
  const dead = g.op("cortex_m.quantized_activation", [x, unusedLut]);
  view(g, dead, [6, 4]); // read by nothing either
  g.outputs = [view(g, live, [24])];
  assert.deepEqual(opsOf(g), ["quantized_activation", "quantized_activation", "view_copy", "view_copy"]);
  assert.equal(deadCodeElimination.run(g, opts).changed, true);
  verifyGraph(g);
  assert.deepEqual(opsOf(g), ["quantized_activation", "view_copy"]);
  assert.equal(g.nodes[0]!.input(1), lut);
  assert.deepEqual(g.constants.map((c) => c.name), ["lut"]);
  assert.equal(deadCodeElimination.run(g, opts).changed, false);
});

test("DeadCodeElimination leaves a graph in which everything is read alone", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [2, 3, 4]));
  g.outputs = [view(g, view(g, x, [6, 4]), [24])];
  assert.equal(deadCodeElimination.run(g, opts).changed, false);
  assert.deepEqual(opsOf(g), ["view_copy", "view_copy"]);
});
