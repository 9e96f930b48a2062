// Built-in models through the whole pipeline at every target: the arena of
// both lowered stages must be within 5 % of the lower bound, and every plan
// must pass the independent safety check. wav2letter and yolo11n take minutes
// to calibrate, so they run only with PLAN_ALL_MODELS=1 (the numbers for them
// are in the planner's report).
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "../driver/stages.js";
import { TARGETS } from "../lower/options.js";
import { planGraph } from "./graph_plan.js";
import { trafficOf } from "./traffic.js";
import { assertGraphPlanSafe } from "../../test/support/plan_checks.js";

const FAST = ["silero-vad", "silero-vad-legacy", "silero-vad-16k"];
const SLOW = ["wav2letter", "yolo11n"];
const all = process.env.PLAN_ALL_MODELS === "1";

for (const model of [...FAST, ...SLOW]) {
  test(`${model}: arena ≤ 1.05 × lower bound at every target`, { skip: !all && SLOW.includes(model) ? "set PLAN_ALL_MODELS=1" : false }, async () => {
    for (const target of TARGETS) {
      const s = await buildStages(model, { stage: "final", target });
      for (const [stage, g] of [["lowered", s.lowered!], ["final", s.final!]] as const) {
        const p = planGraph(g);
        assertGraphPlanSafe(g, p);
        const ratio = p.arenaBytes / p.lowerBoundBytes;
        assert.ok(ratio <= 1.05, `${model} ${target} ${stage}: arena ${p.arenaBytes} = ${ratio.toFixed(3)} × bound ${p.lowerBoundBytes}`);
        const t = trafficOf(g, p);
        assert.ok(t.layoutBytesBetweenConvs <= t.layoutBytes && t.layoutBytes <= t.totalBytes);
      }
    }
  });
}
