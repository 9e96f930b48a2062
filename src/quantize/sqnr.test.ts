// The per-layer SQNR of `inspect --stage quantized` is measured on every
// calibration input: a VAD clip starts with digital silence, and measuring
// only its first frames reported 3 dB for a layer at 24–27 dB (issue #13).
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import type { Tensor } from "../ir/tensor.js";
import { feedSetsSource } from "./calibrate.js";
import { quantizeGraph } from "./quantize.js";

test("per-layer SQNR uses all calibration runs, not a prefix", () => {
  const b = new ModelBuilder("sqnr_all", 3);
  const x = b.input("x", [1, 2, 16]);
  b.output(b.conv1d(x, { out: 4, k: 3, pad: 1, bias: false, name: "conv" }), "y");
  const g = b.build();
  const feed = (f: (i: number) => number): Record<string, Tensor> => ({ x: { dtype: "f32", shape: [1, 2, 16], data: Float32Array.from({ length: 32 }, (_, i) => f(i)) } });
  // 20 runs of silence, then one of signal: a prefix of 16 runs sees zeros only (no bias: silence in, silence out).
  const sets = [...Array.from({ length: 20 }, () => feed(() => 0)), feed((i) => Math.sin(i * 0.9))];
  const q = quantizeGraph(g, feedSetsSource(sets), { observer: { kind: "minmax" }, progress: false });
  const conv = q.layers.find((l) => l.name === "conv")!;
  assert.ok(conv.sqnrDb !== null && Number.isFinite(conv.sqnrDb), `conv SQNR measured on the signal run: ${conv.sqnrDb}`);
  assert.ok(conv.sqnrDb > 20, `int8 conv SQNR ${conv.sqnrDb} dB`);
  assert.ok(Number.isFinite(q.outputs[0]!.sqnrDb), `output SQNR ${q.outputs[0]!.sqnrDb}`);
});
