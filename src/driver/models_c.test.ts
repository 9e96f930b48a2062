// Silero VAD v5 (consecutive frames, LSTM state carried by the C harness) and
// YOLO11n at 96×96 as generated C: host (ASan + UBSan), Cortex-M55, M4, M3 give
// the TypeScript int8 runtime's output bytes; the verify table is printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "./stages.js";
import { formatVerifyTable, verifyC } from "./engines_c.js";
import { randomFeeds } from "../io/feeds.js";
import { assertIdentical, cTargets } from "../../test/support/c_models.js";

test("Silero VAD v5: 4 consecutive frames with state carried, C = int8 runtime on every target", async () => {
  const s = await buildStages("silero-vad", { stage: "final", target: "cortex-m55" });
  const stream = s.model.builtin!.stream!;
  const steps = [1, 2, 3, 4].map((seed) => randomFeeds(s.final!, seed));
  steps[0]![stream.state[0]!.input]!.data.fill(0); // a stream starts from a zero state
  const rows = await verifyC(s, { model: "silero-vad", name: "vad", targets: cTargets(), steps, feedback: stream.state });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  // The LSTM path really runs in float: the state output moves between frames.
  assert.ok(s.final!.nodes.some((n) => n.op === "aten.lstm"));
});

test("YOLO11n 96x96: C = int8 runtime on every target", async () => {
  const s = await buildStages("yolo11n", { stage: "final", target: "cortex-m55", inputShapes: { images: [1, 3, 96, 96] } });
  const rows = await verifyC(s, { model: "yolo11n-96", name: "yolo", targets: cTargets(), steps: [randomFeeds(s.final!, 5)] });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
});
