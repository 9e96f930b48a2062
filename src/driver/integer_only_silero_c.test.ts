// Silero VAD v5 --integer-only (issue #13 Deliver 3, Must show): calibrated on
// one synthesized clip, the whole model lowers to integer kernels (the STFT
// magnitude, the integer LSTM with its state carried, the mean, the decoder),
// so it runs on a core without an FPU. The final graph has no float op; the
// generated model.c has no float arithmetic in any step (the recurrent state
// [2,1,128] is one int16 group at the LSTM cell's power-of-two scale: int16
// ports of vad_run, quantized only by vad_run_float; h crosses to and from the
// LSTM's int8 output grid by integer requantizes, the decoder still reads Y_h
// on that int8 grid); built for
// -mcpu=cortex-m3 -mfloat-abi=soft against the real CMSIS-NN it equals the
// simulator byte for byte on the host and on QEMU's Cortex-M3 over streamed
// calls with the state fed back. Printed: agreement and max |Δp| against the
// float model on a different evaluation clip, and the M3 instructions per frame
// (the goal: at most 3 M).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeWav } from "../io/wav.js";
import { audioToolsAvailable, sileroClips } from "../../test/support/test_audio.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { assertNoFloatSteps, finalFeedback } from "../../test/support/integer_only.js";
import { buildStages } from "./stages.js";
import { ENGINES } from "./verify.js";
import { makeRunner, streamRun } from "./run.js";
import { probsOf } from "./stream.js";
import { formatVerifyTable, verifyC, type CTarget } from "./engines_c.js";
import { emitProject } from "../emit/project.js";
import { randomFeeds } from "../io/feeds.js";
import { firstFloatNode } from "../lower/integer_only.js";
import { QUANTIZED_LSTM } from "../ops/cortex_m/lstm.js";
import { REQUANTIZE } from "../ops/cortex_m/requantize.js";
import { boardInfo } from "../targets/boards.js";

const NN = realCmsisNn();
const M3 = "mps2-an385";
const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-intonly-silero-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("Silero VAD v5 --integer-only: no float op; C on QEMU Cortex-M3 (soft float, real CMSIS-NN) and host = simulator, state carried; quality and M3 instructions printed", { skip: !NN && "no real CMSIS-NN" }, async (t) => {
  if (!audioToolsAvailable()) {
    t.skip("espeak-ng/sox not installed");
    return;
  }
  assert.deepEqual(boardInfo(M3).cpuFlags, ["-mthumb", "-mcpu=cortex-m3", "-mfloat-abi=soft"]);
  const { calib, evalClip } = sileroClips();
  const calibPath = join(dir, "calib.wav");
  writeWav(calibPath, calib, 16000);
  const s = await buildStages("silero-vad", { stage: "final", target: "cortex-m3", calib: [calibPath], integerOnly: true });
  const g = s.final!;
  assert.equal(firstFloatNode(g)?.name ?? null, null);
  // Every float value is a model input or output, read or written only by its border quantize / dequantize
  // (which the integer API replaces); the recurrent state too: one int16 group at the cell's power-of-two scale.
  for (const n of g.nodes) {
    if (![...n.inputs, ...n.outputs].some((v) => v?.dtype === "f32")) continue;
    assert.match(n.op, /^cortex_m\.(quantize|dequantize)_per_tensor$/, `${n.name} (${n.op}) touches float`);
  }
  const stateIn = g.inputs[s.float.inputs.findIndex((v) => v.name === "state")]!;
  const stateOut = g.outputs[s.float.outputs.findIndex((v) => v.name === "stateN")]!;
  const [qIn, dqOut] = [stateIn.users()[0]!, stateOut.producer!];
  assert.equal(stateIn.uses.length, 1);
  assert.deepEqual([qIn.output.dtype, dqOut.inputs[0]!.dtype], ["i16", "i16"], "the state is int16 inside the model");
  assert.equal(qIn.attrs.scale, dqOut.attrs.scale, "state and stateN share one grid");
  assert.ok(Number.isInteger(Math.log2(qIn.attrs.scale as number)), "the cell's power-of-two scale");
  // h is carried on the state grid between calls: when that grid is at least as fine as the LSTM's int8
  // output grid, int8 → int16 → int8 gives every code back, so carrying h costs nothing against a float state.
  const lstm = g.nodes.find((n) => n.op === QUANTIZED_LSTM.name)!;
  const yScale = lstm.outputs[0]!.type.qparams!.scale[0]!;
  assert.ok((qIn.attrs.scale as number) <= yScale, `state grid ${qIn.attrs.scale} coarser than Y's ${yScale}`);
  // The two integer borders of the state group: h0 onto Y's grid for the kernel, Y_h (through its views) onto the state's for the cat.
  const crossings = g.nodes.filter((n) => n.op === REQUANTIZE.name).map((n) => `${n.inputs[0]!.dtype}->${n.output.dtype} ${n.output.users().map((u) => u.op).join(",")}`);
  assert.deepEqual(crossings.sort(), [`i16->i8 ${QUANTIZED_LSTM.name}`, "i8->i16 aten.cat"]);

  // Quality: the bit-exact simulator streamed over the evaluation clip, state carried, against the float model.
  const float = await makeRunner("silero-vad", "float", {});
  const stream = float.loaded.builtin!.stream!;
  const pf = probsOf(stream, (await streamRun(float, "eval", evalClip)).frames);
  const engine = await ENGINES.get("int8")!(s);
  const pq = probsOf(stream, (await streamRun({ loaded: s.model, run: (f) => engine.run(f) }, "eval", evalClip)).frames);
  let maxDp = 0, agree = 0;
  for (let i = 0; i < pf.length; i++) {
    maxDp = Math.max(maxDp, Math.abs(pf[i]! - pq[i]!));
    if (pf[i]! > 0.5 === pq[i]! > 0.5) agree++;
  }

  // The C: no float in any step, and byte-equal to the simulator over three calls with the state fed back.
  const p = emitProject(s, { name: "vad" });
  const steps = assertNoFloatSteps(p.files.get("vad.c") as string, 10);
  assert.match(p.files.get("vad.h") as string, /int vad_run\([^)]*const int16_t \*state\b[^)]*int16_t \*stateN\b/, "vad_run takes and gives the state as int16");
  const feeds = [1, 2, 3].map((seed) => randomFeeds(g, seed));
  feeds[0]![stream.state[0]!.input]!.data.fill(0);
  const targets = cTargets().filter((x): x is CTarget => x === "host" || x === M3);
  // (stateN leaves through its border dequantize, whose name the final graph keeps: feedback by position)
  const feedback = finalFeedback(s, stream.state);
  assert.deepEqual(feedback, [{ input: stateIn.name, output: stateOut.name }]);
  const rows = await verifyC(s, { model: "silero-vad --integer-only (real CMSIS-NN)", name: "vad", project: p, targets, steps: feeds, feedback, cmsisNn: NN! });
  const m3 = rows.find((r) => r.target === M3);
  console.log(
    `silero-vad v5 --integer-only, simulator vs float on the evaluation clip (${pf.length} frames): ` +
      `agreement ${(100 * agree / pf.length).toFixed(2)}%, max |Δp| ${maxDp.toFixed(4)}; arena ${s.plan!.arenaBytes} B\n` +
      `  ${steps.length} steps, none computing in float (the int16 state: scale ${qIn.attrs.scale}, Y's int8 grid ${yScale.toPrecision(4)})\n` +
      `  QEMU Cortex-M3 (soft float, real CMSIS-NN): ${m3?.instructions ?? "-"} instructions per frame (goal ≤ 3,000,000)\n` +
      formatVerifyTable(rows),
  );
  assertIdentical(rows);
  assert.ok(m3 || !cTargets().includes(M3), "ran on the Cortex-M3 board");
  assert.ok(agree / pf.length >= 0.95, `agreement ${agree / pf.length}`);
});
