// Silero VAD v5 --integer-only (issue #13 Deliver 3), front end: the STFT magnitude sqrt(re² + im²) and the
// final mean leave float (cortex_m.quantized_hypot, arm_avgpool_s8), the relu after the (integer) LSTM is a
// clamp, and an int16 front block ends in an integer requantization. The whole build has no float node; its
// quality is printed — agreement and max |Δp| against float on the shared evaluation clip, simulator, state
// carried — next to the default int8 build and to the per-op alternative; its C runs on QEMU's Cortex-M3 with
// soft float and the real CMSIS-NN, equal to the simulator, with no float arithmetic in the steps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeWav } from "../io/wav.js";
import { audioToolsAvailable, sileroClips } from "../../test/support/test_audio.js";
import { buildStages, stagesOf, type BuildOptions, type Stages } from "./stages.js";
import { ENGINES } from "./verify.js";
import { makeRunner, streamRun } from "./run.js";
import { probsOf } from "./stream.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { firstFloatNode } from "../lower/integer_only.js";
import { planGraph } from "../plan/graph_plan.js";
import { loadModel } from "../models/index.js";
import { MUL, POW } from "../ops/elementwise/binary.js";
import { emitProject } from "../emit/project.js";
import { randomFeeds } from "../io/feeds.js";
import { formatVerifyTable, verifyC, type CTarget, type VerifyRow } from "./engines_c.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { assertNoFloatSteps, finalFeedback } from "../../test/support/integer_only.js";
import type { Node } from "../ir/graph.js";
import { QUANTIZED_LSTM } from "../ops/cortex_m/lstm.js";
import { decisionAgreement } from "../../test/support/quality.js";

const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-intfront-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const PREFIX = "If_0_then_branch__Inline_0__/";

test("Silero VAD v5 --integer-only front end: no float pow/add/sqrt/mean; agreement with float printed next to int8", async (t) => {
  if (!audioToolsAvailable()) {
    t.skip("espeak-ng/sox not installed: skipping the Silero VAD integer-only front-end test");
    return;
  }
  const { calib, evalClip } = sileroClips();
  const calibPath = join(dir, "calib.wav");
  writeWav(calibPath, calib, 16000);
  const base: Omit<BuildOptions, "stage"> = { calib: [calibPath], target: "cortex-m3" };

  const float = await makeRunner("silero-vad", "float", {});
  const stream = float.loaded.builtin!.stream!;
  const pf = probsOf(stream, (await streamRun(float, "eval", evalClip)).frames);
  const measure = async (stages: Stages) => {
    const engine = await ENGINES.get("int8")!(stages);
    const pq = probsOf(stream, (await streamRun({ loaded: stages.model, run: (f) => engine.run(f) }, "eval", evalClip)).frames);
    return decisionAgreement(pf, pq);
  };
  /** The integer-only build (buildStages refuses it if any node is left in float). */
  const integerOnly = async (extra: Omit<BuildOptions, "stage">, perOp = false): Promise<Stages> => {
    const model = loadModel("silero-vad");
    if (perOp) {
      // The alternative the fused kernel was chosen over: pow(x, 2) written x·x is no magnitude chain, so the
      // squares, their sum and the root each get their own int8 kernel (mul, add, a sqrt table) and grid.
      const g = model.graph;
      for (const n of [...g.nodes].filter((n) => n.op === POW.name)) g.replaceAllUses(n.output, g.op(MUL.name, [n.inputs[0]!, n.inputs[0]!], {}, { before: n, name: `${n.name}_mul` }));
      g.dce();
    }
    return stagesOf(model, { ...base, ...extra, integerOnly: true, stage: "final" });
  };

  const int8 = await buildStages("silero-vad", { ...base, stage: "final" });
  const io8 = await integerOnly({});
  const io16 = await integerOnly({ int16Nodes: [`${PREFIX}stft/Conv`] });
  // int16 from the audio through encoder conv 1 (the block the issue measured best): the border back to int8 is
  // an integer requantization in this build.
  const io16e = await integerOnly({ int16Nodes: [`${PREFIX}stft/Conv`, `${PREFIX}encoder/0/reparam_conv/Conv`, `${PREFIX}encoder/1/reparam_conv/Conv`] });
  // (the other two are the int16 recurrent state's crossings: h0 onto the LSTM's int8 grid, Y_h onto the state's)
  const crossing = (n: Node): string => `${n.inputs[0]!.dtype}->${n.output.dtype}${n.output.users().some((u) => u.op === QUANTIZED_LSTM.name || u.op === "aten.cat") ? " (state)" : ""}`;
  assert.deepEqual(io16e.final!.nodes.filter((n) => n.op === "cortex_m.requantize").map(crossing).sort(), ["i16->i8", "i16->i8 (state)", "i8->i16 (state)"]);
  const variants = [["int8", io8], ["int16 STFT", io16], ["int16 to encoder 1", io16e]] as const;
  for (const [label, s] of variants) {
    const g = s.final!;
    const left = g.nodes.filter((n) => ["aten.pow", "aten.sqrt", "aten.mean"].includes(n.op) || (n.op === "aten.add" && n.name.includes("stft")));
    assert.deepEqual(left.map((n) => n.name), [], `${label}: float front-end nodes left`);
    const hyp = g.nodes.filter((n) => n.op === "cortex_m.quantized_hypot");
    assert.equal(hyp.length, 1, label);
    assert.equal(hyp[0]!.inputs[0]!.dtype, label === "int8" ? "i8" : "i16");
    assert.equal(hyp[0]!.output.dtype, label === "int16 to encoder 1" ? "i16" : "i8");
    assert.ok(g.nodes.some((n) => n.op === "cortex_m.quantized_avg_pool2d" && n.name.includes("ReduceMean")), `${label}: mean → avgpool`);
    assert.equal(firstFloatNode(g)?.name ?? null, null, label);
    assert.ok(g.nodes.some((n) => n.op === "cortex_m.quantized_lstm"), `${label}: integer LSTM`);
    const relu = g.nodes.find((n) => n.name.includes("decoder/decoder/1/Relu"));
    assert.equal(relu?.op, "cortex_m.clamp", `${label}: the relu after the LSTM is a clamp`);
  }
  const f8 = await measure(int8);
  const fio8 = await measure(io8);
  const fio16 = await measure(io16);
  const fio16e = await measure(io16e);
  const perOp = await integerOnly({}, true);
  assert.deepEqual(perOp.final!.nodes.filter((n) => n.name.includes("stft/") && !n.op.startsWith("cortex_m.quantized_conv") && n.op.startsWith("cortex_m.quantized")).map((n) => n.op),
    ["cortex_m.quantized_mul", "cortex_m.quantized_mul", "cortex_m.quantized_add", "cortex_m.quantized_activation"]);
  const fper = await measure(perOp);
  const row = (label: string, f: { maxDp: number; agreement: number }) =>
    `  ${label}: agreement ${(100 * f.agreement).toFixed(2)}%, max |Δp| ${f.maxDp.toFixed(4)}`;
  console.log([
    `silero-vad v5 vs float, simulator, ${pf.length} frames (integer-only rows: no float op, integer LSTM s8):`,
    row("int8 default (magnitude, mean in float)", f8),
    row("--integer-only front, int8 STFT        ", fio8),
    row("--integer-only front, int16 STFT       ", fio16),
    row("--integer-only, int16 to encoder 1     ", fio16e),
    row("per-op int8 (mul, add, sqrt table)     ", fper),
  ].join("\n"));
  // Why the magnitude is one kernel: int8 |X|² (and its sum) loses the quiet frames.
  assert.ok(fio8.agreement > fper.agreement, `fused ${fio8.agreement} vs per-op ${fper.agreement}`);

  // The generated C of both integer-only builds (clg_hypot on int8 and int16, the mean's avgpool) equals the
  // simulator over two frames with the state carried, on the host and on QEMU's Cortex-M3 (soft float: the LSTM,
  // still float here, runs in software floating point), with the real CMSIS-NN where it is checked out.
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === "mps2-an385");
  const nn = realCmsisNn();
  const rows: VerifyRow[] = [];
  for (const [label, s] of variants) {
    const project = emitProject(s, { name: "vad" });
    const c = project.files.get("vad.c") as string;
    assert.ok(c.includes("clg_hypot("), `${label}: clg_hypot called`);
    // No step of the integer API computes in float: the border conversions (int8 and int16 ports: the audio, the
    // recurrent state) run only for vad_run_float.
    assertNoFloatSteps(c, 11);
    const steps = [1, 2].map((seed) => randomFeeds(s.final!, seed));
    steps[0]![stream.state[0]!.input]!.data.fill(0);
    rows.push(...(await verifyC(s, { model: `silero --integer-only front (${label})`, name: "vad", project, targets, steps, feedback: finalFeedback(s, stream.state), ...(nn ? { cmsisNn: nn } : {}) })));
  }
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  // The integer magnitude rounds only its square root and output: no worse than the float island by more than noise.
  assert.ok(fio8.agreement >= 0.98, `agreement ${fio8.agreement}`);
  assert.ok(fio16.agreement >= 0.98, `agreement ${fio16.agreement}`);
  assert.ok(fio16e.agreement >= 0.98, `agreement ${fio16e.agreement}`);
});
