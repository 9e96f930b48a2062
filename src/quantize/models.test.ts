// End-to-end quantization of the built-in models with random calibration:
// the fake-quant graph's output SQNR against float, on an input the
// calibration did not see, must be at least 20 dB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../models/index.js";
import { runFloat } from "../interp/float.js";
import { verifyGraph } from "../ir/verify.js";
import { randomSource } from "./calibrate.js";
import { quantizeGraph } from "./quantize.js";

function outputSqnr(name: string, opts: Parameters<typeof loadModel>[1] = {}): number {
  const { graph: g, builtin } = loadModel(name, opts);
  const stream = builtin?.stream;
  // Stream models: consecutive random frames with state carried; others: independent samples.
  const calib = randomSource(stream ? 8 : 1, stream ? { seed: 1, stream } : { seed: 1 });
  const { graph: q } = quantizeGraph(g, calib, { progress: false, sqnr: false });
  verifyGraph(q, `quantized ${name}`);
  assert.ok(q.nodes.some((n) => n.op === "quantized_decomposed.quantize_per_tensor"));
  const evalSrc = randomSource(stream ? 4 : 1, stream ? { seed: 7, stream } : { seed: 7 });
  let signal = 0;
  let noise = 0;
  const itF = evalSrc.feeds(g);
  const itQ = evalSrc.feeds(q);
  for (let rf = itF.next(), rq = itQ.next(); !rf.done && !rq.done; ) {
    const fo = runFloat(g, rf.value);
    const qo = runFloat(q, rq.value);
    for (const o of g.outputs) {
      const a = fo[o.name]!.data;
      const b = qo[o.name]!.data;
      assert.equal(b.length, a.length);
      for (let i = 0; i < a.length; i++) {
        signal += a[i]! * a[i]!;
        noise += (a[i]! - b[i]!) ** 2;
      }
    }
    rf = itF.next(fo);
    rq = itQ.next(qo);
  }
  const db = 10 * Math.log10(signal / noise);
  console.log(`${name}: int8 fake-quant output SQNR vs float = ${db.toFixed(1)} dB (random calibration)`);
  return db;
}

test("Wav2Letter quantized with random calibration: output SQNR ≥ 20 dB", () => {
  assert.ok(outputSqnr("wav2letter") >= 20);
});

test("SileroVAD16k quantized with random calibration: output SQNR ≥ 20 dB", () => {
  assert.ok(outputSqnr("silero-vad-16k") >= 20);
});

test("YOLO11n (320×320) quantized with random calibration: output SQNR ≥ 20 dB", () => {
  assert.ok(outputSqnr("yolo11n", { inputShapes: { images: [1, 3, 320, 320] } }) >= 20);
});
