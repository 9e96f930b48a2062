import { test } from "node:test";
import assert from "node:assert/strict";
import { UserError } from "../ir/errors.js";
import { verifyGraph } from "../ir/verify.js";
import { exportOnnx } from "../export/onnx.js";
import { compareWithOrt, fmtDiffs, seededFeeds } from "../../test/support/ort_compare.js";
import { importOnnx } from "../import/onnx/index.js";
import { buildWav2Letter, wav2letter } from "./wav2letter.js";

const EXPECTED_COUNTS = { "aten.convolution": 12, "aten.log_softmax": 1, "aten.relu": 12 };

test("wav2letter: op counts, layer table and output shape at the default input [10,1,700]", () => {
  const g = wav2letter.load();
  verifyGraph(g);
  assert.deepEqual(g.opCounts(), EXPECTED_COUNTS);
  assert.deepEqual(g.inputs.map((v) => [v.name, v.shape]), [["input", [10, 1, 700]]]);
  // Lengths 700 → 4 → 2 … 2 → 3 → 3 → 3 (lowering.md §12.2).
  assert.deepEqual(g.outputs[0]!.shape, [10, 4096, 3]);
  const convs = g.nodes.filter((n) => n.op === "aten.convolution");
  assert.deepEqual(convs.map((n) => n.input(1).shape), [
    [250, 1, 250], [250, 250, 48], ...Array(7).fill([250, 250, 7]), [2000, 250, 32], [2000, 2000, 1], [4096, 2000, 1],
  ]);
  assert.deepEqual(convs.map((n) => n.output.shape[2]), [4, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3]);
  assert.deepEqual(convs[0]!.attrs["stride"], [160]);
  assert.deepEqual(convs[0]!.attrs["padding"], [45]);
  assert.deepEqual(convs[1]!.attrs["padding"], [23]);
  const log = g.nodes.find((n) => n.op === "aten.log_softmax")!;
  assert.equal(log.attrs["dim"], 1);
});

test("wav2letter: import stage of its ONNX export has the same op counts", () => {
  const g = buildWav2Letter({ inputShapes: { input: [1, 1, 700] } });
  const back = importOnnx(exportOnnx(g), { name: "wav2letter.onnx" });
  assert.deepEqual(back.opCounts(), EXPECTED_COUNTS);
});

test("wav2letter: input shape override, seeded weights are reproducible, bad shapes are UserErrors", () => {
  const g = wav2letter.load({ inputShapes: { input: [1, 1, 16000] } });
  assert.deepEqual(g.outputs[0]!.shape, [1, 4096, 51]);
  const a = buildWav2Letter({ inputShapes: { input: [1, 1, 700] } }).constants[0]!.data!;
  const b = buildWav2Letter({ inputShapes: { input: [1, 1, 700] } }).constants[0]!.data!;
  assert.deepEqual(a, b);
  assert.throws(() => wav2letter.load({ inputShapes: { input: [1, 2, 700] } }), UserError);
  assert.throws(() => wav2letter.load({ inputShapes: { input: [1, 700] } }), UserError);
  assert.throws(() => wav2letter.load({ inputShapes: { wave: [1, 1, 700] } }), UserError);
});

test("wav2letter [1,1,700]: ONNX Runtime matches runFloat (rel ≤ 1e-4) with non-degenerate logits", async () => {
  const g = buildWav2Letter({ inputShapes: { input: [1, 1, 700] } });
  const diffs = await compareWithOrt(g, seededFeeds(g, 7));
  console.log(fmtDiffs("wav2letter[1,1,700]", diffs));
  assert.ok(diffs[0]!.relError <= 1e-4);
  // log(4096) = 8.318: a spread well past it means the seeded weights keep real signal to the logits.
  assert.ok(diffs[0]!.maxAbsRef > 8.6, `max |log p| ${diffs[0]!.maxAbsRef}`);
});

test("wav2letter default [10,1,700]: ONNX Runtime matches runFloat (rel ≤ 1e-4)", async () => {
  const g = wav2letter.load();
  const diffs = await compareWithOrt(g, seededFeeds(g, 8));
  console.log(fmtDiffs("wav2letter[10,1,700]", diffs));
  assert.ok(diffs[0]!.relError <= 1e-4);
});
