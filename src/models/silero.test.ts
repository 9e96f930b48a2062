// The built-in Silero VAD models against onnxruntime-node on synthesized speech,
// frame by frame with the recurrent state carried, as a VAD runtime feeds them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTensor, type Tensor } from "../ir/tensor.js";
import type { Graph } from "../ir/graph.js";
import { runFloat } from "../interp/float.js";
import { readWav } from "../io/wav.js";
import { sileroModelPath, sileroVad, sileroVadLegacy } from "./silero.js";
import type { BuiltinModel } from "./types.js";
import { makeSpeechMix, speechToolsMissing } from "../../test/fixtures/speech-audio.js";
import { ortRun, ortSession } from "../../test/fixtures/ort.js";

const MIN_FRAMES = 30;

function audioOrSkip(t: { skip(msg: string): void }): Float32Array | null {
  const missing = speechToolsMissing();
  if (missing) {
    if (process.env.CI) assert.fail(`speech fixture: ${missing}`);
    t.skip(`speech fixture: ${missing}`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "silero-audio-"));
  try {
    return readWav(makeSpeechMix(dir), { expectRate: 16000 }).samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stream `audio` through our float graph and ORT, state carried; returns both probability tracks. */
async function streamBoth(model: BuiltinModel, file: "silero_vad_v5.onnx" | "silero_vad_legacy.onnx", g: Graph, audio: Float32Array) {
  const s = model.stream!;
  const session = await ortSession(sileroModelPath(file));
  const stateShape = (name: string) => g.inputs.find((v) => v.name === name)!.shape;
  let oursState: Record<string, Tensor> = {};
  let ortState: Record<string, { data: Float32Array; dims: number[] }> = {};
  for (const st of s.state) {
    const shape = stateShape(st.input);
    oursState[st.input] = makeTensor("f32", shape);
    ortState[st.input] = { data: new Float32Array(shape.reduce((a, b) => a * b, 1)), dims: shape };
  }
  const ours: number[] = [];
  const ref: number[] = [];
  let context = new Float32Array(s.context);
  const frames = Math.floor(audio.length / s.frame);
  for (let f = 0; f < frames; f++) {
    const chunk = new Float32Array(s.context + s.frame);
    chunk.set(context, 0);
    chunk.set(audio.subarray(f * s.frame, (f + 1) * s.frame), s.context);
    context = chunk.slice(chunk.length - s.context);
    const shape = [1, chunk.length];
    const mine = runFloat(g, { [s.audioInput]: makeTensor("f32", shape, chunk), ...oursState });
    const theirs = await ortRun(session, {
      [s.audioInput]: { data: chunk, dims: shape },
      sr: { data: [s.sampleRate], dims: [], type: "int64" },
      ...ortState,
    });
    ours.push(mine[s.probOutput]!.data[0]!);
    ref.push(theirs[s.probOutput]!.data[0]!);
    oursState = Object.fromEntries(s.state.map((st) => [st.input, mine[st.output]!]));
    ortState = Object.fromEntries(s.state.map((st) => [st.input, theirs[st.output]!]));
  }
  return { ours, ref };
}

function report(name: string, ours: number[], ref: number[]): number {
  let maxD = 0;
  ours.forEach((p, i) => (maxD = Math.max(maxD, Math.abs(p - ref[i]!))));
  const speechy = ref.filter((p) => p > 0.5).length;
  console.log(`${name}: ${ours.length} frames, max |Δp| = ${maxD.toExponential(2)}, frames with p > 0.5: ${speechy}`);
  return maxD;
}

test("silero-vad (v5) matches onnxruntime over the speech/silence/noise stream (|Δp| ≤ 1e-4)", async (t) => {
  const audio = audioOrSkip(t);
  if (!audio) return;
  const g = sileroVad.load();
  const { ours, ref } = await streamBoth(sileroVad, "silero_vad_v5.onnx", g, audio);
  assert.ok(ours.length >= MIN_FRAMES, `only ${ours.length} frames`);
  assert.ok(ref.some((p) => p > 0.5) && ref.some((p) => p < 0.1), "the stream should hold both speech and non-speech frames");
  assert.ok(report("silero-vad v5", ours, ref) <= 1e-4);
});

test("silero-vad-legacy matches onnxruntime over the speech/silence/noise stream (|Δp| ≤ 1e-4)", async (t) => {
  const audio = audioOrSkip(t);
  if (!audio) return;
  const g = sileroVadLegacy.load();
  const { ours, ref } = await streamBoth(sileroVadLegacy, "silero_vad_legacy.onnx", g, audio);
  assert.ok(ours.length >= MIN_FRAMES, `only ${ours.length} frames`);
  assert.ok(report("silero-vad legacy", ours, ref) <= 1e-4);
});

test("imported v5 graph: 6 convolutions (STFT, 4 encoder, 1 decoder) and one LSTM", () => {
  const g = sileroVad.load();
  const counts = g.opCounts();
  console.log(`silero-vad op counts: ${JSON.stringify(counts)}`);
  assert.equal(counts["aten.convolution"], 6);
  assert.equal(counts["aten.lstm"], 1);
  const convs = g.nodes.filter((n) => n.op === "aten.convolution").map((n) => ({ k: n.input(1).shape[2], stride: n.attrs.stride }));
  // 16 kHz branch: STFT k256 s128, encoder k3 with strides 1,2,2,1, decoder k1.
  assert.deepEqual(convs, [
    { k: 256, stride: [128] }, { k: 3, stride: [1] }, { k: 3, stride: [2] }, { k: 3, stride: [2] }, { k: 3, stride: [1] }, { k: 1, stride: [1] },
  ]);
  assert.deepEqual(g.inputs.map((v) => [v.name, v.shape]), [["input", [1, 576]], ["state", [2, 1, 128]]]);
  assert.deepEqual(g.outputs.map((v) => v.name), ["output", "stateN"]);
});

test("legacy graph keeps h/c inputs and hn/cn outputs; sr can be re-bound", () => {
  const g = sileroVadLegacy.load();
  assert.deepEqual(g.inputs.map((v) => [v.name, v.shape]), [["input", [1, 512]], ["h", [2, 1, 64]], ["c", [2, 1, 64]]]);
  assert.deepEqual(g.outputs.map((v) => v.name), ["output", "hn", "cn"]);
  assert.equal(g.opCounts()["aten.lstm"], 2);
  // The 8 kHz branch of v5 has a k128 s64 STFT conv.
  const g8 = sileroVad.load({ bind: { sr: 8000 }, inputShapes: { input: [1, 288] } });
  assert.equal(g8.nodes.find((n) => n.op === "aten.convolution")!.input(1).shape[2], 128);
});
