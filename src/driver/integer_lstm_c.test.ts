// The integer LSTM's generated C (cortex_m.quantized_lstm → arm_lstm_unidirectional_s8 / _s16): the --integer-only
// conv → LSTM model of integer_lstm.test.ts streamed over 4 calls with h and c fed back from the model's outputs,
// C = simulator byte for byte on the host and on QEMU's boards (Cortex-M4, and Cortex-M3 built with
// -mfloat-abi=soft), with the portable library and with the real CMSIS-NN. No step but the float API's border
// conversions computes in float.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatVerifyTable, verifyC, type CTarget, type VerifyRow } from "./engines_c.js";
import { emitProject } from "../emit/project.js";
import { randomFeeds } from "../io/feeds.js";
import type { Tensor } from "../ir/tensor.js";
import { boardInfo } from "../targets/boards.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { compileConvLstm, compileConvLstmState, CONV_LSTM_CALIB, convLstmStatelessModel } from "../../test/support/conv_lstm.js";
import { buildStages } from "./stages.js";
import type { Stages } from "./stages.js";

/** Compile target → the C targets it runs on (those available here); the host runs the M3 build. */
function byCore(): [string, CTarget[]][] {
  const cores = new Map<string, CTarget[]>();
  for (const t of cTargets()) {
    const cpu = t === "host" ? "cortex-m3" : boardInfo(t).cpu;
    cores.set(cpu, [...(cores.get(cpu) ?? []), t]);
  }
  return [...cores];
}

/** Four calls: fresh x each, the state inputs zero on the first (then fed back by the harness). */
function steps(s: Stages): Record<string, Tensor>[] {
  return [0, 1, 2, 3].map((k) => {
    const f = randomFeeds(s.final!, 60 + k);
    for (const v of s.final!.inputs.slice(1)) f[v.name] = { dtype: "f32", shape: [...v.shape], data: new Float32Array(v.numel) };
    return f;
  });
}

/** The steps of invoke() in the generated model.c, each as its text between STEP_BEGIN and STEP_END. */
function stepBodies(c: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const re = /[A-Z0-9_]+_STEP_BEGIN\(\d+, "([^"]+)"\);([\s\S]*?)[A-Z0-9_]+_STEP_END/g;
  for (let m = re.exec(c); m; m = re.exec(c)) out.push({ name: m[1]!, body: m[2]! });
  return out;
}

test("--integer-only conv → LSTM in C (s8 and s16): streamed 4 calls with h / c carried, C = simulator on host and QEMU (M4, M3 soft float), portable and real CMSIS-NN", async () => {
  const nn = realCmsisNn();
  const rows: VerifyRow[] = [];
  for (const [cpu, targets] of byCore()) {
    for (const precision of ["int8", "int16"] as const) {
      const s = await compileConvLstm(cpu, { precision });
      const project = emitProject(s, { name: "lstm" });
      const c = project.files.get("lstm.c") as string;
      assert.ok(c.includes(precision === "int8" ? "arm_lstm_unidirectional_s8(" : "arm_lstm_unidirectional_s16("));
      const bodies = stepBodies(c);
      assert.ok(bodies.length > 3);
      for (const st of bodies) {
        if (/^(de)?quantize_/.test(st.name)) continue; // the float API's border conversions
        assert.doesNotMatch(st.body, /\bfloat\b|\bdouble\b|_f32\b|f32_/, `step ${st.name} computes in float:\n${st.body}`);
      }
      const feedback = [1, 2].map((i) => ({ input: s.final!.inputs[i]!.name, output: s.final!.outputs[i]!.name }));
      const st = steps(s);
      rows.push(...(await verifyC(s, { model: `conv_lstm ${precision} (${cpu})`, name: "lstm", project, targets, steps: st, feedback })));
      if (nn) rows.push(...(await verifyC(s, { model: `conv_lstm ${precision} (${cpu}, real CMSIS-NN)`, name: "lstm", project, targets, steps: st, feedback, cmsisNn: nn })));
    }
  }
  console.log(formatVerifyTable(rows));
  assert.ok(rows.length > 0);
  assertIdentical(rows);
  const m3 = rows.filter((r) => r.target === "mps2-an385");
  if (cTargets().includes("mps2-an385")) {
    assert.deepEqual(boardInfo("mps2-an385").cpuFlags, ["-mthumb", "-mcpu=cortex-m3", "-mfloat-abi=soft"]);
    assert.equal(m3.length, nn ? 4 : 2, "the Cortex-M3 board ran every build");
  }
});

test("--integer-only conv → LSTM with Silero's state layout ([2,1,H] in, sliced; Y_h and Y_c joined by a cat) in C: 4 calls, C = simulator on host and QEMU Cortex-M3, portable and real CMSIS-NN", async () => {
  const nn = realCmsisNn();
  const targets = cTargets().filter((t) => t === "host" || t === "mps2-an385");
  const rows: VerifyRow[] = [];
  for (const precision of ["int8", "int16"] as const) {
    const s = await compileConvLstmState("cortex-m3", { precision });
    const project = emitProject(s, { name: "lstm" });
    // The state enters and leaves as floats (h and c are on different grids): the split and the join are float border moves.
    assert.equal(s.final!.inputs[1]!.dtype, "f32");
    const feedback = [{ input: s.final!.inputs[1]!.name, output: s.final!.outputs[1]!.name }];
    const st = steps(s);
    rows.push(...(await verifyC(s, { model: `conv_lstm_state ${precision}`, name: "lstm", project, targets, steps: st, feedback })));
    if (nn) rows.push(...(await verifyC(s, { model: `conv_lstm_state ${precision} (real CMSIS-NN)`, name: "lstm", project, targets, steps: st, feedback, cmsisNn: nn })));
  }
  console.log(formatVerifyTable(rows));
  assert.ok(rows.length > 0 || targets.length === 0);
  assertIdentical(rows);
});

test("integer LSTM without initial state, batch 2, in C: C = simulator on host and QEMU Cortex-M3 (portable and real CMSIS-NN)", async () => {
  const nn = realCmsisNn();
  const targets = cTargets().filter((t) => t === "host" || t === "mps2-an385");
  const s = await buildStages(convLstmStatelessModel(), { stage: "final", target: "cortex-m3", calibRandom: CONV_LSTM_CALIB, integerOnly: true });
  const project = emitProject(s, { name: "lstm" });
  const st = [80, 81].map((seed) => randomFeeds(s.final!, seed));
  const rows: VerifyRow[] = [...(await verifyC(s, { model: "conv_lstm_b2", name: "lstm", project, targets, steps: st }))];
  if (nn) rows.push(...(await verifyC(s, { model: "conv_lstm_b2 (real CMSIS-NN)", name: "lstm", project, targets, steps: st, cmsisNn: nn })));
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
});
