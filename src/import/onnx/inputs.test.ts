// Input shapes as users give them: a bare shape is the first input's, and a
// dynamic dim is taken from the data file's shape (a .npy's shape, a WAV's
// sample count) when no shape is given; data that cannot fit is one line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { importOnnx } from "./import.js";
import { encodeModel, type ModelSpec } from "../../../test/fixtures/onnx-model.js";

function relu(shape: (number | string)[], second = false): Uint8Array {
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape }, ...(second ? [{ name: "h", shape: [1, 4] }] : [])],
    outputs: [{ name: "y" }, ...(second ? [{ name: "hy" }] : [])],
    nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }, ...(second ? [{ op: "Relu", inputs: ["h"], outputs: ["hy"] }] : [])],
  };
  return encodeModel(spec);
}

const shapeOf = (bytes: Uint8Array, o: Parameters<typeof importOnnx>[1]) => importOnnx(bytes, { name: "m.onnx", ...o }).inputs.map((v) => v.shape);

test("a dynamic dim is resolved from the data's shape: same rank, or one open dim filled by the element count", () => {
  assert.deepEqual(shapeOf(relu([1, "N"]), { dataShapes: { x: [1, 37] } }), [[1, 37]]);
  // A bare --input file is the first input's.
  assert.deepEqual(shapeOf(relu([1, "N"], true), { dataShapes: { "": [1, 9] } }), [[1, 9], [1, 4]]);
  // A WAV of 16000 samples for [1, 1, len].
  assert.deepEqual(shapeOf(relu([1, 1, "len"]), { dataShapes: { x: [16000] } }), [[1, 1, 16000]]);
  assert.deepEqual(shapeOf(relu(["batch", 3, "T"]), { dataShapes: { x: [2, 3, 5] } }), [[2, 3, 5]]);
  // An explicit shape wins over the data (the feed loader then checks the data against it).
  assert.deepEqual(shapeOf(relu([1, "N"]), { inputShapes: { x: [1, 8] }, dataShapes: { x: [1, 37] } }), [[1, 8]]);
  // Static inputs ignore the data's shape here (the feed loader compares element counts).
  assert.deepEqual(shapeOf(relu([1, 6]), { dataShapes: { x: [6] } }), [[1, 6]]);
});

test("a bare input shape applies to the first input", () => {
  assert.deepEqual(shapeOf(relu([1, "N"], true), { inputShapes: { "": [1, 11] } }), [[1, 11], [1, 4]]);
  assert.throws(() => shapeOf(relu([1, "N"]), { inputShapes: { "": [1, 11], x: [1, 12] } }), /first input 'x' twice/);
});

test("data that cannot fill the declared shape is refused in one line naming the input", () => {
  const cases: Array<[(number | string)[], number[], RegExp]> = [
    [[1, "N"], [2, 37], /input 'x': the data's shape \[2,37\] does not fit the declared \[1,N\] \(dim 0: 2 vs 1\)/],
    [[2, "N"], [7], /the data's 7 elements \[7\] do not fill the declared \[2,N\] \(not a multiple of 2\)/],
    [["B", "N"], [6], /2 dynamic dims/],
  ];
  for (const [declared, data, re] of cases) {
    assert.throws(() => shapeOf(relu(declared), { dataShapes: { x: data } }), (e: Error) => {
      assert.match(e.message, re);
      assert.match(e.message, /--input-shape x=/);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});
