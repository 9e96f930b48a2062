import { test } from "node:test";
import assert from "node:assert/strict";
import "../../src/ops/index.js";
import { lowerOptions, TARGETS } from "../../src/lower/options.js";
import { lowerGraph } from "../../src/lower/pipeline.js";
import { loadModel } from "../../src/models/index.js";
import { planGraph } from "../../src/plan/graph_plan.js";
import { trafficOf } from "../../src/plan/traffic.js";
import { randomSource } from "../../src/quantize/calibrate.js";
import { quantizeGraph } from "../../src/quantize/quantize.js";

// Every built-in model at every target: the planned arena is within 5% of the
// schedule's lower bound (the most bytes that must be live at one step).
const MODELS: { name: string; inputShapes?: Record<string, number[]> }[] = [
  { name: "wav2letter" },
  { name: "silero-vad" },
  { name: "silero-vad-legacy" },
  { name: "silero-vad-16k" },
  { name: "yolo11n", inputShapes: { images: [1, 3, 320, 320] } },
];

for (const m of MODELS) {
  test(`${m.name}: arena ≤ 1.05 × lower bound at every target`, () => {
    const { graph } = loadModel(m.name, { inputShapes: m.inputShapes ?? {} });
    const q = quantizeGraph(graph, randomSource(1, { seed: 5 }), { sqnr: false, progress: false });
    const seen = new Map<string, string>();
    for (const target of TARGETS) {
      const { final } = lowerGraph(q.graph, lowerOptions(target));
      const plan = planGraph(final);
      const ratio = plan.arenaBytes / plan.lowerBoundBytes;
      seen.set(target, `${plan.arenaBytes}/${plan.lowerBoundBytes}=${ratio.toFixed(3)}`);
      assert.ok(plan.lowerBoundBytes > 0);
      assert.ok(ratio <= 1.05, `${m.name} ${target}: arena ${plan.arenaBytes} B, lower bound ${plan.lowerBoundBytes} B`);
    }
    console.log(`${m.name}: ${[...seen].map(([t, r]) => `${t} ${r}`).join("; ")}`);
  });
}

test("wav2letter (10,1,700): clean-up removes every layout byte between convs", () => {
  const { graph } = loadModel("wav2letter");
  const q = quantizeGraph(graph, randomSource(1, { seed: 5 }), { sqnr: false, progress: false });
  const { lowered, final } = lowerGraph(q.graph, lowerOptions("cortex-m55"));
  const before = trafficOf(lowered, planGraph(lowered));
  const after = trafficOf(final, planGraph(final));
  console.log(`wav2letter layout bytes between convs: lowered ${before.layoutBytesBetweenConvs} B, final ${after.layoutBytesBetweenConvs} B; all layout ops: ${before.layoutBytes} → ${after.layoutBytes} B`);
  // 11 chains of [10, C, L] int8 between the 12 convs, each unwrap clone + re-wrap clone
  // reading and writing the tensor once (the views alias): 4 × bytes per chain.
  const chain = [250, 250, 250, 250, 250, 250, 250, 250, 250, 2000, 2000];
  const lengths = [4, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3];
  const expected = chain.reduce((s, c, i) => s + 4 * 10 * c * lengths[i]!, 0);
  assert.equal(before.layoutBytesBetweenConvs, expected);
  assert.equal(after.layoutBytesBetweenConvs, 0);
});
