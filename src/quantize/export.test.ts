// The QDQ graph of Silero VAD v5 exported to ONNX runs in onnxruntime and
// agrees with our fake-quant interpreter within one quantization step.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as ort from "onnxruntime-node";
import { exportOnnx } from "../export/onnx.js";
import { runFloat } from "../interp/float.js";
import { loadModel } from "../models/index.js";
import { randomSource, streamSource } from "./calibrate.js";
import { quantizeGraph } from "./quantize.js";

test("Silero VAD v5 QDQ export runs in onnxruntime within one quantization step of the fake-quant interpreter", async () => {
  const { graph: g, builtin } = loadModel("silero-vad");
  const stream = builtin!.stream!;
  const { graph: q } = quantizeGraph(g, randomSource(16, { seed: 3, stream }), { progress: false, sqnr: false });
  const session = await ort.InferenceSession.create(exportOnnx(q), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  // The probability is the mean of a sigmoid quantized at 1/256 (reshape and mean stay exact).
  const probStep = 1 / 256;
  // A voiced-like signal so the probability moves: harmonic tone with an amplitude envelope.
  const n = 24 * stream.frame;
  const clip = Float32Array.from({ length: n }, (_, i) => {
    const t = i / stream.sampleRate;
    return 0.3 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t)) * (Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t));
  });
  let maxDiff = 0;
  let maxStateDiff = 0;
  let frames = 0;
  const it = streamSource([clip], stream).feeds(q);
  for (let r = it.next(); !r.done; ) {
    const ours = runFloat(q, r.value);
    const feeds: Record<string, ort.Tensor> = {};
    for (const [k, t] of Object.entries(r.value)) feeds[k] = new ort.Tensor("float32", t.data as Float32Array, t.shape);
    const theirs = await session.run(feeds);
    const a = ours[stream.probOutput]!.data[0]!;
    const b = (theirs[stream.probOutput]!.data as Float32Array)[0]!;
    maxDiff = Math.max(maxDiff, Math.abs(a - b));
    const sa = ours[stream.state[0]!.output]!.data;
    const sb = theirs[stream.state[0]!.output]!.data as Float32Array;
    for (let i = 0; i < sa.length; i++) maxStateDiff = Math.max(maxStateDiff, Math.abs(sa[i]! - sb[i]!));
    frames++;
    r = it.next(ours);
  }
  await session.release();
  console.log(`silero-vad QDQ ONNX vs fake-quant interpreter: ${frames} frames, max |Δp| = ${maxDiff.toExponential(2)} (step ${probStep}), max |Δstate| = ${maxStateDiff.toExponential(2)}`);
  assert.ok(frames >= 20);
  assert.ok(maxDiff <= probStep + 1e-6, `max |Δp| ${maxDiff}`);
});
