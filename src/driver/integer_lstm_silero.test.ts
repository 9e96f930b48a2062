// Silero VAD v5 with --integer-lstm: the int8 build with its LSTM on CMSIS-NN's integer kernel
// (arm_lstm_unidirectional_s8) instead of float, calibrated on one synthesized clip and evaluated frame by frame
// on another through the bit-exact simulator (state carried), against the float model; the plain int8 build
// alongside. The generated C equals the simulator on the host and on QEMU's Cortex-M4 with the real CMSIS-NN,
// whose instruction counts per frame are printed for both builds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeWav } from "../io/wav.js";
import { audioToolsAvailable, sileroClips } from "../../test/support/test_audio.js";
import { cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { buildStages, type BuildOptions } from "./stages.js";
import { ENGINES } from "./verify.js";
import { makeRunner, streamRun } from "./run.js";
import { probsOf } from "./stream.js";
import { formatVerifyTable, verifyC, type CTarget } from "./engines_c.js";
import { randomFeeds } from "../io/feeds.js";
import { LSTM_OP } from "../ops/rnn/lstm.js";
import { QUANTIZED_LSTM } from "../ops/cortex_m/lstm.js";

const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-intlstm-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("Silero VAD v5 --integer-lstm: decisions and max |Δp| against float on the evaluation clip; C = simulator (host, QEMU M4 real CMSIS-NN)", async (t) => {
  if (!audioToolsAvailable()) {
    t.skip("espeak-ng/sox not installed");
    return;
  }
  const { calib, evalClip } = sileroClips();
  const calibPath = join(dir, "calib.wav");
  writeWav(calibPath, calib, 16000);
  const float = await makeRunner("silero-vad", "float", {});
  const stream = float.loaded.builtin!.stream!;
  const pf = probsOf(stream, (await streamRun(float, "eval", evalClip)).frames);
  const measure = async (integerLstm: boolean) => {
    const opts: Omit<BuildOptions, "stage"> = { calib: [calibPath], target: "cortex-m4", ...(integerLstm ? { integerLstm: true } : {}) };
    const stages = await buildStages("silero-vad", { ...opts, stage: "final" });
    const engine = await ENGINES.get("int8")!(stages);
    const pq = probsOf(stream, (await streamRun({ loaded: stages.model, run: (f) => engine.run(f) }, "eval", evalClip)).frames);
    let maxDp = 0, agree = 0;
    for (let i = 0; i < pf.length; i++) {
      maxDp = Math.max(maxDp, Math.abs(pf[i]! - pq[i]!));
      if (pf[i]! > 0.5 === pq[i]! > 0.5) agree++;
    }
    return { stages, maxDp, agreement: agree / pf.length };
  };
  const int8 = await measure(false);
  const intLstm = await measure(true);
  assert.ok(int8.stages.final!.nodes.some((n) => n.op === LSTM_OP.name), "the int8 build keeps the float LSTM");
  assert.ok(intLstm.stages.final!.nodes.some((n) => n.op === QUANTIZED_LSTM.name) && !intLstm.stages.final!.nodes.some((n) => n.op === LSTM_OP.name));

  const nn = realCmsisNn();
  const targets = cTargets().filter((x): x is CTarget => x === "host" || x === "mps2-an386");
  const steps = [1, 2].map((seed) => randomFeeds(intLstm.stages.final!, seed));
  steps[0]![stream.state[0]!.input]!.data.fill(0);
  const rows = [];
  for (const [label, m] of [["int8", int8], ["int8 --integer-lstm", intLstm]] as const) {
    rows.push(...(await verifyC(m.stages, { model: `silero-vad ${label}${nn ? " (real CMSIS-NN)" : ""}`, name: "vad", targets, steps, feedback: stream.state, ...(nn ? { cmsisNn: nn } : {}) })));
  }
  const speech = pf.filter((p) => p > 0.5).length;
  console.log(
    `silero-vad v5, simulator vs float, ${pf.length} frames (${speech} speech), target cortex-m4:\n` +
      `  int8 (float LSTM):  max |Δp| = ${int8.maxDp.toFixed(4)}, agreement = ${(100 * int8.agreement).toFixed(2)}%, arena ${int8.stages.plan!.arenaBytes} B\n` +
      `  int8 --integer-lstm: max |Δp| = ${intLstm.maxDp.toFixed(4)}, agreement = ${(100 * intLstm.agreement).toFixed(2)}%, arena ${intLstm.stages.plan!.arenaBytes} B\n` +
      formatVerifyTable(rows),
  );
  assert.ok(speech > pf.length * 0.2 && speech < pf.length * 0.8, `speech frames ${speech}/${pf.length}`);
  assert.ok(intLstm.agreement >= 0.97, `agreement ${intLstm.agreement}`);
  for (const r of rows) assert.equal(r.identical, true, `${r.model} on ${r.target}: ${r.mismatches.join("; ")}`);
});
