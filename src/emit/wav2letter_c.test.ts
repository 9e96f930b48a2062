// Wav2Letter with input (1,1,700) as generated C: host (ASan + UBSan) and the
// emulated boards give the TypeScript int8 runtime's output bytes. Its 33 MB of
// weights fit only the M55 board's DDR; QEMU's mps2 boards (M4, M3) have 24 MB
// of memory in all, so they report the model as not fitting instead of running.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "../driver/stages.js";
import { formatVerifyTable, verifyC } from "../driver/engines_c.js";
import { randomFeeds } from "../io/feeds.js";
import { assertIdentical, cTargets } from "./testing.js";

test("Wav2Letter (1,1,700): C = int8 runtime on host and Cortex-M55; mps2 boards report the weights do not fit", async () => {
  const s = await buildStages("wav2letter", { stage: "final", target: "cortex-m55", inputShapes: { input: [1, 1, 700] } });
  const rows = await verifyC(s, { model: "wav2letter", name: "w2l", targets: cTargets(), steps: [randomFeeds(s.final!, 9)] });
  console.log(formatVerifyTable(rows));
  const tooBig = (r: { target: string; skipped?: string }) => r.target.startsWith("mps2-") && /do not fit/.test(r.skipped ?? "");
  assertIdentical(rows, tooBig);
  for (const r of rows) if (r.target.startsWith("mps2-")) assert.ok(tooBig(r), `${r.target}: expected the does-not-fit report`);
});
