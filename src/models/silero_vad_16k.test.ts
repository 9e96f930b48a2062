import { test } from "node:test";
import assert from "node:assert/strict";
import { UserError } from "../ir/errors.js";
import { makeTensor } from "../ir/tensor.js";
import { verifyGraph } from "../ir/verify.js";
import { runFloat } from "../interp/float.js";
import { randn } from "../ir/prng.js";
import { compareWithOrt, fmtDiffs, seededFeeds } from "../../test/support/ort_compare.js";
import { buildSileroVad16k, sileroVad16k, stftBasis } from "./silero_vad_16k.js";

test("silero-vad-16k: interface, op counts (lowering.md §12.3 before-counts where they map 1:1)", () => {
  const g = sileroVad16k.load();
  verifyGraph(g);
  assert.deepEqual(g.inputs.map((v) => [v.name, v.shape]), [["x", [1, 576]], ["state", [2, 1, 128]]]);
  assert.deepEqual(g.outputs.map((v) => [v.name, v.shape]), [["prob", [1, 1]], ["new_state", [2, 1, 128]]]);
  const c = g.opCounts();
  for (const [op, n] of Object.entries({ "aten.convolution": 6, "aten.linear": 2, "aten.sigmoid": 4, "aten.tanh": 2, "aten.mul": 3, "aten.add": 3, "aten.pow": 2, "aten.sqrt": 1, "aten.relu": 5, "aten.mean": 1, "aten.cat": 1, "aten.pad": 1 })) {
    assert.equal(c[op], n, `${op}: ${c[op]} vs ${n}`);
  }
  // STFT 640 → 4 frames, encoder lengths 4 → 4 → 2 → 1 → 1.
  const convs = g.nodes.filter((n) => n.op === "aten.convolution").map((n) => n.output.shape);
  assert.deepEqual(convs, [[1, 258, 4], [1, 128, 4], [1, 64, 2], [1, 64, 1], [1, 128, 1], [1, 1, 1]]);
  const pad = g.nodes.find((n) => n.op === "aten.pad")!;
  assert.equal(pad.attrs["mode"], "reflect");
  assert.deepEqual(pad.output.shape, [1, 640]);
  assert.deepEqual(sileroVad16k.stream, { sampleRate: 16000, audioInput: "x", frame: 512, context: 64, state: [{ input: "state", output: "new_state" }], probOutput: "prob" });
});

test("silero-vad-16k: STFT basis is a Hann-windowed DFT (bin 0 real row sums the window)", () => {
  const w = stftBasis();
  let s = 0;
  for (let n = 0; n < 256; n++) s += w[n]!;
  assert.ok(Math.abs(s - 128) < 1e-3, `Σ hann = ${s}`); // periodic Hann of length N sums to N/2
  // A pure tone at bin 8 puts its energy in bin 8.
  const mag = (k: number) => {
    let re = 0, im = 0;
    for (let n = 0; n < 256; n++) {
      const x = Math.cos((2 * Math.PI * 8 * n) / 256);
      re += w[k * 256 + n]! * x;
      im += w[(k + 129) * 256 + n]! * x;
    }
    return Math.hypot(re, im);
  };
  assert.ok(mag(8) > 50 * mag(20));
});

test("silero-vad-16k: ONNX Runtime matches runFloat (rel ≤ 1e-4) and state carries between frames", async () => {
  const g = buildSileroVad16k();
  const feeds = seededFeeds(g, 3);
  feeds["state"] = makeTensor("f32", [2, 1, 128]);
  const diffs = await compareWithOrt(g, feeds);
  console.log(fmtDiffs("silero-vad-16k", diffs));
  for (const d of diffs) assert.ok(d.relError <= 1e-4, `${d.name}: ${d.relError}`);
  // Second frame with the carried state differs from a fresh start, and with a non-zero state ORT still agrees.
  const r1 = runFloat(g, feeds);
  const x2 = makeTensor("f32", [1, 576], randn(99, 576, 0.3));
  const carried = runFloat(g, { x: x2, state: r1["new_state"]! });
  const fresh = runFloat(g, { x: x2, state: makeTensor("f32", [2, 1, 128]) });
  assert.notEqual(carried["prob"]!.data[0], fresh["prob"]!.data[0]);
  const p = carried["prob"]!.data[0]!;
  assert.ok(p > 0 && p < 1);
  const d2 = await compareWithOrt(g, { x: x2, state: r1["new_state"]! });
  for (const d of d2) assert.ok(d.relError <= 1e-4, `${d.name}: ${d.relError}`);
});

test("silero-vad-16k: input shape checks", () => {
  assert.throws(() => sileroVad16k.load({ inputShapes: { x: [1, 4000] } }), UserError);
  assert.throws(() => sileroVad16k.load({ inputShapes: { state: [2, 1, 64] } }), UserError);
  assert.deepEqual(sileroVad16k.load({ inputShapes: { x: [2, 576], state: [2, 2, 128] } }).outputs[0]!.shape, [2, 1]);
});
