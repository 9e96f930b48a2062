// Wav2Letter with input (1,1,700) as generated C: host (ASan + UBSan) and the
// emulated boards give the TypeScript int8 runtime's output bytes. Its 34 MB of
// int8 weights shrink to 16 MB at this length: after the strided first layers
// only 2–3 positions remain, and the filter taps that only ever meet padding
// are trimmed (conv_trim.ts). They fit QEMU's mps2 PSRAM (16 MB), so every
// board runs them compiled in; external-weights mode has its own test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "./stages.js";
import { formatVerifyTable, verifyC } from "./engines_c.js";
import { randomFeeds } from "../io/feeds.js";
import { assertIdentical, cTargets } from "../../test/support/c_models.js";

test("Wav2Letter (1,1,700): C = int8 runtime on host, Cortex-M55, M4 and M3", async () => {
  const s = await buildStages("wav2letter", { stage: "final", target: "cortex-m55", inputShapes: { input: [1, 1, 700] } });
  const rows = await verifyC(s, { model: "wav2letter", name: "w2l", targets: cTargets(), steps: [randomFeeds(s.final!, 9)] });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  for (const r of rows) {
    assert.equal(r.weightsFileBytes, undefined, `${r.target}: compiled-in weights expected`);
    // Trimmed: 16 MB of the 34 MB the untrimmed layers hold.
    if (r.target !== "host") assert.ok((r.rodataBytes ?? Infinity) < 17e6, `${r.target}: .rodata ${r.rodataBytes}`);
  }
});
