// Wav2Letter with input (1,1,700) as generated C: host (ASan + UBSan) and the
// emulated boards give the TypeScript int8 runtime's output bytes. Its 33 MB of
// int8 weights fit the M55 board's DDR (compiled in); QEMU's mps2 boards (M4,
// M3: 24 MB of memory in all) run it in external-weights mode, reading each
// layer's weights from w2l_weights.bin (semihosting) into a PSRAM staging
// buffer sized for the largest layer (16 MB).
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "../driver/stages.js";
import { formatVerifyTable, verifyC } from "../driver/engines_c.js";
import { randomFeeds } from "../io/feeds.js";
import { assertIdentical, cTargets } from "./testing.js";

test("Wav2Letter (1,1,700): C = int8 runtime on host, Cortex-M55, and (external weights) M4 and M3", async () => {
  const s = await buildStages("wav2letter", { stage: "final", target: "cortex-m55", inputShapes: { input: [1, 1, 700] } });
  const rows = await verifyC(s, { model: "wav2letter", name: "w2l", targets: cTargets(), steps: [randomFeeds(s.final!, 9)] });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  for (const r of rows) {
    if (r.target.startsWith("mps2-")) {
      // The weights file holds the int8 tables (> 32 MB); the image keeps only the small constants.
      assert.ok((r.weightsFileBytes ?? 0) > 32e6, `${r.target}: weights file ${r.weightsFileBytes}`);
      assert.ok((r.rodataBytes ?? Infinity) < 1e6, `${r.target}: .rodata ${r.rodataBytes}`);
    } else {
      assert.equal(r.weightsFileBytes, undefined, `${r.target}: compiled-in weights expected`);
    }
  }
});
