// The mixed int8/int16 model (test/support/qdq16.ts: int16 linear, sigmoid, tanh, mul, add, linear, softmax and an
// int8 linear after a requantization) compiled to C: the generated C gives the simulator's bytes on the host
// (ASan/UBSan) and on QEMU's Cortex-M55, M4 and M3 boards, with the portable library and with the real CMSIS-NN
// (its s16 kernels: arm_fully_connected_s16, arm_elementwise_add_s16 / _mul_s16, arm_nn_activation_s16, arm_softmax_s16).
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatVerifyTable, verifyC, type CTarget, type VerifyRow } from "./engines_c.js";
import { boardInfo } from "../targets/boards.js";
import { assertIdentical, cTargets, feedsOf, realCmsisNn } from "../../test/support/c_models.js";
import { mixedModel } from "../../test/support/qdq16.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { planGraph } from "../plan/graph_plan.js";
import { emitProject, type EmitInput } from "../emit/project.js";

function compile(target: string): EmitInput {
  const options = lowerOptions(target);
  const { final } = lowerGraph(mixedModel(), options);
  return { final, plan: planGraph(final), options };
}

/** Compile target → the C targets it runs on (those available here). */
function byCore(): [string, CTarget[]][] {
  const cores = new Map<string, CTarget[]>();
  for (const t of cTargets()) {
    const cpu = t === "host" ? "cortex-m3" : boardInfo(t).cpu;
    cores.set(cpu, [...(cores.get(cpu) ?? []), t]);
  }
  return [...cores];
}

test("the generated C calls the s16 kernels and converts int16 borders with the int16 loops", () => {
  const project = emitProject(compile("cortex-m55"), { name: "mixed16" });
  const c = [...project.files.entries()].filter(([f]) => f.endsWith(".c") && !f.includes("cmsis_nn/") && !f.includes("support/")).map(([, s]) => s).join("\n");
  for (const fn of ["arm_fully_connected_s16", "arm_elementwise_add_s16", "arm_elementwise_mul_s16", "arm_nn_activation_s16", "arm_softmax_s16",
    "arm_fully_connected_s8", "clg_quantize_f32_s16", "clg_dequantize_s16_f32"]) assert.ok(c.includes(`${fn}(`), `${fn} not called`);
  assert.ok(c.includes("ARM_SIGMOID") && c.includes("ARM_TANH"));
});

test("C: mixed int8/int16 model, generated C = simulator byte for byte (portable, then the real CMSIS-NN), host and QEMU", async () => {
  const nn = realCmsisNn();
  const rows: VerifyRow[] = [];
  for (const [cpu, targets] of byCore()) {
    const m = compile(cpu);
    const steps = feedsOf(m, [21, 22]);
    rows.push(...(await verifyC(m, { model: `mixed16 (${cpu})`, name: "mixed16", targets, steps })));
    if (nn) rows.push(...(await verifyC(m, { model: `mixed16 (${cpu}, real CMSIS-NN)`, name: "mixed16", targets, steps, cmsisNn: nn })));
  }
  console.log(formatVerifyTable(rows));
  assert.ok(rows.length > 0);
  assertIdentical(rows);
});
