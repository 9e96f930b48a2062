// Conv / ConvTranspose / pools / Resize against onnxruntime-node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../../test/fixtures/onnx-compare.js";
import { seededValues, type AttrSpec, type TensorSpec } from "../../../../test/fixtures/onnx-model.js";

const w = (name: string, dims: number[], seed: number): TensorSpec => ({ name, dims, data: seededValues(dims.reduce((a, b) => a * b, 1), seed, -0.5, 0.5) });

function convCase(op: string, x: number[], wd: number[], attrs: Record<string, AttrSpec>, bias = true) {
  const inits = [w("W", wd, 11)];
  if (bias) inits.push(w("B", [op === "Conv" ? wd[0]! : wd[1]! * ((attrs.group as { i: number } | undefined)?.i ?? 1)], 12));
  return {
    inputs: [{ name: "x", shape: x }],
    outputs: [{ name: "y" }],
    initializers: inits,
    nodes: [{ op, inputs: bias ? ["x", "W", "B"] : ["x", "W"], outputs: ["y"], attrs }],
  };
}

const CASES: Array<[string, ReturnType<typeof convCase>]> = [
  ["Conv 1-D x=[1,4,20] w=[6,2,3] groups=2 dilation=2 pads=[1,2] stride=2",
    convCase("Conv", [1, 4, 20], [6, 2, 3], { group: { i: 2 }, dilations: { ints: [2] }, pads: { ints: [1, 2] }, strides: { ints: [2] } })],
  ["Conv 2-D x=[1,3,9,9] w=[4,3,3,3] SAME_UPPER stride=2",
    convCase("Conv", [1, 3, 9, 9], [4, 3, 3, 3], { auto_pad: { s: "SAME_UPPER" }, strides: { ints: [2, 2] } })],
  ["Conv 2-D x=[1,2,7,8] w=[3,2,4,4] SAME_LOWER (asymmetric pads)",
    convCase("Conv", [1, 2, 7, 8], [3, 2, 4, 4], { auto_pad: { s: "SAME_LOWER" } }, false)],
  ["Conv 2-D depthwise x=[2,3,6,6] w=[6,1,3,3] VALID groups=3",
    convCase("Conv", [2, 3, 6, 6], [6, 1, 3, 3], { auto_pad: { s: "VALID" }, group: { i: 3 } })],
  ["ConvTranspose 2-D x=[1,3,4,5] w=[3,2,3,3] stride=2 pads=1 output_padding=1",
    convCase("ConvTranspose", [1, 3, 4, 5], [3, 2, 3, 3], { strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] }, output_padding: { ints: [1, 1] } })],
  ["ConvTranspose 2-D x=[1,4,3,3] w=[4,1,2,2] groups=2 output_shape=[6,6]",
    convCase("ConvTranspose", [1, 4, 3, 3], [4, 1, 2, 2], { group: { i: 2 }, strides: { ints: [2, 2] }, output_shape: { ints: [6, 6] } })],
];

for (const [name, spec] of CASES) {
  test(name, async () => {
    const { graph } = await compareWithOrt(spec, { atol: 1e-5, rtol: 1e-4 });
    assert.equal(graph.opCounts()["aten.convolution"], 1);
  });
}

const POOLS: Array<[string, string, number[], Record<string, AttrSpec>]> = [
  ["MaxPool 2-D k=3 s=2 pads=[0,0,1,1] ceil_mode", "MaxPool", [1, 2, 8, 9], { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [0, 0, 1, 1] }, ceil_mode: { i: 1 } }],
  ["MaxPool 1-D k=2 s=2", "MaxPool", [1, 3, 10], { kernel_shape: { ints: [2] }, strides: { ints: [2] } }],
  ["MaxPool 2-D SAME_UPPER k=3 s=2", "MaxPool", [1, 2, 7, 7], { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, auto_pad: { s: "SAME_UPPER" } }],
  ["AveragePool 2-D k=3 pads=1 count_include_pad=0", "AveragePool", [1, 2, 6, 6], { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] } }],
  ["AveragePool 2-D k=2 pads=[1,1,0,0] count_include_pad=1", "AveragePool", [1, 2, 5, 5], { kernel_shape: { ints: [2, 2] }, pads: { ints: [1, 1, 0, 0] }, count_include_pad: { i: 1 } }],
  ["AveragePool 1-D k=4 s=4", "AveragePool", [2, 3, 16], { kernel_shape: { ints: [4] }, strides: { ints: [4] } }],
  ["GlobalAveragePool x=[2,3,4,5]", "GlobalAveragePool", [2, 3, 4, 5], {}],
];

for (const [name, op, x, attrs] of POOLS) {
  test(name, async () => {
    await compareWithOrt({ inputs: [{ name: "x", shape: x }], outputs: [{ name: "y" }], nodes: [{ op, inputs: ["x"], outputs: ["y"], attrs }] });
  });
}

test("Resize nearest scales=[1,1,2,2] (half_pixel, round_prefer_floor defaults)", async () => {
  const { graph } = await compareWithOrt({
    opset: 13,
    inputs: [{ name: "x", shape: [1, 2, 3, 4] }],
    outputs: [{ name: "y" }],
    initializers: [{ name: "scales", dims: [4], data: [1, 1, 2, 2] }],
    nodes: [{ op: "Resize", inputs: ["x", "", "scales"], outputs: ["y"], attrs: { mode: { s: "nearest" } } }],
  });
  assert.deepEqual(graph.opCounts(), { "aten.upsample_nearest2d": 1 });
});

test("Resize nearest sizes ×3 (asymmetric, floor)", async () => {
  await compareWithOrt({
    opset: 13,
    inputs: [{ name: "x", shape: [1, 1, 2, 3] }],
    outputs: [{ name: "y" }],
    initializers: [{ name: "sizes", dims: [4], data: [1, 1, 6, 9], dataType: 7 }],
    nodes: [{
      op: "Resize", inputs: ["x", "", "", "sizes"], outputs: ["y"],
      attrs: { mode: { s: "nearest" }, coordinate_transformation_mode: { s: "asymmetric" }, nearest_mode: { s: "floor" } },
    }],
  });
});
