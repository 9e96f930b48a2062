// Reshape-like ops, slicing, Pad, constants and folded shape arithmetic against onnxruntime-node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../../test/fixtures/onnx-compare.js";
import { INT64, type ModelSpec, type NodeSpec, type TensorSpec } from "../../../../test/fixtures/onnx-model.js";

const i64 = (name: string, data: number[], dims = [data.length]): TensorSpec => ({ name, dims, data, dataType: INT64 });
const BIG = 2 ** 62; // INT64_MAX-like "to the end" sentinel, exact in a double

function model(x: number[], nodes: NodeSpec[], inits: TensorSpec[] = [], opset = 17, outputs = ["y"]): ModelSpec {
  return { opset, inputs: [{ name: "x", shape: x }], outputs: outputs.map((name) => ({ name })), initializers: inits, nodes };
}

const CASES: Array<[string, ModelSpec, Record<string, number> | null]> = [
  ["Reshape with 0 (copy) and -1 (infer)", model([2, 3, 4], [{ op: "Reshape", inputs: ["x", "s"], outputs: ["y"] }], [i64("s", [0, -1, 2])]), { "aten.view_copy": 1 }],
  ["Flatten axis=2", model([2, 3, 4, 5], [{ op: "Flatten", inputs: ["x"], outputs: ["y"], attrs: { axis: { i: 2 } } }]), { "aten.view_copy": 1 }],
  ["Squeeze axes input (opset 13)", model([2, 1, 4, 1], [{ op: "Squeeze", inputs: ["x", "a"], outputs: ["y"] }], [i64("a", [-1, 1])], 13), null],
  ["Squeeze axes attribute (opset 11)", model([2, 1, 4], [{ op: "Squeeze", inputs: ["x"], outputs: ["y"], attrs: { axes: { ints: [1] } } }], [], 11), null],
  ["Unsqueeze axes input (opset 13)", model([2, 4], [{ op: "Unsqueeze", inputs: ["x", "a"], outputs: ["y"] }], [i64("a", [0, -1])], 13), null],
  ["Unsqueeze axes attribute (opset 11)", model([2, 4], [{ op: "Unsqueeze", inputs: ["x"], outputs: ["y"], attrs: { axes: { ints: [1] } } }], [], 11), null],
  ["Transpose perm=[2,0,1]", model([2, 3, 4], [{ op: "Transpose", inputs: ["x"], outputs: ["y"], attrs: { perm: { ints: [2, 0, 1] } } }]), { "aten.permute_copy": 1 }],
  ["Transpose default (reverse)", model([2, 3, 4], [{ op: "Transpose", inputs: ["x"], outputs: ["y"] }]), null],
  ["Concat axis=-1 with a constant piece", model([2, 3], [{ op: "Concat", inputs: ["x", "c", "x"], outputs: ["y"], attrs: { axis: { i: -1 } } }], [{ name: "c", dims: [2, 1], data: [5, 6] }]), { "aten.cat": 1 }],
  ["Split by input sizes (opset 13)", model([2, 7], [{ op: "Split", inputs: ["x", "s"], outputs: ["a", "b"], attrs: { axis: { i: 1 } } }], [i64("s", [3, 4])], 13, ["a", "b"]), { "aten.split_with_sizes_copy": 1 }],
  ["Split by attribute (opset 11)", model([6, 2], [{ op: "Split", inputs: ["x"], outputs: ["a", "b", "c"], attrs: { split: { ints: [1, 2, 3] } } }], [], 11, ["a", "b", "c"]), null],
  ["Split num_outputs=3 uneven (opset 18)", model([2, 8], [{ op: "Split", inputs: ["x"], outputs: ["a", "b", "c"], attrs: { axis: { i: 1 }, num_outputs: { i: 3 } } }], [], 18, ["a", "b", "c"]), null],
  ["Split equal without sizes (opset 13)", model([4, 3], [{ op: "Split", inputs: ["x"], outputs: ["a", "b"] }], [], 13, ["a", "b"]), null],
  ["Slice negative starts, INT64_MAX ends, steps 2", model([4, 10], [{ op: "Slice", inputs: ["x", "st", "en", "ax", "sp"], outputs: ["y"] }], [i64("st", [-8, 1]), i64("en", [BIG, 3]), i64("ax", [1, 0]), i64("sp", [2, 1])]), { "aten.slice_copy": 2 }],
  ["Slice clamps out-of-range ends, default axes", model([3, 5], [{ op: "Slice", inputs: ["x", "st", "en"], outputs: ["y"] }], [i64("st", [1, -100]), i64("en", [100, -1])]), null],
  ["Slice with a negative step reverses", model([2, 6], [{ op: "Slice", inputs: ["x", "st", "en", "ax", "sp"], outputs: ["y"] }], [i64("st", [-2]), i64("en", [-BIG]), i64("ax", [1]), i64("sp", [-2])]), null],
  ["Gather scalar index → index_select + view", model([3, 4, 5], [{ op: "Gather", inputs: ["x", "i"], outputs: ["y"], attrs: { axis: { i: 1 } } }], [i64("i", [-1], [])]), { "aten.index_select": 1, "aten.view_copy": 1 }],
  ["Gather 2-D index", model([5, 3], [{ op: "Gather", inputs: ["x", "i"], outputs: ["y"] }], [i64("i", [0, 4, 2, 2], [2, 2])]), null],
  ["Pad constant 0.5 (pads input)", model([2, 3, 4], [{ op: "Pad", inputs: ["x", "p", "v"], outputs: ["y"] }], [i64("p", [0, 1, 2, 0, 0, 1]), { name: "v", dims: [], data: [0.5] }]), { "aten.pad": 1 }],
  ["Pad reflect", model([1, 2, 6], [{ op: "Pad", inputs: ["x", "p"], outputs: ["y"], attrs: { mode: { s: "reflect" } } }], [i64("p", [0, 0, 3, 0, 0, 2])]), null],
  ["Pad with axes input (opset 18)", model([2, 3, 4], [{ op: "Pad", inputs: ["x", "p", "", "a"], outputs: ["y"] }], [i64("p", [1, 2, 3, 0]), i64("a", [-1, 1])], 18), null],
  ["ReduceMean axes attribute keepdims=0 (opset 17)", model([2, 3, 4], [{ op: "ReduceMean", inputs: ["x"], outputs: ["y"], attrs: { axes: { ints: [0, -1] }, keepdims: { i: 0 } } }]), { "aten.mean": 1 }],
  ["ReduceMean axes input (opset 18)", model([2, 3, 4], [{ op: "ReduceMean", inputs: ["x", "a"], outputs: ["y"] }], [i64("a", [1])], 18), null],
  ["ReduceMax all axes (opset 17)", model([2, 3, 4], [{ op: "ReduceMax", inputs: ["x"], outputs: ["y"] }]), { "aten.amax": 1 }],
  ["ReduceMax axes input keepdims=0 (opset 18)", model([2, 3, 4], [{ op: "ReduceMax", inputs: ["x", "a"], outputs: ["y"], attrs: { keepdims: { i: 0 } } }], [i64("a", [2])], 18), null],
  ["Identity is dropped, Cast to the same type too", model([2, 3], [
    { op: "Identity", inputs: ["x"], outputs: ["i"] },
    { op: "Cast", inputs: ["i"], outputs: ["c"], attrs: { to: { i: 1 } } },
    { op: "Relu", inputs: ["c"], outputs: ["y"] },
  ]), { "aten.relu": 1 }],
];

for (const [name, spec, counts] of CASES) {
  test(name, async () => {
    const { graph } = await compareWithOrt(spec);
    if (counts) assert.deepEqual(graph.opCounts(), counts);
  });
}

// Shape arithmetic as exporters emit it: Shape → Gather → Unsqueeze → Concat →
// Reshape, Size, Range, ConstantOfShape, Cast, Equal/Not/Where on constants.
test("shape arithmetic folds to constants: only the data path stays", async () => {
  const { graph } = await compareWithOrt(model([2, 3, 4], [
    { op: "Shape", inputs: ["x"], outputs: ["shp"] },
    { op: "Gather", inputs: ["shp", "zero"], outputs: ["n"], attrs: { axis: { i: 0 } } },
    { op: "Unsqueeze", inputs: ["n", "zero1"], outputs: ["n1"] },
    { op: "Shape", inputs: ["x"], outputs: ["tail"], attrs: { start: { i: 1 } } },
    { op: "ReduceMax", inputs: ["tail"], outputs: ["tmax"], attrs: { keepdims: { i: 1 } } },
    { op: "Concat", inputs: ["n1", "minus1"], outputs: ["newshape"], attrs: { axis: { i: 0 } } },
    { op: "Reshape", inputs: ["x", "newshape"], outputs: ["flat"] },
    { op: "Size", inputs: ["x"], outputs: ["sz"] },
    { op: "Cast", inputs: ["sz"], outputs: ["szf"], attrs: { to: { i: 1 } } },
    { op: "Div", inputs: ["flat", "szf"], outputs: ["scaled"] },
    { op: "Range", inputs: ["r0", "tmaxs", "r1"], outputs: ["rng"] },
    { op: "Cast", inputs: ["rng"], outputs: ["rngf"], attrs: { to: { i: 1 } } },
    { op: "ConstantOfShape", inputs: ["n1"], outputs: ["ones"], attrs: { value: { t: { dims: [1], data: [1] } } } },
    { op: "Equal", inputs: ["n", "two"], outputs: ["isTwo"] },
    { op: "Not", inputs: ["isTwo"], outputs: ["notTwo"] },
    { op: "Where", inputs: ["notTwo", "zero", "n"], outputs: ["pick"] },
    { op: "Cast", inputs: ["pick"], outputs: ["pickf"], attrs: { to: { i: 1 } } },
    { op: "Constant", inputs: [], outputs: ["cf"], attrs: { value_float: { f: 0.25 } } },
    { op: "Constant", inputs: [], outputs: ["ci"], attrs: { value_ints: { ints: [2, 12] } } },
    { op: "Reshape", inputs: ["rngf", "rshape"], outputs: ["rng2"] },
    { op: "Mul", inputs: ["scaled", "pickf"], outputs: ["m1"] },
    { op: "Mul", inputs: ["ones", "cf"], outputs: ["q"] },
    { op: "Reshape", inputs: ["q", "q2"], outputs: ["q3"] },
    { op: "Add", inputs: ["m1", "q3"], outputs: ["m2"] },
    { op: "Reshape", inputs: ["m2", "ci2"], outputs: ["m3"] },
    { op: "Reshape", inputs: ["m3", "ci"], outputs: ["y0"] },
    { op: "Slice", inputs: ["y0", "s0", "s1", "s2"], outputs: ["y1"] },
    { op: "Add", inputs: ["y1", "rng2"], outputs: ["y"] },
  ], [
    i64("zero", [0], []), i64("zero1", [0]), i64("minus1", [-1]), i64("two", [2], []),
    i64("r0", [0], []), i64("r1", [1], []), i64("tmaxs", [4], []), i64("rshape", [1, 4]),
    i64("q2", [2, 1]), i64("ci2", [4, 6]), i64("s0", [0]), i64("s1", [4]), i64("s2", [1]),
  ]));
  // Every shape computation folded; what is left works on x.
  assert.deepEqual(graph.opCounts(), { "aten.add": 2, "aten.div": 1, "aten.mul": 1, "aten.slice_copy": 1, "aten.view_copy": 3 });
});

// If with a constant condition (nested, as in Silero v5) is inlined; outer names stay visible.
test("nested If with folded conditions is inlined", async () => {
  const inner = {
    then: { name: "t2", inputs: [], outputs: [{ name: "t2o" }], nodes: [{ op: "Neg", inputs: ["r"], outputs: ["t2o"] }] },
    else: { name: "e2", inputs: [], outputs: [{ name: "e2o" }], nodes: [{ op: "Abs", inputs: ["r"], outputs: ["e2o"] }] },
  };
  const spec: ModelSpec = {
    opset: 16,
    inputs: [{ name: "x", shape: [2, 3] }, { name: "sr", shape: [], elemType: INT64 }],
    outputs: [{ name: "y" }],
    initializers: [i64("k16", [16000], []), i64("one", [1], [])],
    nodes: [
      { op: "Equal", inputs: ["sr", "k16"], outputs: ["is16"] },
      { op: "Relu", inputs: ["x"], outputs: ["r"] },
      {
        op: "If", inputs: ["is16"], outputs: ["y"],
        attrs: {
          then_branch: { g: {
            name: "then", inputs: [], outputs: [{ name: "y_t" }],
            nodes: [
              { op: "Shape", inputs: ["r"], outputs: ["rs"] },
              { op: "Gather", inputs: ["rs", "one"], outputs: ["d1"], attrs: { axis: { i: 0 } } },
              { op: "Equal", inputs: ["d1", "three"], outputs: ["is3"] },
              { op: "If", inputs: ["is3"], outputs: ["y_t"], attrs: { then_branch: { g: inner.then }, else_branch: { g: inner.else } } },
            ],
            initializers: [i64("three", [3], [])],
          } },
          else_branch: { g: { name: "else", inputs: [], outputs: [{ name: "y_e" }], nodes: [{ op: "Sigmoid", inputs: ["x"], outputs: ["y_e"] }] } },
        },
      },
    ],
  };
  const a = await compareWithOrt(spec, { bind: { sr: 16000 } });
  assert.deepEqual(a.graph.opCounts(), { "aten.neg": 1, "aten.relu": 1 });
  const b = await compareWithOrt(spec, { bind: { sr: 8000 } });
  assert.deepEqual(b.graph.opCounts(), { "aten.sigmoid": 1 });
});

test("typed tensor fields (float_data, int64_data) decode like raw_data", async () => {
  await compareWithOrt(model([2, 3], [
    { op: "Reshape", inputs: ["x", "s"], outputs: ["r"] },
    { op: "Mul", inputs: ["r", "w"], outputs: ["y"] },
  ], [{ name: "s", dims: [1], data: [6], dataType: INT64, typed: true }, { name: "w", dims: [6], data: [1, 2, 3, -4, 0.5, 6], typed: true }]));
});
