// The importer's hardswish recognition (fuse_hardswish.ts): the decomposed
// forms exporters write become one aten.hardswish that still matches
// onnxruntime on the original file; near misses stay as they are; and the
// fused op compiles to one int8 lookup table with no float op left.
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../test/fixtures/onnx-compare.js";
import { encodeModel, type ModelSpec, type NodeSpec, type TensorSpec } from "../../../test/fixtures/onnx-model.js";
import { loadModel } from "../../models/index.js";
import { stagesOf } from "../../driver/stages.js";
import { HARDSWISH } from "../../ops/activation/activations.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";

const SHAPE = [1, 4, 5, 6];
const N = SHAPE.reduce((a, b) => a * b, 1);
/** Inputs over [-5, 5): both bends of relu6(x + 3) (x = -3 and x = 3) are crossed. */
const FEEDS = { x: Array.from({ length: N }, (_, i) => -5 + (10 * i) / N) };
const scalar = (name: string, v: number): TensorSpec => ({ name, dims: [], data: [v] });

function model(nodes: NodeSpec[], inits: TensorSpec[], outputs = ["y"]): ModelSpec {
  return { opset: 13, inputs: [{ name: "x", shape: SHAPE }], outputs: outputs.map((name) => ({ name })), initializers: inits, nodes };
}

const INITS = [scalar("three", 3), scalar("zero", 0), scalar("six", 6), scalar("sixth", 1 / 6)];

/** paddle2onnx's form: x · clip(x + 3, 0, 6) / 6. */
const PADDLE: NodeSpec[] = [
  { op: "Add", inputs: ["x", "three"], outputs: ["a"] },
  { op: "Clip", inputs: ["a", "zero", "six"], outputs: ["r"] },
  { op: "Mul", inputs: ["x", "r"], outputs: ["m"] },
  { op: "Div", inputs: ["m", "six"], outputs: ["y"] },
];

test("x · clip(x + 3, 0, 6) / 6 imports as one aten.hardswish and matches onnxruntime", async () => {
  const { graph, maxAbs } = await compareWithOrt(model(PADDLE, INITS), { feeds: FEEDS, atol: 1e-6 });
  assert.deepEqual(Object.keys(graph.opCounts()), [HARDSWISH.name]);
  assert.equal(graph.outputs[0]!.name, "y");
  assert.ok(maxAbs <= 1e-6, `max |Δ| ${maxAbs}`);
});

test("the other orders: 3 + x, r · x, r · 1/6 before the product, (x · r) · 1/6", async () => {
  const forms: NodeSpec[][] = [
    [
      { op: "Add", inputs: ["three", "x"], outputs: ["a"] },
      { op: "Clip", inputs: ["a", "zero", "six"], outputs: ["r"] },
      { op: "Mul", inputs: ["r", "x"], outputs: ["m"] },
      { op: "Mul", inputs: ["m", "sixth"], outputs: ["y"] },
    ],
    [
      { op: "Add", inputs: ["x", "three"], outputs: ["a"] },
      { op: "Clip", inputs: ["a", "zero", "six"], outputs: ["r"] },
      { op: "Div", inputs: ["r", "six"], outputs: ["h"] },
      { op: "Mul", inputs: ["x", "h"], outputs: ["y"] },
    ],
    [
      { op: "Add", inputs: ["x", "three"], outputs: ["a"] },
      { op: "Clip", inputs: ["a", "zero", "six"], outputs: ["r"] },
      { op: "Mul", inputs: ["sixth", "r"], outputs: ["h"] },
      { op: "Mul", inputs: ["h", "x"], outputs: ["y"] },
    ],
  ];
  for (const nodes of forms) {
    const { graph } = await compareWithOrt(model(nodes, INITS), { feeds: FEEDS, atol: 1e-6 });
    assert.deepEqual(Object.keys(graph.opCounts()), [HARDSWISH.name], nodes.map((n) => n.op).join(" "));
  }
});

test("near misses stay decomposed: another bound, another offset, another divisor, an intermediate read elsewhere", async () => {
  const variants: { name: string; nodes: NodeSpec[]; outputs?: string[] }[] = [
    { name: "clip(·, 0, 5)", nodes: PADDLE.map((n) => (n.op === "Clip" ? { ...n, inputs: ["a", "zero", "five"] } : n)) },
    { name: "x + 2", nodes: PADDLE.map((n) => (n.op === "Add" ? { ...n, inputs: ["x", "two"] } : n)) },
    { name: "/ 5", nodes: PADDLE.map((n) => (n.op === "Div" ? { ...n, inputs: ["m", "five"] } : n)) },
    { name: "x · clip(z + 3) with z ≠ x", nodes: [{ op: "Neg", inputs: ["x"], outputs: ["z"] }, ...PADDLE.map((n) => (n.op === "Add" ? { ...n, inputs: ["z", "three"] } : n))] },
    { name: "clip output also a graph output", nodes: PADDLE, outputs: ["y", "r"] },
  ];
  for (const v of variants) {
    const { graph } = await compareWithOrt(model(v.nodes, [...INITS, scalar("five", 5), scalar("two", 2)], v.outputs), { feeds: FEEDS, atol: 1e-6 });
    assert.equal(graph.opCounts()[HARDSWISH.name] ?? 0, 0, `${v.name}: ${JSON.stringify(graph.opCounts())}`);
  }
});

test("conv → decomposed hardswish → conv compiles to one int8 table between the convs, no float op", () => {
  const w = (name: string, o: number, i: number): TensorSpec => ({ name, dims: [o, i, 1, 1], data: Array.from({ length: o * i }, (_, k) => Math.sin(k + o) * 0.5) });
  const spec: ModelSpec = {
    ...model([
      { op: "Conv", inputs: ["x", "w1"], outputs: ["c"] },
      ...PADDLE.map((n) => ({ ...n, inputs: n.inputs.map((s) => (s === "x" ? "c" : s)), outputs: n.outputs.map((s) => (s === "y" ? "h" : s)) })),
      { op: "Conv", inputs: ["h", "w2"], outputs: ["y"] },
    ], [...INITS, w("w1", 8, 4), w("w2", 4, 8)]),
  };
  const s = stagesOf(loadModel(encodeModel(spec)), { stage: "final", target: "cortex-m55", calibRandom: 4, seed: 3 });
  const ops = s.json.final!.ops;
  assert.deepEqual(s.json.final!.float ?? [], [], "float ops left");
  const luts = s.final!.nodes.filter((n) => n.op === QUANTIZED_ACTIVATION.name);
  assert.equal(luts.length, 1, JSON.stringify(ops));
  assert.equal(luts[0]!.attrs.function, "hardswish");
});
