// --integer-only YOLO11n (issue #13 Deliver 3): the C2PSA attention's two
// matmuls run as arm_batch_matmul_s8, its scale as an int8 multiply, the DFL
// softmax over its 16 bins as arm_softmax_s8 between two int8 transposes, and
// the box decode (anchor − x, x + anchor, ÷2, −, cat, × strides) on
// arm_elementwise_add_s8 / _mul_s8 with its constants written out at full
// shape: no node of the final graph computes in float. Its output is as close
// to float as the default build's (printed), and the default build is
// unchanged (its matmuls, DFL softmax and box decode stay float).
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages, type BuildOptions } from "./stages.js";
import { firstFloatNode } from "../lower/integer_only.js";
import { runFloat } from "../interp/float.js";
import { randomFeeds } from "../io/feeds.js";
import { createProgram } from "../runtime/program.js";
import { renameOutputs } from "./verify.js";
import type { Graph } from "../ir/graph.js";
import type { MemoryPlan } from "../plan/graph_plan.js";

const YOLO: BuildOptions = { stage: "final", target: "cortex-m3", inputShapes: { images: [1, 3, 64, 64] }, calibRandom: 2 };

const count = (g: Graph, op: string): number => g.nodes.filter((n) => n.op === op).length;

/** Output SQNR (dB) of the int8 program against the float model on three random images; boxes (rows 0–3) apart. */
function outputSqnr(float: Graph, g: Graph, plan: MemoryPlan): { all: number; boxes: number } {
  const acc = { all: [0, 0], boxes: [0, 0] };
  for (const seed of [3, 4, 5]) {
    const feeds = randomFeeds(float, seed);
    const got = renameOutputs(g, float, createProgram(g, plan).run(feeds));
    const fl = runFloat(float, feeds);
    for (const k of Object.keys(fl)) {
      const a = fl[k]!.data, b = got[k]!.data;
      const anchors = fl[k]!.shape[fl[k]!.shape.length - 1]!;
      for (let i = 0; i < a.length; i++) {
        const s = a[i]! * a[i]!, d = (a[i]! - b[i]!) ** 2;
        acc.all[0] += s; acc.all[1] += d;
        if (Math.floor(i / anchors) < 4) { acc.boxes[0] += s; acc.boxes[1] += d; }
      }
    }
  }
  const db = ([s, n]: number[]): number => 10 * Math.log10(s! / n!);
  return { all: db(acc.all), boxes: db(acc.boxes) };
}

test("--integer-only yolo11n 64×64: no float op; batch matmul, middle-dim softmax and box decode are int8; output SQNR vs float as the default build's", async () => {
  const io = await buildStages("yolo11n", { ...YOLO, integerOnly: true });
  const def = await buildStages("yolo11n", YOLO);
  for (const g of [io.lowered!, io.final!]) assert.equal(firstFloatNode(g), null, `float node ${firstFloatNode(g)?.name}`);
  const g = io.final!;
  // Only the model's border is float: the input's quantize and the output's dequantize.
  const floats = g.nodes.filter((n) => n.inputs.some((v) => v?.dtype === "f32") || n.outputs.some((v) => v.dtype === "f32")).map((n) => n.op);
  assert.deepEqual(floats.sort(), ["cortex_m.dequantize_per_tensor", "cortex_m.quantize_per_tensor"]);
  assert.equal(count(g, "cortex_m.quantized_batch_matmul"), 2, "q·kᵀ and v·attnᵀ");
  assert.equal(count(g, "cortex_m.softmax"), 2, "the attention softmax and the DFL softmax");
  for (const op of ["aten.matmul", "aten.sub", "aten.div", "aten.mul", "cortex_m.dequantize_softmax"]) assert.equal(count(g, op), 0, op);

  // The default build keeps the float it had: matmuls, the DFL softmax, the box decode.
  const d = def.final!;
  assert.equal(count(d, "aten.matmul"), 2);
  assert.equal(count(d, "cortex_m.dequantize_softmax"), 1);
  assert.equal(count(d, "aten.sub"), 2);
  assert.equal(count(d, "cortex_m.quantized_batch_matmul"), 0);

  const qi = outputSqnr(io.float, g, io.plan!);
  const qd = outputSqnr(def.float, d, def.plan!);
  console.log(`# yolo11n 64x64 output SQNR vs float: --integer-only ${qi.all.toFixed(2)} dB (boxes ${qi.boxes.toFixed(2)} dB), default int8 ${qd.all.toFixed(2)} dB (boxes ${qd.boxes.toFixed(2)} dB)`);
  assert.ok(qi.all > 25, `integer-only SQNR ${qi.all} dB`);
  assert.ok(qi.all >= qd.all - 0.5, `integer-only ${qi.all} dB vs default ${qd.all} dB`);
});
