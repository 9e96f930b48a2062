import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../ir/graph.js";
import { verifyGraph } from "../ir/verify.js";
import { printGraph } from "../ir/print.js";
import { UserError } from "../ir/errors.js";
import { makeTensor } from "../ir/tensor.js";
import { getOp } from "../ir/registry.js";
import { runFloat, evalNode } from "./float.js";

/** x[1,1,4] -> conv1d(k=2, 2 out ch) -> relu -> mean over L (keepdim) -> view [1,2] -> linear(2->1) */
function smallGraph(): Graph {
  const g = new Graph("small");
  const x = g.addInput("x", makeType("f32", [1, 1, 4]));
  const w = g.addConst("w", "f32", [2, 1, 2], Float32Array.from([1, 1, -1, 0]));
  const c = g.op("aten.convolution", [x, w, null], { stride: [1], padding: [0], dilation: [1], groups: 1, transposed: false, output_padding: [0] });
  const r = g.op("aten.relu", [c]);
  const m = g.op("aten.mean", [r], { dims: [2], keepdim: true });
  const v = g.op("aten.view_copy", [m], { size: [1, 2] });
  const lw = g.addConst("lw", "f32", [1, 2], Float32Array.from([1, 10]));
  const lb = g.addConst("lb", "f32", [1], Float32Array.from([0.5]));
  g.outputs.push(g.op("aten.linear", [v, lw, lb]));
  return g;
}

test("graph built with addNode gets shapes from the shape rules and verifies", () => {
  const g = smallGraph();
  verifyGraph(g);
  assert.deepEqual(g.nodes.map((n) => n.output.shape), [[1, 2, 3], [1, 2, 3], [1, 2, 1], [1, 2], [1, 1]]);
  assert.match(printGraph(g), /aten\.linear/);
});

test("runFloat computes the hand-computed result and reports every value", () => {
  const g = smallGraph();
  const seen: string[] = [];
  const out = runFloat(g, { x: makeTensor("f32", [1, 1, 4], [1, 2, -3, 4]) }, { onValue: (v) => seen.push(v.name) });
  // conv ch0 (x[i]+x[i+1]) = [3,-1,1] -> relu [3,0,1] mean 4/3
  // conv ch1 (-x[i])       = [-1,-2,3] -> relu [0,0,3] mean 1
  // linear: 4/3 + 10*1 + 0.5
  const y = out[g.outputs[0]!.name]!;
  assert.deepEqual(y.shape, [1, 1]);
  assert.ok(Math.abs(y.data[0]! - (4 / 3 + 10.5)) < 1e-5);
  assert.ok(seen.includes("x") && seen.includes(g.outputs[0]!.name));
});

test("runFloat: missing / mismatched / unknown feeds are UserErrors naming the input", () => {
  const g = smallGraph();
  assert.throws(() => runFloat(g, {}), (e: Error) => e instanceof UserError && /missing input x: expected f32\[1,1,4\]/.test(e.message));
  assert.throws(() => runFloat(g, { x: makeTensor("f32", [1, 4]) }), (e: Error) => e instanceof UserError && /input x: got f32\[1,4\], expected f32\[1,1,4\]/.test(e.message));
  assert.throws(() => runFloat(g, { x: makeTensor("i64", [1, 1, 4]) }), /input x: got i64/);
  assert.throws(() => runFloat(g, { x: makeTensor("f32", [1, 1, 4]), y: makeTensor("f32", [1]) }), /unknown input y/);
});

test("evalNode folds a constant node (shape arithmetic on i64)", () => {
  const g = new Graph();
  const a = g.addConst("a", "i64", [2], Float64Array.from([6, 8]));
  const b = g.addConst("b", "i64", [], Float64Array.from([2]));
  const n = g.addNode("aten.div", [a, b]);
  const [r] = evalNode(n, [makeTensor("i64", [2], [6, 8]), makeTensor("i64", [], [2])]);
  assert.deepEqual([...r!.data], [3, 4]);
  assert.equal(getOp("aten.div").eval!([makeTensor("i64", [1], [7]), makeTensor("i64", [1], [2])], {})[0]!.data[0], 3);
});

test("graph output that is a constant or a graph input is returned", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("f32", [2]));
  const k = g.addConst("k", "f32", [1], Float32Array.from([5]));
  g.outputs.push(x, k);
  const out = runFloat(g, { x: makeTensor("f32", [2], [1, 2]) });
  assert.deepEqual([...out.x!.data], [1, 2]);
  assert.deepEqual([...out.k!.data], [5]);
});

test("runFloat with `folded`: only nodes reading constants are kept and reused; outputs match unfolded runs", () => {
  // y = relu(x) * (k + 1): the add reads only constants, the relu and mul read the input.
  const g = new Graph("folding");
  const x = g.addInput("x", makeType("f32", [3]));
  const k = g.addConst("k", "f32", [3], Float32Array.from([1, 2, 3]));
  const one = g.addConst("one", "f32", [], Float32Array.from([1]));
  const kp = g.op("aten.add", [k, one]);
  const r = g.op("aten.relu", [x]);
  g.outputs.push(g.op("aten.mul", [r, kp]));
  const folded = new Map();
  let addEvals = 0;
  const feeds = [[-1, 2, 3], [4, -5, 6]];
  const expected = [[0, 6, 12], [8, 0, 24]];
  feeds.forEach((f, i) => {
    const out = runFloat(g, { x: makeTensor("f32", [3], f) }, { folded, onValue: (v) => { if (v === kp) addEvals++; } });
    assert.deepEqual([...out[g.outputs[0]!.name]!.data], expected[i]);
    assert.deepEqual([...runFloat(g, { x: makeTensor("f32", [3], f) })[g.outputs[0]!.name]!.data], expected[i]);
  });
  assert.deepEqual([...folded.keys()], [kp], "only the constant-only add is folded");
  assert.deepEqual([...folded.get(kp)!.data], [2, 3, 4]);
  assert.equal(addEvals, 2, "the folded value is still reported on every run");
});
