// LSTM against onnxruntime-node: one layer with bias and initial state, and two stacked layers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../../test/fixtures/onnx-compare.js";
import { INT64, seededValues, type TensorSpec } from "../../../../test/fixtures/onnx-model.js";

const H = 5;
const rand = (name: string, dims: number[], seed: number): TensorSpec => ({ name, dims, data: seededValues(dims.reduce((a, b) => a * b, 1), seed, -0.6, 0.6) });

test("LSTM seq=3 batch=2 input=4 hidden=5 with B, initial_h, initial_c", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "x", shape: [3, 2, 4] }, { name: "h0", shape: [1, 2, H] }, { name: "c0", shape: [1, 2, H] }],
    outputs: [{ name: "y" }, { name: "yh" }, { name: "yc" }],
    initializers: [rand("W", [1, 4 * H, 4], 1), rand("R", [1, 4 * H, H], 2), rand("B", [1, 8 * H], 3)],
    nodes: [{ op: "LSTM", inputs: ["x", "W", "R", "B", "", "h0", "c0"], outputs: ["y", "yh", "yc"], attrs: { hidden_size: { i: H } } }],
  }, { atol: 1e-5, rtol: 1e-4 });
  assert.deepEqual(graph.opCounts(), { "aten.lstm": 1 });
});

test("two stacked LSTM layers become two aten.lstm nodes", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "x", shape: [4, 1, 3] }],
    outputs: [{ name: "y2" }, { name: "h2" }],
    initializers: [
      rand("W1", [1, 4 * H, 3], 4), rand("R1", [1, 4 * H, H], 5),
      rand("W2", [1, 4 * H, H], 6), rand("R2", [1, 4 * H, H], 7), rand("B2", [1, 8 * H], 8),
      { name: "ax", dims: [1], data: [1], dataType: INT64 },
    ],
    nodes: [
      { op: "LSTM", inputs: ["x", "W1", "R1"], outputs: ["y1"], attrs: { hidden_size: { i: H } } },
      { op: "Squeeze", inputs: ["y1", "ax"], outputs: ["x2"] },
      { op: "LSTM", inputs: ["x2", "W2", "R2", "B2"], outputs: ["y2", "h2"], attrs: { hidden_size: { i: H }, direction: { s: "forward" } } },
    ],
  }, { atol: 1e-5, rtol: 1e-4 });
  assert.equal(graph.opCounts()["aten.lstm"], 2);
});
