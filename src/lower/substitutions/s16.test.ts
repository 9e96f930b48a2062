// The 16x8 lowering on hand-built Q/DQ graphs (test/support/qdq16.ts): int16 linear / add / mul / sigmoid / tanh /
// softmax become the s16 ops with parameters written here from the scales; patterns the kernels cannot express stay
// float with a reason; the lowered program runs close to the fake-quant graph.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType } from "../../ir/graph.js";
import { lowerGraph } from "../pipeline.js";
import { lowerOptions } from "../options.js";
import { planGraph } from "../../plan/graph_plan.js";
import { createProgram } from "../../runtime/program.js";
import { runFloat } from "../../interp/float.js";
import { randomFeeds } from "../../io/feeds.js";
import { quantizeMultiplier } from "../../kernels/requantize.js";
import { softmaxS16ExpLut, softmaxS16OneByOneLut } from "../../kernels/softmax_s16.js";
import { SIGMOID } from "../../ops/activation/activations.js";
import { int16, mixedModel, qdq } from "../../../test/support/qdq16.js";

const opsOf = (g: Graph): string[] => g.nodes.map((n) => n.op).filter((op) => op !== "cortex_m.scratch" && op !== "aten.view_copy");

for (const target of ["cortex-m55", "cortex-m4"]) {
  test(`${target}: the int16 region lowers to the s16 kernels, the int8 region to int8 ones`, () => {
    const { final } = lowerGraph(mixedModel(), lowerOptions(target));
    const ops = opsOf(final);
    for (const op of ["cortex_m.quantized_linear_s16", "cortex_m.activation_s16", "cortex_m.quantized_mul_s16",
      "cortex_m.quantized_add_s16", "cortex_m.softmax_s16", "cortex_m.quantized_linear"]) assert.ok(ops.includes(op), `${op} missing: ${ops}`);
    assert.equal(ops.filter((op) => op === "cortex_m.quantized_linear_s16").length, 2);
    assert.equal(ops.filter((op) => op === "cortex_m.activation_s16").length, 2);
    // Float remains only at the borders: the input quantize, the int16→int8 requantization and the outputs.
    for (const n of final.nodes) {
      if (n.op.startsWith("aten.") && n.op !== "aten.view_copy") assert.fail(`float op ${n.op} (${n.name}) left`);
    }
    const float = final.nodes.filter((n) => n.outputs.some((v) => v.dtype === "f32")).map((n) => n.op);
    assert.deepEqual(float.sort(), ["cortex_m.dequantize_per_tensor", "cortex_m.dequantize_per_tensor", "cortex_m.dequantize_per_tensor"]);
  });
}

test("s16 parameters: written from the scales (TFLite Micro's rules)", () => {
  const { final } = lowerGraph(mixedModel(), lowerOptions("cortex-m55"));
  // The lowering keeps the float node's name (made unique with a suffix).
  const node = (name: string) => final.nodes.find((n) => new RegExp(`^${name}(_\\d+)?$`).test(n.name) && n.op.startsWith("cortex_m."))!;
  const fc1 = node("fc1");
  const ws = 0.5 / 127;
  const m1 = quantizeMultiplier(((4 / 32767) * ws) / 2 ** -11);
  assert.equal(fc1.attrs.multiplier, m1.multiplier);
  assert.equal(fc1.attrs.shift, m1.shift);
  assert.equal(fc1.input(2).dtype, "i64");
  assert.deepEqual([fc1.attrs.activation_min, fc1.attrs.activation_max], [-32768, 32767]);
  // Sigmoid / tanh: input scale 2^-11 = 2^(left_shift − 12).
  assert.equal(node("sigmoid").attrs.left_shift, 1);
  assert.equal(node("sigmoid").attrs.function, "sigmoid");
  assert.equal(node("tanh").attrs.function, "tanh");
  // Add: both inputs rescaled to twice the larger scale after a 15-bit shift.
  const add = node("add");
  const twiceMax = 2 / 32768;
  assert.equal(add.attrs.left_shift, 15);
  assert.equal(add.attrs.output_multiplier, quantizeMultiplier(twiceMax / (2 ** 15 * (2 / 32767))).multiplier);
  assert.equal(add.attrs.input1_multiplier, quantizeMultiplier(0.5).multiplier);
  const mul = node("mul");
  assert.equal(mul.attrs.output_multiplier, quantizeMultiplier((1 / 32768) * (1 / 32768) / (1 / 32768)).multiplier);
  // Softmax: the diff scaled so that −65535 is −10, and the two tables as int16 constants.
  const sm = node("softmax");
  const q = quantizeMultiplier((6 / 32767) / (10 / 65535));
  assert.deepEqual([sm.attrs.multiplier, sm.attrs.shift], [q.multiplier, q.shift]);
  assert.deepEqual(Array.from(sm.input(1).data!), Array.from(softmaxS16ExpLut()));
  assert.deepEqual(Array.from(sm.input(2).data!), Array.from(softmaxS16OneByOneLut()));
});

test("int16 patterns the s16 kernels cannot express stay float (sigmoid off the 2^k grid, softmax not at 1/32768)", () => {
  const g = new Graph("odd");
  const x = g.addInput("x", makeType("f32", [1, 8]));
  const xq = qdq(g, x, int16(3 / 32767), "x");
  const s = qdq(g, g.op(SIGMOID.name, [xq], {}, { name: "sigmoid" }), int16(1 / 32768), "s");
  g.outputs = [s];
  const { final } = lowerGraph(g, lowerOptions("cortex-m55"));
  assert.ok(final.nodes.some((n) => n.op === SIGMOID.name), "the sigmoid stays float");
  assert.ok(!final.nodes.some((n) => n.op === "cortex_m.activation_s16"));
});

test("the lowered int16 program runs within a few output steps of the fake-quant graph", () => {
  const qgraph = mixedModel();
  const { final } = lowerGraph(qgraph, lowerOptions("cortex-m55"));
  const program = createProgram(final, planGraph(final));
  // The fake-quant graph is the reference; the kernels' fixed-point (table interpolation, double rounding) differs
  // from float math by a step or two here. Outputs: probs (step 1/32768), logits8 (step 3/255).
  const steps = [0, 0];
  for (const seed of [1, 2, 3]) {
    const feeds = randomFeeds(qgraph, seed);
    const got = Object.values(program.run(feeds));
    const want = Object.values(runFloat(qgraph, feeds));
    for (const [i, step] of [1 / 32768, 3 / 255].entries()) {
      const a = got[i]!.data, b = want[i]!.data;
      assert.equal(a.length, b.length);
      for (let k = 0; k < a.length; k++) steps[i] = Math.max(steps[i]!, Math.abs(a[k]! - b[k]!) / step);
    }
  }
  assert.ok(steps[0]! <= 4, `probs: ${steps[0]} steps of 1/32768 from the fake-quant graph`);
  assert.ok(steps[1]! <= 1, `logits8: ${steps[1]} steps from the fake-quant graph`);
});
