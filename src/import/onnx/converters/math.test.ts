// Activations, elementwise ops, Gemm/MatMul against onnxruntime-node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../../test/fixtures/onnx-compare.js";
import { seededValues, type AttrSpec, type ModelSpec, type TensorSpec } from "../../../../test/fixtures/onnx-model.js";

const X = [2, 3, 4];

function unaryModel(op: string, attrs: Record<string, AttrSpec> = {}, opset = 17, extraInputs: string[] = [], inits: TensorSpec[] = []): ModelSpec {
  return {
    opset,
    inputs: [{ name: "x", shape: X }],
    outputs: [{ name: "y" }],
    initializers: inits,
    nodes: [{ op, inputs: ["x", ...extraInputs], outputs: ["y"], attrs }],
  };
}

const scalar = (name: string, v: number): TensorSpec => ({ name, dims: [], data: [v] });

const UNARY: Array<[string, ModelSpec, string | null]> = [
  ["Relu", unaryModel("Relu"), "aten.relu"],
  ["LeakyRelu alpha=0.2", unaryModel("LeakyRelu", { alpha: { f: 0.2 } }), "aten.leaky_relu"],
  ["Clip min/max inputs (relu6-like)", unaryModel("Clip", {}, 17, ["lo", "hi"], [scalar("lo", 0), scalar("hi", 1.5)]), "aten.hardtanh"],
  ["Clip min only", unaryModel("Clip", {}, 17, ["lo"], [scalar("lo", -0.5)]), "aten.clamp"],
  ["HardSigmoid default alpha=0.2", unaryModel("HardSigmoid"), "aten.clamp"],
  ["HardSigmoid alpha=1/6 beta=0.5", unaryModel("HardSigmoid", { alpha: { f: 1 / 6 }, beta: { f: 0.5 } }), "aten.hardsigmoid"],
  ["HardSwish", unaryModel("HardSwish"), "aten.hardswish"],
  ["Gelu opset 20 (exact)", unaryModel("Gelu", {}, 20), "aten.gelu"],
  ["Sigmoid", unaryModel("Sigmoid"), "aten.sigmoid"],
  ["Tanh", unaryModel("Tanh"), "aten.tanh"],
  ["Softmax opset 13 axis=1", unaryModel("Softmax", { axis: { i: 1 } }, 13), "aten.softmax"],
  ["Softmax opset 11 axis=1 (coerced 2-D over dims 1..2)", unaryModel("Softmax", { axis: { i: 1 } }, 11), "aten.softmax"],
  ["LogSoftmax opset 11 default axis (1, coerced)", unaryModel("LogSoftmax", {}, 11), "aten.log_softmax"],
  ["LogSoftmax opset 13 axis=-2", unaryModel("LogSoftmax", { axis: { i: -2 } }, 13), "aten.log_softmax"],
  ["Abs", unaryModel("Abs"), "aten.abs"],
  ["Neg", unaryModel("Neg"), "aten.neg"],
  ["Exp", unaryModel("Exp"), "aten.exp"],
];

for (const [name, spec, op] of UNARY) {
  test(name, async () => {
    const { graph } = await compareWithOrt(spec);
    if (op) assert.ok(graph.opCounts()[op], `expected ${op} in ${JSON.stringify(graph.opCounts())}`);
  });
}

test("Log and Sqrt of |x| + 0.1 (positive domain)", async () => {
  await compareWithOrt({
    inputs: [{ name: "x", shape: X }],
    outputs: [{ name: "a" }, { name: "b" }],
    initializers: [scalar("eps", 0.1)],
    nodes: [
      { op: "Abs", inputs: ["x"], outputs: ["ax"] },
      { op: "Add", inputs: ["ax", "eps"], outputs: ["p"] },
      { op: "Log", inputs: ["p"], outputs: ["a"] },
      { op: "Sqrt", inputs: ["p"], outputs: ["b"] },
    ],
  });
});

test("binary ops with broadcasting: Add Sub Mul Div Pow", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "x", shape: X }, { name: "v", shape: [4] }],
    outputs: [{ name: "add" }, { name: "sub" }, { name: "mul" }, { name: "div" }, { name: "pow" }],
    initializers: [{ name: "two", dims: [1, 3, 1], data: [2, 3, 0.5] }, scalar("eps", 0.5)],
    nodes: [
      { op: "Add", inputs: ["x", "v"], outputs: ["add"] },
      { op: "Sub", inputs: ["v", "x"], outputs: ["sub"] },
      { op: "Mul", inputs: ["x", "two"], outputs: ["mul"] },
      { op: "Abs", inputs: ["v"], outputs: ["av"] },
      { op: "Add", inputs: ["av", "eps"], outputs: ["den"] },
      { op: "Div", inputs: ["x", "den"], outputs: ["div"] },
      { op: "Abs", inputs: ["x"], outputs: ["ax"] },
      { op: "Pow", inputs: ["ax", "two"], outputs: ["pow"] },
    ],
  }, { rtol: 1e-5 });
  assert.equal(graph.opCounts()["aten.pow"], 1);
});

test("Max and Min are variadic (three inputs → two chained ops)", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "a", shape: X }, { name: "b", shape: X }, { name: "c", shape: [4] }],
    outputs: [{ name: "mx" }, { name: "mn" }],
    nodes: [
      { op: "Max", inputs: ["a", "b", "c"], outputs: ["mx"] },
      { op: "Min", inputs: ["a", "b", "c"], outputs: ["mn"] },
    ],
  });
  assert.equal(graph.opCounts()["aten.maximum"], 2);
  assert.equal(graph.opCounts()["aten.minimum"], 2);
});

test("Where(Not(Equal(x, k)), x, -x) at run time", async () => {
  const k = [0.5, -1, 2, 0];
  const x = Array.from({ length: 24 }, (_, i) => k[i % 4]! * (i % 3 === 0 ? 1 : -1));
  await compareWithOrt({
    inputs: [{ name: "x", shape: X }],
    outputs: [{ name: "y" }],
    initializers: [{ name: "k", dims: [4], data: k }],
    nodes: [
      { op: "Equal", inputs: ["x", "k"], outputs: ["eq"] },
      { op: "Not", inputs: ["eq"], outputs: ["ne"] },
      { op: "Neg", inputs: ["x"], outputs: ["nx"] },
      { op: "Where", inputs: ["ne", "x", "nx"], outputs: ["y"] },
    ],
  }, { feeds: { x } });
});

const mat = (name: string, dims: number[], seed: number): TensorSpec => ({ name, dims, data: seededValues(dims[0]! * dims[1]!, seed) });

test("Gemm transB=1 alpha=0.5 beta=2 constant B and C → aten.linear", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "a", shape: [3, 5] }],
    outputs: [{ name: "y" }],
    initializers: [mat("B", [4, 5], 3), { name: "C", dims: [4], data: [0.1, -0.2, 0.3, 0.4] }],
    nodes: [{ op: "Gemm", inputs: ["a", "B", "C"], outputs: ["y"], attrs: { transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } } }],
  });
  assert.deepEqual(graph.opCounts(), { "aten.linear": 1 });
});

test("Gemm transA=1 with run-time B and C [1,N]", async () => {
  await compareWithOrt({
    inputs: [{ name: "a", shape: [5, 3] }, { name: "b", shape: [5, 4] }, { name: "c", shape: [1, 4] }],
    outputs: [{ name: "y" }],
    nodes: [{ op: "Gemm", inputs: ["a", "b", "c"], outputs: ["y"], attrs: { transA: { i: 1 }, alpha: { f: 1.5 } } }],
  });
});

test("MatMul with a constant 2-D rhs on a 3-D lhs → linear with the transposed weight", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "a", shape: [2, 3, 5] }],
    outputs: [{ name: "y" }],
    initializers: [mat("B", [5, 6], 9)],
    nodes: [{ op: "MatMul", inputs: ["a", "B"], outputs: ["y"] }],
  });
  assert.deepEqual(graph.opCounts(), { "aten.linear": 1 });
  const wt = graph.nodes[0]!.input(1);
  assert.deepEqual(wt.shape, [6, 5]);
});

test("MatMul of two run-time tensors (batched) → aten.matmul", async () => {
  const { graph } = await compareWithOrt({
    inputs: [{ name: "a", shape: [2, 3, 5] }, { name: "b", shape: [2, 5, 4] }],
    outputs: [{ name: "y" }],
    nodes: [{ op: "MatMul", inputs: ["a", "b"], outputs: ["y"] }],
  });
  assert.deepEqual(graph.opCounts(), { "aten.matmul": 1 });
});
