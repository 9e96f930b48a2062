// The generated C linked with the real CMSIS-NN (../shared/third_party/CMSIS-NN,
// only the sources the model's kernels need, objects cached) gives the
// TypeScript simulator's bytes, element by element: Silero VAD v5 and 16k,
// Wav2Letter (1,1,700) (external weights on a board too small for them), YOLO11n 96×96
// and the 8 conv1d cases, on the host and QEMU's Cortex-M55, M4 and M3 — each
// compiled with --target of that core, since the real library's scratch sizes
// and kernels depend on it. The host runs the library's pure-C path, the M3's
// (same scratch sizes), so it takes the cortex-m3 compile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages, type Stages } from "./stages.js";
import { formatVerifyTable, verifyC, type CTarget, type Feeds, type VerifyRow } from "./engines_c.js";
import type { Feedback } from "../emit/harness.js";
import { randomFeeds } from "../io/feeds.js";
import type { EmitInput } from "../emit/project.js";
import { CONV1D_CASES } from "../models/conv1d_cases.js";
import { boardInfo } from "../targets/boards.js";
import { assertIdentical, cTargets, realCmsisNn, smallModel } from "../../test/support/c_models.js";

const NN = realCmsisNn();

/** Compile target → the C targets it runs on (those available here). */
function byCore(): [string, CTarget[]][] {
  const targets = cTargets();
  const cores = new Map<string, CTarget[]>();
  for (const t of targets) {
    const cpu = t === "host" ? "cortex-m3" : boardInfo(t).cpu;
    cores.set(cpu, [...(cores.get(cpu) ?? []), t]);
  }
  return [...cores];
}

interface Case {
  model: string;
  name: string;
  stages(target: string): Promise<EmitInput>;
  steps(s: EmitInput): Feeds[];
  feedback?: (s: Stages) => readonly Feedback[];
}

async function run(c: Case): Promise<VerifyRow[]> {
  const rows: VerifyRow[] = [];
  for (const [cpu, targets] of byCore()) {
    const s = await c.stages(cpu);
    const feedback = c.feedback ? c.feedback(s as Stages) : [];
    const got = await verifyC(s, { model: `${c.model} (${cpu})`, name: c.name, targets, steps: c.steps(s), feedback, cmsisNn: NN! });
    rows.push(...got);
  }
  console.log(formatVerifyTable(rows));
  return rows;
}

const builtin = (model: string, inputShapes?: Record<string, number[]>) => (target: string) =>
  buildStages(model, { stage: "final", target, ...(inputShapes ? { inputShapes } : {}) });

/** Two frames of a stream model, the state carried by the harness from a zero start. */
function streamCase(model: string, name: string): Case {
  return {
    model, name, stages: builtin(model),
    steps: (s) => {
      const st = (s as Stages).model.builtin!.stream!;
      const steps = [1, 2].map((seed) => randomFeeds(s.final!, seed));
      steps[0]![st.state[0]!.input]!.data.fill(0);
      return steps;
    },
    // By position: the final graph may rename an output (silero-vad-16k's dequantized new_state).
    feedback: (s) => s.model.builtin!.stream!.state.map((f) => ({
      input: f.input, output: s.final!.outputs[s.float.outputs.findIndex((v) => v.name === f.output)]!.name,
    })),
  };
}

test("real CMSIS-NN: Silero VAD v5, two frames with state, = simulator on host, M55, M4, M3", { skip: !NN }, async () => {
  assertIdentical(await run(streamCase("silero-vad", "vad")));
});

test("real CMSIS-NN: Silero VAD 16k, two frames with state, = simulator on host, M55, M4, M3", { skip: !NN }, async () => {
  assertIdentical(await run(streamCase("silero-vad-16k", "vad16")));
});

test("real CMSIS-NN: Wav2Letter (1,1,700) = simulator on host, M55, M4, M3 (external weights where a board is too small)", { skip: !NN }, async () => {
  assertIdentical(await run({ model: "wav2letter", name: "w2l", stages: builtin("wav2letter", { input: [1, 1, 700] }), steps: (s) => [randomFeeds(s.final!, 9)] }));
});

test("real CMSIS-NN: YOLO11n 96x96 = simulator on host, M55, M4, M3", { skip: !NN }, async () => {
  assertIdentical(await run({ model: "yolo11n-96", name: "yolo", stages: builtin("yolo11n", { images: [1, 3, 96, 96] }), steps: (s) => [randomFeeds(s.final!, 5)] }));
});

test("real CMSIS-NN: the 8 conv1d cases = simulator on host, M55, M4, M3", { skip: !NN }, async () => {
  const rows: VerifyRow[] = [];
  for (const c of CONV1D_CASES) {
    rows.push(...(await run({
      model: c.name, name: c.name, stages: async (target) => smallModel(c.build, c.input, target), steps: (s) => [randomFeeds(s.final!, 11)],
    })));
  }
  assert.equal(rows.length, CONV1D_CASES.length * cTargets().length);
  assertIdentical(rows);
});
