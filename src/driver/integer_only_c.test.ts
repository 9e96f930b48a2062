// --integer-only Wav2Letter (1,1,700) as C for a core without an FPU: built
// with -mcpu=cortex-m3 -mfloat-abi=soft against the real CMSIS-NN, run on
// QEMU's Cortex-M3 (mps2-an385) and on the host, byte for byte equal to the
// simulator; and no step of the int8 API computes in float (the only float
// code left is the float_io border of <name>_run_float).
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages, type BuildOptions } from "./stages.js";
import { formatVerifyTable, verifyC, type CTarget } from "./engines_c.js";
import { emitProject } from "../emit/project.js";
import { randomFeeds } from "../io/feeds.js";
import { boardInfo } from "../targets/boards.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { assertNoFloatSteps } from "../../test/support/integer_only.js";

const NN = realCmsisNn();
const M3 = "mps2-an385";
const W2L: BuildOptions = { stage: "final", target: "cortex-m3", inputShapes: { input: [1, 1, 700] }, calibRandom: 2 };

test("the step scan finds float: a default wav2letter build (float log_softmax) fails it", async () => {
  const s = await buildStages("wav2letter", W2L);
  const c = emitProject(s, { name: "model" }).files.get("model.c") as string;
  assert.throws(() => assertNoFloatSteps(c, 10), /step \S+ computes in float/);
});

test("--integer-only wav2letter: no float arithmetic in the int8 API's steps; C on QEMU Cortex-M3 (soft float, real CMSIS-NN) and host = simulator", { skip: !NN && "no real CMSIS-NN" }, async () => {
  assert.deepEqual(boardInfo(M3).cpuFlags, ["-mthumb", "-mcpu=cortex-m3", "-mfloat-abi=soft"]);
  const s = await buildStages("wav2letter", { ...W2L, integerOnly: true });
  const p = emitProject(s, { name: "model" });
  const steps = assertNoFloatSteps(p.files.get("model.c") as string, 10);
  console.log(`# ${steps.length} steps, none in float: ${steps.map((st) => st.name).join(", ")}`);
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === M3);
  const rows = await verifyC(s, { model: "wav2letter --integer-only", name: "model", project: p, targets, steps: [randomFeeds(s.final!, 9)], cmsisNn: NN! });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  assert.ok(rows.some((r) => r.target === M3) || !cTargets().includes(M3), "ran on the Cortex-M3 board");
});
