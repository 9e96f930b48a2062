import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import { ModelBuilder } from "../../builder/index.js";
import { cloneGraph } from "../../ir/clone.js";
import type { Graph } from "../../ir/graph.js";
import { verifyGraph } from "../../ir/verify.js";
import { runFloat } from "../../interp/float.js";
import { randomFeeds } from "../../io/feeds.js";
import { randomSource } from "../../quantize/calibrate.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import { foldPadIntoConv } from "./fold_pad_into_conv.js";

function quantized(pads: number[], mode: "constant" | "reflect", value: number, k = 3): Graph {
  const b = new ModelBuilder("pad", 4);
  const x = b.relu(b.conv2d(b.input("x", [1, 3, 7, 9]), { out: 5, k: 3, pad: 1 }));
  b.output(b.conv2d(b.pad(x, pads, mode, value), { out: 4, k, pad: 1 }));
  return quantizeGraph(b.build(), randomSource(4, { seed: 6 }), { sqnr: false }).graph;
}

const ops = (g: Graph) => g.nodes.map((n) => n.op);

test("FoldPadIntoConv: a zero pad becomes the conv's padding (begin and end apart), same fake-quant outputs bit for bit", () => {
  const g = quantized([2, 0, 1, 3], "constant", 0);
  const before = cloneGraph(g);
  assert.equal(foldPadIntoConv.run(g, {}).changed, true);
  verifyGraph(g);
  assert.ok(!ops(g).includes("aten.pad"));
  const conv = g.nodes.filter((n) => n.op === "aten.convolution")[1]!;
  // torch pad order: (w_begin, w_end, h_begin, h_end) = (2, 0, 1, 3), on top of the conv's own 1.
  assert.deepEqual(conv.attrs.padding, [2, 3]);
  assert.deepEqual(conv.attrs.padding_end, [4, 1]);
  for (const seed of [1, 2, 3]) {
    const feeds = randomFeeds(g, seed);
    const a = runFloat(g, feeds)[g.outputs[0]!.name]!;
    const b = runFloat(before, feeds)[before.outputs[0]!.name]!;
    assert.deepEqual(a.shape, b.shape);
    assert.deepEqual(Array.from(a.data), Array.from(b.data), `seed ${seed}`);
  }
  assert.equal(foldPadIntoConv.run(g, {}).changed, false);
});

test("FoldPadIntoConv leaves pads of another value, reflect pads and channel pads alone", () => {
  for (const [pads, mode, value] of [
    [[1, 1, 1, 1], "constant", 0.5],
    [[1, 1, 1, 1], "reflect", 0],
    [[0, 0, 0, 0, 1, 0], "constant", 0],
  ] as const) {
    const g = quantized([...pads], mode, value);
    assert.equal(foldPadIntoConv.run(g, {}).changed, false, `${mode} ${value} [${pads}]`);
    assert.ok(ops(g).includes("aten.pad"));
  }
});
