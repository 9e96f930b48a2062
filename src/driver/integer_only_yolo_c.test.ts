// --integer-only YOLO11n (1,3,64,64) as C for a core without an FPU: built
// with -mcpu=cortex-m3 -mfloat-abi=soft against the real CMSIS-NN (its
// arm_batch_matmul_s8, arm_softmax_s8 and arm_elementwise_*_s8
// among the rest), run on QEMU's Cortex-M3 (mps2-an385) and on the host, byte
// for byte equal to the simulator; no step of the int8 API computes in float
// (the only float code left is the float_io border of <name>_run_float).
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages } from "./stages.js";
import { formatVerifyTable, verifyC, type CTarget } from "./engines_c.js";
import { emitProject } from "../emit/project.js";
import { randomFeeds } from "../io/feeds.js";
import { boardInfo } from "../targets/boards.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";

const NN = realCmsisNn();
const M3 = "mps2-an385";

/** The steps of invoke() in the generated model.c, each as its text between STEP_BEGIN and STEP_END. */
function stepBodies(c: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const re = /MODEL_STEP_BEGIN\(\d+, "([^"]+)"\);([\s\S]*?)MODEL_STEP_END/g;
  for (let m = re.exec(c); m; m = re.exec(c)) out.push({ name: m[1]!, body: m[2]! });
  return out;
}

test("--integer-only yolo11n 64×64: no float arithmetic in the int8 API's steps; C on QEMU Cortex-M3 (soft float, real CMSIS-NN) and host = simulator", { skip: !NN && "no real CMSIS-NN" }, async () => {
  assert.deepEqual(boardInfo(M3).cpuFlags, ["-mthumb", "-mcpu=cortex-m3", "-mfloat-abi=soft"]);
  const s = await buildStages("yolo11n", { stage: "final", target: "cortex-m3", inputShapes: { images: [1, 3, 64, 64] }, calibRandom: 2, integerOnly: true });
  const p = emitProject(s, { name: "model" });
  const c = p.files.get("model.c") as string;
  for (const fn of ["arm_batch_matmul_s8", "arm_softmax_s8", "arm_elementwise_add_s8", "arm_elementwise_mul_s8"]) assert.match(c, new RegExp(`\\b${fn}\\(`), fn);
  const steps = stepBodies(c);
  assert.ok(steps.length > 100, `${steps.length} steps found`);
  for (const st of steps) {
    // The border conversions run only for <name>_run_float: `if (float_io) <float call>; else memcpy`.
    const body = st.body.replace(/if \(float_io\)\s*\n\s*clg_(quantize_f32_s8|dequantize_s8_f32)\([^;]*;\s*else\s*\n/g, "");
    assert.doesNotMatch(body, /\bfloat\b|\bdouble\b|_f32\b|f32_/, `step ${st.name} computes in float:\n${st.body}`);
  }
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === M3);
  const rows = await verifyC(s, { model: "yolo11n 64x64 --integer-only", name: "model", project: p, targets, steps: [randomFeeds(s.final!, 9)], cmsisNn: NN! });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  assert.ok(rows.some((r) => r.target === M3) || cTargets().length <= 1, "ran on the Cortex-M3 board");
});
