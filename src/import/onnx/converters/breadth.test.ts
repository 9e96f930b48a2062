// Converters added for issue 14 (importer breadth) against onnxruntime-node, the float
// oracle: every model is imported, run by the float interpreter and by onnxruntime on
// the same inputs, and compared element by element. Older opsets (7, 9, 10) are tested
// in their own attribute forms.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../../test/fixtures/onnx-compare.js";
import { BOOL, INT64, seededValues, type AttrSpec, type ModelSpec, type NodeSpec, type TensorSpec } from "../../../../test/fixtures/onnx-model.js";

const ints = (name: string, data: number[], dims = [data.length]): TensorSpec => ({ name, dims, data, dataType: INT64 });
const floats = (name: string, data: number[], dims = [data.length]): TensorSpec => ({ name, dims, data });

function one(op: string, shape: number[], opts: { attrs?: Record<string, AttrSpec>; opset?: number; extra?: string[]; inits?: TensorSpec[]; outputs?: string[] } = {}): ModelSpec {
  const outputs = opts.outputs ?? ["y"];
  return {
    opset: opts.opset ?? 17,
    inputs: [{ name: "x", shape }],
    outputs: outputs.map((name) => ({ name })),
    initializers: opts.inits ?? [],
    nodes: [{ op, inputs: ["x", ...(opts.extra ?? [])], outputs, attrs: opts.attrs ?? {} }],
  };
}

const opsOf = (g: { opCounts(): Record<string, number> }) => g.opCounts();

// ---- Resize / Upsample ------------------------------------------------------------------

const COORDS = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn", "half_pixel_symmetric"];
const ROUNDINGS = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];

for (const coord of COORDS) {
  test(`Resize nearest, ${coord}, every nearest_mode, with sizes and with scales (up and down)`, async () => {
    for (const nearest of ROUNDINGS) {
      const attrs = { mode: { s: "nearest" }, coordinate_transformation_mode: { s: coord }, nearest_mode: { s: nearest } };
      await compareWithOrt(one("Resize", [1, 2, 5, 6], { attrs, opset: 19, extra: ["", "", "sizes"], inits: [ints("sizes", [1, 2, 7, 4])] }));
      await compareWithOrt(one("Resize", [1, 2, 5, 6], { attrs, opset: 19, extra: ["", "scales"], inits: [floats("scales", [1, 1, 1.5, 0.6])] }));
    }
  });
}

for (const coord of ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]) {
  test(`Resize linear (bilinear), ${coord}, with sizes and with scales`, async () => {
    const attrs = { mode: { s: "linear" }, coordinate_transformation_mode: { s: coord } };
    const { graph } = await compareWithOrt(one("Resize", [1, 3, 4, 5], { attrs, opset: 13, extra: ["", "", "sizes"], inits: [ints("sizes", [1, 3, 7, 3])] }));
    assert.ok(opsOf(graph)["aten.index_select"]! >= 2, JSON.stringify(opsOf(graph)));
    await compareWithOrt(one("Resize", [1, 3, 4, 5], { attrs, opset: 13, extra: ["", "scales"], inits: [floats("scales", [1, 1, 2, 1.6])] }));
  });
}

test("Resize (opset 18) with an axes attribute: sizes name the listed axes only", async () => {
  await compareWithOrt(one("Resize", [1, 2, 3, 4], {
    attrs: { mode: { s: "linear" }, axes: { ints: [3, 2] } }, opset: 18, extra: ["", "", "sizes"], inits: [ints("sizes", [6, 5])],
  }));
});

test("Resize nearest ×2 keeps aten.upsample_nearest2d; opset 11 with an empty roi", async () => {
  const { graph } = await compareWithOrt(one("Resize", [1, 2, 3, 4], {
    attrs: { mode: { s: "nearest" }, coordinate_transformation_mode: { s: "asymmetric" }, nearest_mode: { s: "floor" } },
    opset: 11, extra: ["roi", "scales"], inits: [floats("roi", [], [0]), floats("scales", [1, 1, 2, 2])],
  }));
  assert.deepEqual(opsOf(graph), { "aten.upsample_nearest2d": 1 });
});

test("Resize-10 and Upsample-9 (scales input), Upsample-7 (scales attribute): nearest and linear", async () => {
  for (const mode of ["nearest", "linear"]) {
    await compareWithOrt(one("Resize", [1, 2, 3, 4], { attrs: { mode: { s: mode } }, opset: 10, extra: ["scales"], inits: [floats("scales", [1, 1, 2.5, 0.5])] }));
    await compareWithOrt(one("Upsample", [1, 2, 3, 4], { attrs: { mode: { s: mode } }, opset: 9, extra: ["scales"], inits: [floats("scales", [1, 1, 2, 3])] }));
    await compareWithOrt(one("Upsample", [1, 2, 3, 4], { attrs: { mode: { s: mode }, scales: { floats: [1, 1, 2, 1.5] } }, opset: 7 }));
  }
});

// ---- normalization ---------------------------------------------------------------------

const C = 3;
const bnInits = (p: string): TensorSpec[] => [
  floats(`${p}s`, seededValues(C, 11, 0.5, 1.5)), floats(`${p}b`, seededValues(C, 12)),
  floats(`${p}m`, seededValues(C, 13)), floats(`${p}v`, seededValues(C, 14, 0.2, 2)),
];
const bn = (x: string, y: string, p: string, attrs: Record<string, AttrSpec> = {}): NodeSpec =>
  ({ op: "BatchNormalization", inputs: [x, `${p}s`, `${p}b`, `${p}m`, `${p}v`], outputs: [y], attrs: { epsilon: { f: 1e-3 }, ...attrs } });

test("BatchNormalization after a Conv that nothing else reads folds into it (opset 9 and 15)", async () => {
  for (const opset of [9, 15]) {
    const { graph } = await compareWithOrt({
      opset, inputs: [{ name: "x", shape: [1, 2, 6, 6] }], outputs: [{ name: "y" }],
      initializers: [floats("W", seededValues(C * 2 * 9, 3), [C, 2, 3, 3]), floats("Bc", seededValues(C, 4)), ...bnInits("n")],
      nodes: [{ op: "Conv", inputs: ["x", "W", "Bc"], outputs: ["c"], attrs: { pads: { ints: [1, 1, 1, 1] } } }, bn("c", "y", "n")],
    }, { rtol: 1e-4, atol: 1e-5 });
    assert.deepEqual(opsOf(graph), { "aten.convolution": 1 });
  }
});

test("BatchNormalization after a Conv read twice, on an input (opset 7, spatial=1), and after Gemm (folded)", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "x", shape: [1, 2, 5, 5] }], outputs: [{ name: "y" }, { name: "c" }],
    initializers: [floats("W", seededValues(C * 2, 3), [C, 2, 1, 1]), ...bnInits("n")],
    nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["c"] }, bn("c", "y", "n")],
  }, { rtol: 1e-4 });
  // Not folded: the conv stays and the BatchNormalization is a depthwise 1×1 convolution.
  assert.deepEqual(opsOf(graph), { "aten.convolution": 2 });
  assert.equal(graph.nodes.find((nd) => nd.name.includes("BatchNormalization"))?.attrs.groups, C);
  await compareWithOrt({
    opset: 7, inputs: [{ name: "x", shape: [2, C, 4] }], outputs: [{ name: "y" }], initializers: bnInits("n"),
    nodes: [bn("x", "y", "n", { spatial: { i: 1 } })],
  }, { rtol: 1e-4 });
  const gemm = await compareWithOrt({
    inputs: [{ name: "x", shape: [2, 4] }], outputs: [{ name: "y" }],
    initializers: [floats("B", seededValues(4 * C, 5), [4, C]), floats("Cb", seededValues(C, 6)), ...bnInits("n")],
    nodes: [{ op: "Gemm", inputs: ["x", "B", "Cb"], outputs: ["g"] }, bn("g", "y", "n")],
  }, { rtol: 1e-4 });
  assert.deepEqual(opsOf(gemm.graph), { "aten.linear": 1 });
});

test("LayerNormalization over the last two dims, InstanceNormalization, and LRN", async () => {
  await compareWithOrt(one("LayerNormalization", [2, 3, 4], {
    attrs: { axis: { i: -2 }, epsilon: { f: 1e-5 } }, extra: ["s", "b"],
    inits: [floats("s", seededValues(12, 1), [3, 4]), floats("b", seededValues(12, 2), [3, 4])],
  }), { rtol: 1e-4, atol: 1e-5 });
  const inst = await compareWithOrt(one("InstanceNormalization", [2, 3, 4, 5], {
    attrs: { epsilon: { f: 1e-3 } }, extra: ["s", "b"], inits: [floats("s", seededValues(3, 1)), floats("b", seededValues(3, 2))],
  }), { rtol: 1e-4, atol: 1e-5 });
  assert.equal(inst.graph.nodes.find((nd) => nd.op === "aten.convolution")?.attrs.groups, 3, "the per-channel affine is a depthwise 1×1 conv");
  await compareWithOrt(one("LRN", [1, 5, 3, 3], { attrs: { size: { i: 3 }, alpha: { f: 0.02 }, beta: { f: 0.75 }, bias: { f: 1.5 } } }), { rtol: 1e-5 });
  await compareWithOrt(one("LRN", [1, 6, 2, 2], { attrs: { size: { i: 5 } }, opset: 9 }), { rtol: 1e-5 });
});

test("Dropout (opset 7 ratio attribute, opset 13 ratio input) with its mask output, and Identity", async () => {
  const masked = (opset: number, attrs: Record<string, AttrSpec>, extra: string[], inits: TensorSpec[], maskType?: number): ModelSpec => ({
    opset, inputs: [{ name: "x", shape: [2, 3] }], outputs: [{ name: "y" }, { name: "mask", elemType: maskType }], initializers: inits,
    nodes: [{ op: "Dropout", inputs: ["x", ...extra], outputs: ["d", "mask"], attrs }, { op: "Relu", inputs: ["d"], outputs: ["y"] }],
  });
  await compareWithOrt(masked(7, { ratio: { f: 0.3 } }, [], []));
  await compareWithOrt(masked(13, {}, ["r"], [floats("r", [0.5], [])], BOOL));
  const { graph } = await compareWithOrt({
    inputs: [{ name: "x", shape: [2, 3] }], outputs: [{ name: "y" }],
    nodes: [{ op: "Identity", inputs: ["x"], outputs: ["i"] }, { op: "Dropout", inputs: ["i"], outputs: ["d", "unused_mask"] }, { op: "Relu", inputs: ["d"], outputs: ["y"] }],
  });
  assert.deepEqual(opsOf(graph), { "aten.relu": 1 });
});

// ---- elementwise -----------------------------------------------------------------------

test("Sum, Mean, Max, Min of three inputs with broadcasting", async () => {
  for (const op of ["Sum", "Mean", "Max", "Min"]) {
    await compareWithOrt({
      inputs: [{ name: "x", shape: [2, 3, 4] }, { name: "v", shape: [4] }], outputs: [{ name: "y" }],
      initializers: [floats("c", seededValues(3, 9), [3, 1])],
      nodes: [{ op, inputs: ["x", "v", "c"], outputs: ["y"] }],
    });
  }
});

test("Clip with bounds computed by the graph (a top-dB floor), and Clip-6 attributes at opset 7", async () => {
  const { graph } = await compareWithOrt({
    opset: 13, inputs: [{ name: "x", shape: [2, 8] }], outputs: [{ name: "y" }],
    initializers: [floats("db", [1.5], []), floats("hi", [1.25], [])],
    nodes: [
      { op: "ReduceMax", inputs: ["x"], outputs: ["m"], attrs: { keepdims: { i: 0 } } },
      { op: "Sub", inputs: ["m", "db"], outputs: ["floor"] },
      { op: "Clip", inputs: ["x", "floor", "hi"], outputs: ["y"] },
    ],
  });
  assert.equal(opsOf(graph)["aten.maximum"], 1);
  assert.equal(opsOf(graph)["aten.minimum"], 1);
  await compareWithOrt(one("Clip", [2, 8], { opset: 7, attrs: { min: { f: -0.5 }, max: { f: 0.75 } } }));
  await compareWithOrt(one("Clip", [2, 8], { opset: 9, attrs: { max: { f: 0.25 } } }));
});

test("comparisons, Where, Not/And/Or (bool outputs)", async () => {
  const cmp = ["Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual"];
  const nodes: NodeSpec[] = cmp.map((op) => ({ op, inputs: ["x", "t"], outputs: [op] }));
  nodes.push(
    { op: "Not", inputs: ["Less"], outputs: ["not"] },
    { op: "And", inputs: ["Greater", "Equal"], outputs: ["and"] },
    { op: "Or", inputs: ["Less", "Equal"], outputs: ["or"] },
    { op: "Where", inputs: ["GreaterOrEqual", "x", "t"], outputs: ["where"] },
  );
  const feeds = { x: [0, 1, -1, 0.5, 2, -2, 0.5, 1.5, 0, 0, 3, -3] };
  await compareWithOrt({
    inputs: [{ name: "x", shape: [3, 4] }], outputs: [...cmp, "not", "and", "or", "where"].map((name) => ({ name, elemType: name === "where" ? undefined : BOOL })),
    initializers: [floats("t", [0, 0.5, 1, -1], [4])], nodes,
  }, { feeds });
});

test("If on run-time data: both branches computed, the output selected", async () => {
  const branch = (op: string): AttrSpec => ({ g: { inputs: [], outputs: [{ name: `${op}_o` }], nodes: [{ op, inputs: ["x"], outputs: [`${op}_o`] }] } });
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape: [2, 3] }], outputs: [{ name: "y" }],
    initializers: [floats("zero", [0], [])],
    nodes: [
      { op: "ReduceSum", inputs: ["x"], outputs: ["s"], attrs: { keepdims: { i: 0 } } },
      { op: "Greater", inputs: ["s", "zero"], outputs: ["flag"] },
      { op: "If", inputs: ["flag"], outputs: ["y"], attrs: { then_branch: branch("Relu"), else_branch: branch("Neg") } },
    ],
  };
  const { graph } = await compareWithOrt(spec, { feeds: { x: [1, 2, 3, -1, -1, -1] } });
  assert.equal(opsOf(graph)["aten.where"], 1);
  await compareWithOrt(spec, { feeds: { x: [-1, -2, -3, 1, 1, 1] } });
});

test("PRelu (per channel and one slope), Erf, Gelu, HardSwish", async () => {
  const { graph } = await compareWithOrt(one("PRelu", [1, 3, 2, 2], { extra: ["s"], inits: [floats("s", [0.1, -0.5, 2], [3, 1, 1])] }));
  assert.deepEqual(opsOf(graph), { "aten.minimum": 1, "aten.relu": 1, "aten.convolution": 1, "aten.add": 1 });
  // A slope that varies along the last dim is not per channel: max + mul by the broadcast slope.
  const general = await compareWithOrt(one("PRelu", [1, 3, 2, 2], { extra: ["s"], inits: [floats("s", [0.1, -0.5], [2])] }));
  assert.equal(opsOf(general.graph)["aten.maximum"], 1);
  const single = await compareWithOrt(one("PRelu", [1, 3, 2, 2], { extra: ["s"], inits: [floats("s", [0.25], [1])], opset: 9 }));
  assert.deepEqual(opsOf(single.graph), { "aten.leaky_relu": 1 });
  await compareWithOrt(one("Erf", [2, 3, 4]), { rtol: 1e-6, atol: 1e-7 });
  await compareWithOrt(one("Gelu", [2, 3, 4], { opset: 20 }), { rtol: 1e-6, atol: 1e-7 });
  await compareWithOrt(one("HardSwish", [2, 3, 4], { opset: 14 }));
});

// ---- reductions and pools --------------------------------------------------------------

test("ReduceMax/Min/Sum/Mean/L1/L2/SumSquare/LogSum: axes attribute (opsets 9, 11) and input (13 for Sum, 18)", async () => {
  const reds = ["ReduceMax", "ReduceMin", "ReduceSum", "ReduceMean", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum"];
  for (const op of reds) {
    for (const opset of [9, 11, 18]) {
      const asInput = opset >= 18 || (op === "ReduceSum" && opset >= 13);
      const spec = asInput
        ? one(op, [2, 3, 4], { opset, extra: ["axes"], inits: [ints("axes", [0, -1])], attrs: { keepdims: { i: 0 } } })
        : one(op, [2, 3, 4], { opset, attrs: { axes: { ints: [0, -1] }, keepdims: { i: 0 } } });
      // LogSum needs a positive sum.
      const feeds = op === "ReduceLogSum" ? { x: seededValues(24, 3, 0.1, 2) } : undefined;
      await compareWithOrt(spec, { feeds, rtol: 1e-5 });
    }
    await compareWithOrt(one(op, [2, 3, 4], { opset: 13, ...(op === "ReduceSum" ? {} : {}) }), { feeds: { x: seededValues(24, 5, 0.1, 2) }, rtol: 1e-5 });
  }
});

test("GlobalAveragePool and GlobalMaxPool", async () => {
  await compareWithOrt(one("GlobalAveragePool", [1, 3, 4, 5]));
  await compareWithOrt(one("GlobalMaxPool", [1, 3, 4, 5]));
});

// ---- shapes ----------------------------------------------------------------------------

test("Flatten, Expand (both directions), Tile", async () => {
  await compareWithOrt(one("Flatten", [2, 3, 4], { attrs: { axis: { i: 2 } }, opset: 9 }));
  const { graph } = await compareWithOrt(one("Expand", [3, 1], { extra: ["shape"], inits: [ints("shape", [2, 1, 4])] }));
  assert.ok(opsOf(graph)["aten.index_select"]);
  await compareWithOrt(one("Expand", [1, 3, 1], { extra: ["shape"], inits: [ints("shape", [2, 1, 1])] }));
  await compareWithOrt(one("Tile", [2, 3], { extra: ["r"], inits: [ints("r", [2, 3])] }));
});

test("Gemm with transA/transB/alpha/beta (constant and run-time B), MatMul with broadcasting", async () => {
  for (const [transA, transB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    const aShape = transA ? [4, 2] : [2, 4];
    const bShape = transB ? [3, 4] : [4, 3];
    const attrs = { transA: { i: transA! }, transB: { i: transB! }, alpha: { f: 0.5 }, beta: { f: 2 } };
    await compareWithOrt({
      inputs: [{ name: "a", shape: aShape }], outputs: [{ name: "y" }],
      initializers: [floats("b", seededValues(12, 2), bShape), floats("c", seededValues(3, 3), [3])],
      nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"], attrs }],
    }, { rtol: 1e-5 });
    await compareWithOrt({
      inputs: [{ name: "a", shape: aShape }, { name: "b", shape: bShape }], outputs: [{ name: "y" }],
      initializers: [floats("c", seededValues(6, 3), [2, 3])],
      nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"], attrs }],
    }, { rtol: 1e-5 });
  }
  await compareWithOrt({
    inputs: [{ name: "a", shape: [2, 1, 3, 4] }, { name: "b", shape: [5, 4, 2] }], outputs: [{ name: "y" }],
    nodes: [{ op: "MatMul", inputs: ["a", "b"], outputs: ["y"] }],
  }, { rtol: 1e-5 });
  await compareWithOrt({
    inputs: [{ name: "a", shape: [4] }, { name: "b", shape: [3, 4, 2] }], outputs: [{ name: "y" }],
    nodes: [{ op: "MatMul", inputs: ["a", "b"], outputs: ["y"] }],
  }, { rtol: 1e-5 });
});

// ---- opset upgrades (7 and 9) ----------------------------------------------------------

test("opset 9 Slice/Pad/Squeeze/Unsqueeze/Split attributes and an opset 7 CNN block", async () => {
  await compareWithOrt({
    opset: 9, inputs: [{ name: "x", shape: [1, 2, 6, 5] }], outputs: [{ name: "a" }, { name: "b" }],
    nodes: [
      { op: "Slice", inputs: ["x"], outputs: ["s"], attrs: { starts: { ints: [1, -4] }, ends: { ints: [6, 1000] }, axes: { ints: [2, 3] } } },
      { op: "Pad", inputs: ["s"], outputs: ["p"], attrs: { pads: { ints: [0, 0, 1, 2, 0, 0, 0, 1] }, value: { f: 0.5 } } },
      { op: "Split", inputs: ["p"], outputs: ["p0", "p1"], attrs: { axis: { i: 1 }, split: { ints: [1, 1] } } },
      { op: "Squeeze", inputs: ["p0"], outputs: ["q"], attrs: { axes: { ints: [1] } } },
      { op: "Unsqueeze", inputs: ["q"], outputs: ["a"], attrs: { axes: { ints: [0] } } },
      { op: "Relu", inputs: ["p1"], outputs: ["b"] },
    ],
  });
  const { graph } = await compareWithOrt({
    opset: 7, inputs: [{ name: "x", shape: [1, 2, 8, 8] }], outputs: [{ name: "y" }],
    initializers: [floats("W", seededValues(C * 2 * 9, 3), [C, 2, 3, 3]), ...bnInits("n"), floats("fw", seededValues(C * 4, 8), [C, 4]), floats("fb", seededValues(4, 9), [4])],
    nodes: [
      { op: "Conv", inputs: ["x", "W"], outputs: ["c"], attrs: { pads: { ints: [1, 1, 1, 1] } } },
      bn("c", "b", "n", { spatial: { i: 1 } }),
      { op: "Relu", inputs: ["b"], outputs: ["r"] },
      { op: "MaxPool", inputs: ["r"], outputs: ["m"], attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } } },
      { op: "Dropout", inputs: ["m"], outputs: ["d"], attrs: { ratio: { f: 0.5 } } },
      { op: "GlobalAveragePool", inputs: ["d"], outputs: ["g"] },
      { op: "Flatten", inputs: ["g"], outputs: ["f"] },
      { op: "Gemm", inputs: ["f", "fw", "fb"], outputs: ["y"], attrs: { transB: { i: 0 } } },
    ],
  }, { rtol: 1e-4, atol: 1e-5 });
  assert.equal(opsOf(graph)["aten.mul"], undefined, "the BatchNormalization folds into the Conv");
});

test("Greater on a float tensor And a bool constant", async () => {
  await compareWithOrt({
    inputs: [{ name: "x", shape: [2, 3] }], outputs: [{ name: "y", elemType: BOOL }],
    initializers: [{ name: "k", dims: [3], data: [1, 0, 1], dataType: BOOL }, floats("zero", [0], [])],
    nodes: [
      { op: "Greater", inputs: ["x", "zero"], outputs: ["pos"] },
      { op: "And", inputs: ["pos", "k"], outputs: ["y"] },
    ],
  });
});
