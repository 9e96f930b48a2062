// A constant read by several nodes must not tie their quantization groups
// together (issue #13): Silero's 19 `Max(x, -0.4)` read one initializer, and
// one shared group gave all 19 layers the widest layer's scale.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import type { Graph } from "../ir/graph.js";
import { MAXIMUM } from "../ops/elementwise/binary.js";
import { feedSetsSource } from "./calibrate.js";
import { quantizeGraph } from "./quantize.js";

const Q = "quantized_decomposed.quantize_per_tensor";

/** x → conv_k → max(·, c) for k = 1..3, every max reading the one constant c; conv k's weights are 10^(k−1) × conv 1's. */
function threeMaxOneConstant(): Graph {
  const b = new ModelBuilder("shared_const", 7);
  const x = b.input("x", [1, 2, 16]);
  const c = b.constant("floor", [], [-0.4]);
  const base = Float32Array.from({ length: 4 * 2 * 3 }, (_, i) => ((i * 7) % 11) / 11 - 0.45);
  [1, 10, 100].forEach((gain, k) => {
    const y = b.conv1d(x, { out: 4, k: 3, pad: 1, weight: base.map((w) => w * gain), name: `conv${k}` });
    b.output(b.graph.op(MAXIMUM.name, [y, c], {}, { name: `max${k}` }), `y${k}`);
  });
  return b.build();
}

test("three Max(x, c) reading one constant after three convs get three different scales", () => {
  const g = threeMaxOneConstant();
  assert.equal(g.constants.filter((v) => v.name === "floor").length, 1, "the float graph has one shared constant");
  const x = g.inputs[0]!;
  const data = Float32Array.from({ length: x.numel }, (_, i) => Math.sin(i * 0.7));
  const { graph } = quantizeGraph(g, feedSetsSource([{ x: { dtype: "f32", shape: [...x.shape], data } }]), { observer: { kind: "minmax" }, progress: false, sqnr: false });
  const scales = [0, 1, 2].map((k) => {
    const max = graph.nodes.find((n) => n.name === `max${k}`)!;
    const q = max.output.users().find((n) => n.op === Q);
    assert.ok(q, `max${k} output is quantized`);
    return q.attrs["scale"] as number;
  });
  assert.equal(new Set(scales).size, 3, `three scales, got ${scales.join(", ")}`);
  // Each conv's outputs span about 10× the previous one's, and so does its scale (not one merged range).
  assert.ok(scales[1]! > 5 * scales[0]! && scales[2]! > 5 * scales[1]!, `scales grow with the conv gain: ${scales.join(", ")}`);
});
