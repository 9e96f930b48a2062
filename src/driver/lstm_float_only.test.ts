// The simulator and the C emitter agree on the LSTM's operand types (issue 16,
// class 5): integer state is refused by both, float state is accepted by both.
// The importer refuses such models first; this pins the two back ends together.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import type { DType } from "../ir/dtype.js";
import { Graph, makeType } from "../ir/graph.js";
import { emitProject } from "../emit/project.js";
import { lowerOptions } from "../lower/options.js";
import { planGraph } from "../plan/graph_plan.js";
import { createProgram } from "../runtime/program.js";

const H = 4;

function lstmGraph(stateDType: DType): Graph {
  const g = new Graph("lstm");
  const x = g.addInput("x", makeType("f32", [1, 1, H]));
  const h0 = g.addInput("h0", makeType(stateDType, [1, 1, H]));
  const w = g.addConst("W", "f32", [1, 4 * H, H], new Float32Array(16 * H).fill(0.125));
  const r = g.addConst("R", "f32", [1, 4 * H, H], new Float32Array(16 * H).fill(-0.25));
  const n = g.addNode("aten.lstm", [x, w, r, null, h0, null], { hidden_size: H });
  g.outputs = [n.outputs[1]!];
  return g;
}

for (const [dtype, accepted] of [["i8", false], ["f32", true]] as const) {
  test(`LSTM with ${dtype} state: simulator and C emitter both ${accepted ? "accept" : "refuse"} it`, () => {
    const g = lstmGraph(dtype);
    const plan = planGraph(g);
    const sim = (): unknown => createProgram(g, plan);
    const c = (): unknown => emitProject({ final: g, plan, options: lowerOptions("cortex-m55") });
    if (accepted) {
      assert.doesNotThrow(sim);
      assert.doesNotThrow(c);
    } else {
      assert.throws(sim, /h0 is i8; the LSTM runs in float/);
      assert.throws(c, /h0 is i8; the float C kernels take f32/);
    }
  });
}
