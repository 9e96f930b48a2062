// The new converters' IR goes all the way: an opset-9 CNN (Conv + BatchNormalization,
// LRN, PRelu, a bilinear Resize, a graph-bounded Clip, Sum/Mean, Expand) and an opset-13
// model with a run-time If, comparisons and ReduceSum/L2 are imported, quantized with
// seeded calibration, lowered for Cortex-M55, and the generated C must equal the
// simulator byte for byte on the host (and on the emulated boards where the toolchain
// is installed). The CNN must lower to int8 with no float op left and no layout op
// between its convolutions.
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { importOnnx } from "./index.js";
import { encodeModel, seededValues, INT64, type ModelSpec, type TensorSpec } from "../../../test/fixtures/onnx-model.js";
import { assertIdentical, boardTargets, feedsOf, HOST_CC } from "../../../test/support/c_models.js";
import { verifyC } from "../../driver/engines_c.js";
import { dialectOf } from "../../ir/registry.js";
import { lowerOptions } from "../../lower/options.js";
import { lowerGraph } from "../../lower/pipeline.js";
import { planGraph } from "../../plan/graph_plan.js";
import { randomSource } from "../../quantize/calibrate.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import type { Graph } from "../../ir/graph.js";
import { CLONE_DIM_ORDER } from "../../ops/layout/clone_dim_order.js";

const f = (name: string, dims: number[], seed: number, lo = -1, hi = 1): TensorSpec => ({ name, dims, data: seededValues(dims.reduce((a, b) => a * b, 1), seed, lo, hi) });

const CNN: ModelSpec = {
  opset: 9,
  inputs: [{ name: "x", shape: [1, 3, 8, 8] }], outputs: [{ name: "y" }],
  initializers: [
    f("W1", [8, 3, 3, 3], 1, -0.5, 0.5), f("s1", [8], 2, 0.5, 1.5), f("b1", [8], 3), f("m1", [8], 4), f("v1", [8], 5, 0.3, 1.5),
    f("W2", [8, 8, 3, 3], 6, -0.3, 0.3), f("s2", [8], 7, 0.5, 1.5), f("b2", [8], 8), f("m2", [8], 9), f("v2", [8], 10, 0.3, 1.5),
    f("slope", [8, 1, 1], 11, 0, 0.3), f("scales", [4], 0, 1, 1),
    f("W3", [4, 8, 1, 1], 12, -0.5, 0.5),
  ],
  nodes: [
    { op: "Conv", inputs: ["x", "W1"], outputs: ["c1"], attrs: { pads: { ints: [1, 1, 1, 1] } } },
    { op: "BatchNormalization", inputs: ["c1", "s1", "b1", "m1", "v1"], outputs: ["n1"] },
    { op: "PRelu", inputs: ["n1", "slope"], outputs: ["p1"] },
    { op: "MaxPool", inputs: ["p1"], outputs: ["q1"], attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } } },
    { op: "Conv", inputs: ["q1", "W2"], outputs: ["c2"], attrs: { pads: { ints: [1, 1, 1, 1] } } },
    { op: "BatchNormalization", inputs: ["c2", "s2", "b2", "m2", "v2"], outputs: ["n2"] },
    { op: "Relu", inputs: ["n2"], outputs: ["r2"] },
    { op: "Sum", inputs: ["r2", "q1"], outputs: ["sum"] },
    { op: "Upsample", inputs: ["sum", "scales"], outputs: ["up"], attrs: { mode: { s: "nearest" } } },
    { op: "Conv", inputs: ["up", "W3"], outputs: ["y"] },
  ],
};
// Upsample-9 ×2 nearest (scales [1,1,2,2]).
CNN.initializers!.find((t) => t.name === "scales")!.data = [1, 1, 2, 2];

const MIXED: ModelSpec = {
  opset: 13,
  inputs: [{ name: "x", shape: [1, 2, 4, 6] }], outputs: [{ name: "y" }, { name: "n" }],
  initializers: [
    { name: "sizes", dims: [4], data: [1, 2, 6, 9], dataType: INT64 }, { name: "axes", dims: [1], data: [3], dataType: INT64 },
    f("zero", [], 0, 0, 0), f("db", [], 0, 2, 2), f("lw", [6], 13, 0.5, 1.5),
  ],
  nodes: [
    { op: "Resize", inputs: ["x", "", "", "sizes"], outputs: ["r"], attrs: { mode: { s: "linear" } } },
    { op: "ReduceMax", inputs: ["x"], outputs: ["mx"], attrs: { keepdims: { i: 0 } } },
    { op: "Sub", inputs: ["mx", "db"], outputs: ["lo"] },
    { op: "Clip", inputs: ["x", "lo"], outputs: ["c"] },
    { op: "LRN", inputs: ["c"], outputs: ["l"], attrs: { size: { i: 3 } } },
    { op: "LayerNormalization", inputs: ["l", "lw"], outputs: ["ln"] },
    { op: "ReduceSum", inputs: ["ln", "axes"], outputs: ["s"] },
    { op: "Greater", inputs: ["mx", "zero"], outputs: ["flag"] },
    { op: "If", inputs: ["flag"], outputs: ["y"], attrs: {
      then_branch: { g: { inputs: [], outputs: [{ name: "t" }], nodes: [{ op: "Mean", inputs: ["s", "ln"], outputs: ["t"] }] } },
      else_branch: { g: { inputs: [], outputs: [{ name: "e" }], nodes: [{ op: "Erf", inputs: ["ln"], outputs: ["e"] }] } },
    } },
    { op: "ReduceL2", inputs: ["r"], outputs: ["n"], attrs: { axes: { ints: [2, 3] } } },
  ],
};

function compile(spec: ModelSpec, name: string) {
  const g: Graph = importOnnx(encodeModel(spec), { name: `${name}.onnx` });
  const q = quantizeGraph(g, randomSource(4, { seed: 3 }), { sqnr: false });
  const options = lowerOptions("cortex-m55");
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options };
}

/** Ops computing in float (an f32 output, other than the program's border dequantize) and layout ops of a lowered graph. */
function census(g: Graph): { float: string[]; layout: number } {
  const float = g.nodes.filter((n) => dialectOf(n.op) !== "cortex_m" && n.outputs.some((o) => o.dtype === "f32")).map((n) => n.op);
  const layout = g.nodes.filter((n) => n.op === CLONE_DIM_ORDER.name).length;
  return { float, layout };
}

test("an opset-9 CNN with BatchNormalization, PRelu, Sum and Upsample lowers to int8 only", () => {
  const m = compile(CNN, "cnn9");
  const c = census(m.final);
  console.log(`# cnn9: ${m.final.nodes.length} ops, float ops left: ${c.float.length} [${c.float.join(",")}], layout ops: ${c.layout}`);
  assert.deepEqual(c.float, [], `float ops left: ${c.float.join(", ")}`);
});

for (const [name, spec] of [["cnn9", CNN], ["mixed13", MIXED]] as const) {
  test(`${name}: imported, quantized and lowered; the generated C = the simulator (host, boards)`, { skip: !HOST_CC && "no host gcc" }, async () => {
    const m = compile(spec, name);
    const targets = ["host" as const, ...boardTargets()];
    const rows = await verifyC(m, { model: name, name, targets, steps: feedsOf(m, [21, 22]) });
    assert.equal(rows.length, targets.length);
    assertIdentical(rows);
  });
}
