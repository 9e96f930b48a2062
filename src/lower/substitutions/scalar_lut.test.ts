// x op c with a one-element constant between int8 ops becomes one int8 table
// (scalar_lut.ts): the table's bytes are checked against the formula written
// out here (real x of each code, op, clamp, round half away, saturate); at the
// int8 region's border the op keeps its former role (no table).
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeModel, type ModelSpec, type NodeSpec, type TensorSpec } from "../../../test/fixtures/onnx-model.js";
import { loadModel } from "../../models/index.js";
import { stagesOf } from "../../driver/stages.js";
import { QUANTIZED_ACTIVATION } from "../../ops/cortex_m/elementwise.js";
import type { Node } from "../../ir/graph.js";

const scalar = (name: string, v: number): TensorSpec => ({ name, dims: [1], data: [v] });
const weight = (name: string, o: number, i: number): TensorSpec =>
  ({ name, dims: [o, i, 1, 1], data: Array.from({ length: o * i }, (_, k) => Math.cos(3 * k + o) * 0.6) });

/** conv → `mid` (reading "c", writing "m") → conv, or → the graph output when `border`. */
function model(mid: NodeSpec[], inits: TensorSpec[], border = false): ModelSpec {
  return {
    opset: 13,
    inputs: [{ name: "x", shape: [1, 4, 6, 6] }],
    outputs: [{ name: border ? "m" : "y" }],
    initializers: [weight("w1", 8, 4), weight("w2", 4, 8), ...inits],
    nodes: [
      { op: "Conv", inputs: ["x", "w1"], outputs: ["c"] },
      ...mid,
      ...(border ? [] : [{ op: "Conv", inputs: ["m", "w2"], outputs: ["y"] }]),
    ],
  };
}

const compile = (spec: ModelSpec) => stagesOf(loadModel(encodeModel(spec)), { stage: "final", target: "cortex-m4", calibRandom: 4, seed: 9 });
const tables = (nodes: readonly Node[]) => nodes.filter((n) => n.op === QUANTIZED_ACTIVATION.name);

/** The table of f from the input's and output's parameters, written out independently of the lowering. */
function expectedTable(t: Node, f: (x: number) => number): number[] {
  const qi = t.input(0).type.qparams!, qo = t.output.type.qparams!;
  const out: number[] = [];
  for (let q = -128; q <= 127; q++) {
    const y = f(qi.scale[0]! * (q - qi.zeroPoint[0]!)) / qo.scale[0]!;
    const r = Math.sign(y) * Math.floor(Math.abs(y) + 0.5) + qo.zeroPoint[0]!;
    out.push(Math.min(127, Math.max(-128, r)));
  }
  return out;
}

test("c · x (the constant first, as PP-LCNetV3's export writes it) between convs: one table, its bytes by the formula", () => {
  const a = 1.37;
  const s = compile(model([{ op: "Mul", inputs: ["ca", "c"], outputs: ["m"] }], [scalar("ca", a)]));
  assert.deepEqual(s.json.final!.float ?? [], []);
  const t = tables(s.final!.nodes);
  assert.deepEqual(t.map((n) => n.attrs.function), ["mul_scalar"]);
  assert.deepEqual([...t[0]!.input(1).data!], expectedTable(t[0]!, (x) => x * Math.fround(a)));
});

test("x + b, c − x and x / c: one table each, bytes by the formula", () => {
  const cases: { node: NodeSpec; init: TensorSpec; fn: string; f: (x: number) => number }[] = [
    { node: { op: "Add", inputs: ["c", "k"], outputs: ["m"] }, init: scalar("k", -0.21), fn: "add_scalar", f: (x) => x + Math.fround(-0.21) },
    { node: { op: "Sub", inputs: ["k", "c"], outputs: ["m"] }, init: scalar("k", 0.75), fn: "sub_scalar", f: (x) => 0.75 - x },
    { node: { op: "Div", inputs: ["c", "k"], outputs: ["m"] }, init: scalar("k", 3), fn: "div_scalar", f: (x) => x / 3 },
  ];
  for (const c of cases) {
    const s = compile(model([c.node], [c.init]));
    assert.deepEqual(s.json.final!.float ?? [], [], c.fn);
    const t = tables(s.final!.nodes);
    assert.deepEqual(t.map((n) => n.attrs.function), [c.fn]);
    assert.deepEqual([...t[0]!.input(1).data!], expectedTable(t[0]!, c.f), c.fn);
  }
});

test("a clip after x + c joins its table", () => {
  const s = compile(model([
    { op: "Add", inputs: ["c", "beta"], outputs: ["q"] },
    { op: "Clip", inputs: ["q", "lo", "hi"], outputs: ["m"] },
  ], [scalar("beta", 0.5), { name: "lo", dims: [], data: [0] }, { name: "hi", dims: [], data: [1] }]));
  assert.deepEqual(s.json.final!.float ?? [], []);
  const t = tables(s.final!.nodes);
  assert.equal(t.length, 1);
  assert.ok(t[0]!.attrs.fused_tail, JSON.stringify(t[0]!.attrs));
  assert.deepEqual([...t[0]!.input(1).data!], expectedTable(t[0]!, (x) => Math.min(1, Math.max(0, x + 0.5))));
});

test("a hardsigmoid of slope 0.2 (mul, add, clip 0..1) and an affine block: chains of tables end as one table, no float op", () => {
  const s = compile(model([
    { op: "Mul", inputs: ["c", "alpha"], outputs: ["p"] },
    { op: "Add", inputs: ["p", "beta"], outputs: ["q"] },
    { op: "Clip", inputs: ["q", "lo", "hi"], outputs: ["m"] },
  ], [scalar("alpha", 0.2), scalar("beta", 0.5), { name: "lo", dims: [], data: [0] }, { name: "hi", dims: [], data: [1] }]));
  assert.deepEqual(s.json.final!.float ?? [], []);
  assert.deepEqual(tables(s.final!.nodes).map((n) => n.attrs.function), ["mul_scalar_then_add_scalar"]);
});

test("at the border (the op's result is the graph's output) no table is made", () => {
  const s = compile(model([{ op: "Mul", inputs: ["c", "ca"], outputs: ["m"] }], [scalar("ca", 1.5)], true));
  assert.equal(tables(s.final!.nodes).length, 0);
});
