// --precision auto may keep a group float when int16 cannot hold it, within
// the budget. The tensor here spans 8 decades (1e-8 … 1, log-uniform), more
// than int16's 4.5 at one scale: its small values all fall on zero, and sqrt
// makes them matter. Computed in float it is exact, so the measurement must
// prefer float when the budget allows; with the default budget (float costs
// 4× an int8 MAC in the proxy) the float conv does not fit and int16 is chosen.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import type { Graph } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { feedSetsSource } from "./calibrate.js";
import { quantizeGraph, type QuantizeOptions } from "./quantize.js";

const N = 64;

function convSqrt(): Graph {
  const b = new ModelBuilder("wide", 1);
  const x = b.input("x", [1, 1, N]);
  const h = b.conv1d(x, { out: 1, k: 1, weight: Float32Array.of(1), bias: false, name: "gain" });
  b.output(b.sqrt(h), "y");
  return b.build();
}

function quantize(opts: QuantizeOptions) {
  const g = convSqrt();
  const data = Float32Array.from({ length: N }, (_, i) => 10 ** (-8 + (8 * i) / (N - 1)));
  const feeds: Record<string, Tensor> = { x: { dtype: "f32", shape: [1, 1, N], data } };
  return quantizeGraph(g, feedSetsSource([feeds]), { observer: { kind: "minmax" }, progress: false, sqnr: false, precision: "auto", ...opts });
}

test("--precision auto keeps a group float, by measurement, when int16 cannot hold its range and the budget allows", () => {
  const q = quantize({ budgetRam: 1000, budgetInstructions: 1000 });
  const gain = q.layers.find((l) => l.name === "gain")!;
  assert.equal(gain.precision, "float", JSON.stringify(q.layers));
  assert.match(gain.reason, /^computed in float \(auto: float here leaves the outputs at .* dB, better than int16; kept float\)/);
  const conv = q.graph.nodes.find((n) => n.op === "aten.convolution")!;
  assert.equal(conv.inputs[1]!.producer, null, "the float conv reads its float weights");
  const steps = q.auto!.steps;
  assert.ok(steps.some((s) => s.taken && s.mode === "float" && s.floatError !== null && (s.error ?? Infinity) <= s.floatError));
  assert.ok(q.auto!.chosenError < q.auto!.floorError, `float ${q.auto!.chosenError} below the all-int16 floor ${q.auto!.floorError}`);
});

test("--precision auto with the default budget: the float conv is over it and not tried; int16 is the best that fits", () => {
  const q = quantize({});
  const gain = q.layers.find((l) => l.name === "gain")!;
  assert.equal(gain.precision, "int16", JSON.stringify(q.layers));
  assert.ok(q.auto!.steps.every((s) => s.mode === "int16" && s.floatError === null), JSON.stringify(q.auto!.steps));
  assert.ok(q.auto!.chosenCost.instructions <= q.auto!.budget.instructions);
});

// The weights (flash) budget: a float layer stores 4-byte weights. A 16-channel conv's float weights are 1024 B
// against 256 B + 128 B of per-channel multipliers and shifts for int8: +167%, over a 25% budget, within 1000%.
function wideConvSqrt(): Graph {
  const b = new ModelBuilder("wide16", 1);
  const x = b.input("x", [1, 16, N]);
  const w = Float32Array.from({ length: 256 }, (_, i) => (i % 17 === 0 ? 1 : 0.01 * Math.sin(i)));
  const h = b.conv1d(x, { out: 16, k: 1, weight: w, bias: false, name: "gain" });
  b.output(b.sqrt(h), "y");
  return b.build();
}

test("--precision auto: --budget-weights bounds the float alternative by its 4-byte weights", () => {
  const data = Float32Array.from({ length: 16 * N }, (_, i) => 10 ** (-8 + (8 * (i % N)) / (N - 1)));
  const feeds: Record<string, Tensor> = { x: { dtype: "f32", shape: [1, 16, N], data } };
  const run = (budgetWeights: number) => quantizeGraph(wideConvSqrt(), feedSetsSource([feeds]), {
    observer: { kind: "minmax" }, progress: false, sqnr: false, precision: "auto", budgetRam: 1000, budgetInstructions: 1000, budgetWeights,
  });
  const open = run(1000);
  assert.equal(open.layers.find((l) => l.name === "gain")!.precision, "float", JSON.stringify(open.layers));
  const tight = run(25);
  assert.equal(tight.layers.find((l) => l.name === "gain")!.precision, "int16", JSON.stringify(tight.layers));
  assert.ok(tight.auto!.chosenCost.weightBytes <= tight.auto!.budget.weightBytes);
  assert.ok(open.auto!.chosenCost.weightBytes > tight.auto!.budget.weightBytes, "the float build's weights are over the 25% budget");
});
