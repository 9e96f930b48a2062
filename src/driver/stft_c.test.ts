// cortex_m.stft_f32 end to end, on Silero VAD v5 with its STFT conv kept float (what --precision auto keeps
// float when the STFT output spans more than int16): the lowering turns the DFT-basis conv into the FFT op,
// the generated C equals the simulator element by element on the host (sanitizers) and on the M4 board
// (QEMU mps2-an386, single-precision FPU), and on that board, with the real CMSIS-NN, the FFT step costs a
// fraction of the generic float conv (clg_conv4_f32 / clg_window_f32) it replaces — measured on the same build with only
// that node put back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildStages, type Stages } from "./stages.js";
import { verifyC } from "./engines_c.js";
import { profileC } from "./profile.js";
import { randomFeeds } from "../io/feeds.js";
import { cloneGraph } from "../ir/clone.js";
import { planGraph } from "../plan/graph_plan.js";
import { CONV_F32 } from "../ops/cortex_m/conv_f32.js";
import { dftWeights } from "../../test/support/dft_basis.js";
import { STFT_F32 } from "../ops/cortex_m/stft.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import { ARM, realCmsisNn } from "../../test/support/c_models.js";
import type { EmitInput } from "../emit/project.js";
import type { Value } from "../ir/graph.js";
import { ModelBuilder } from "../builder/index.js";
import { quantizeGraph } from "../quantize/quantize.js";
import { randomSource } from "../quantize/calibrate.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";

const STFT = "If_0_then_branch__Inline_0__/stft/Conv";
const NN = realCmsisNn();

let stages: Stages | null = null;
async function silero(): Promise<Stages> {
  stages ??= await buildStages("silero-vad", { keepFloatNodes: [STFT], target: "cortex-m4", stage: "final" });
  return stages;
}

test("Silero VAD with the STFT conv kept float: the conv becomes cortex_m.stft_f32, the C equals the simulator (host, M4 board)", async () => {
  const s = await silero();
  const ops = s.final!.nodes.filter((n) => n.name.startsWith(STFT)).map((n) => n.op);
  assert.deepEqual(ops, [STFT_F32.name]);
  const stream = s.model.builtin!.stream!;
  const steps = [1, 2].map((seed) => randomFeeds(s.final!, seed));
  steps[0]![stream.state[0]!.input]!.data.fill(0);
  const rows = await verifyC(s, { name: "vad", targets: ARM ? ["host", "mps2-an386"] : ["host"], steps, feedback: stream.state });
  assert.deepEqual(rows.map((r) => [r.target, r.identical, r.mismatches]), (ARM ? ["host", "mps2-an386"] : ["host"]).map((t) => [t, true, []]));
});

/** The same final graph with the FFT node put back as the float conv it replaced (the generic window loop). */
function withConvBack(s: Stages): EmitInput {
  const g = cloneGraph(s.final!);
  const node = g.nodes.find((n) => n.op === STFT_F32.name)!;
  const orig = s.quantized!.graph.nodes.find((n) => n.name === STFT)!;
  const w = orig.inputs[1]!;
  const weight = g.addConst(w.name, "f32", [...w.shape], w.data!);
  const y = g.op(CONVOLUTION.name, [node.inputs[0]!, weight, null], { ...orig.attrs }, { before: node, name: STFT });
  g.replaceAllUses(node.output, y);
  g.eraseNode(node);
  g.dce();
  return { final: g, plan: planGraph(g), options: s.options, float: s.float, model: s.model };
}

test("Silero VAD's STFT on the M4 board (QEMU, real CMSIS-NN): clg_stft_f32 against the float conv it replaces", { skip: (!NN || !ARM) && "no arm-none-eabi-gcc/qemu or no real CMSIS-NN" }, async () => {
  const s = await silero();
  const feeds = randomFeeds(s.final!, 1);
  const fft = await profileC(s, { model: "silero-vad", target: "cortex-m4", feeds, cmsisNn: NN!, name: "vad" });
  const conv = await profileC(withConvBack(s), { model: "silero-vad", target: "cortex-m4", feeds, cmsisNn: NN!, name: "vad" });
  const step = (r: typeof fft, op: string) => r.steps.find((x) => x.op === op && x.name.startsWith(STFT))!;
  const a = step(fft, STFT_F32.name).instructions;
  const { instructions: b, kernel } = step(conv, CONVOLUTION.name);
  console.log(
    `silero-vad, STFT conv kept float, on mps2-an386 (cortex-m4, QEMU -icount, real CMSIS-NN), one inference (4 frames of 256):\n` +
      `  clg_stft_f32: ${a} instructions; whole inference ${fft.total}, arena ${fft.arenaBytes} B\n` +
      `  the float conv instead (${kernel}): ${b} instructions; whole inference ${conv.total}, arena ${conv.arenaBytes} B`,
  );
  assert.ok(a <= 100_000, `clg_stft_f32 took ${a} instructions for 4 frames`);
  assert.ok(a * 5 < b, `clg_stft_f32 ${a} vs the conv ${b}`);
});

test("float DFT-basis convs from the builder (conv1d batch 2 with asymmetric padding, +sin; 2-D over 3 rows) lower to stft_f32; C = simulator", async () => {
  const b = new ModelBuilder("stft_shapes", 5);
  const x1 = b.input("x1", [2, 1, 300]);
  const x2 = b.input("x2", [1, 1, 3, 150]);
  const conv = (x: Value, w: Value, stride: number[], padding: number[], paddingEnd: number[]): Value =>
    b.graph.op(CONVOLUTION.name, [x, w, null], { stride, padding, padding_end: paddingEnd, dilation: stride.map(() => 1), groups: 1, transposed: false, output_padding: stride.map(() => 0) });
  const y1 = conv(x1, b.constant("w1", [66, 1, 64], dftWeights(64, 1)), [16], [40], [25]);
  const y2 = conv(x2, b.constant("w2", [34, 1, 1, 32], dftWeights(32, -1)), [1, 8], [0, 4], [0, 4]);
  // A float conv that is not a DFT basis (the same weights with one entry moved) stays a (float) conv.
  const moved = dftWeights(64, 1);
  moved[70] = moved[70]! + 1e-3;
  const y3 = conv(x1, b.constant("w3", [66, 1, 64], moved), [16], [0], [0]);
  b.output(b.relu(y1), "y1");
  b.output(y2, "y2");
  b.output(y3, "y3");
  const q = quantizeGraph(b.build(), randomSource(3, { seed: 2 }), { sqnr: false, keepFloat: () => true });
  const options = lowerOptions("cortex-m4");
  const { final } = lowerGraph(q.graph, options);
  const ops = final.nodes.map((n) => n.op).filter((o) => o === STFT_F32.name || o === CONVOLUTION.name || o === CONV_F32.name).sort();
  assert.deepEqual(ops, [CONV_F32.name, STFT_F32.name, STFT_F32.name]);
  const m: EmitInput = { final, plan: planGraph(final), options };
  const steps = [randomFeeds(final, 3)];
  const targets = ARM ? ["host", "mps2-an386"] as const : ["host"] as const;
  const rows = await verifyC(m, { name: "stft", targets, steps });
  assert.deepEqual(rows.map((r) => [r.target, r.identical, r.mismatches]), targets.map((t) => [t, true, []]));
});
