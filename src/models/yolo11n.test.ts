import { test } from "node:test";
import assert from "node:assert/strict";
import { UserError } from "../ir/errors.js";
import { verifyGraph } from "../ir/verify.js";
import { compareWithOrt, fmtDiffs, seededFeeds } from "../../test/support/ort_compare.js";
import { runFloat } from "../interp/float.js";
import { buildYolo11n, buildYolo11nWithInfo, yolo11n } from "./yolo11n.js";

test("yolo11n 640: output [1,84,8400], parameter counts match the Ultralytics reference", () => {
  const { graph: g, fusedParams, unfusedParams } = buildYolo11nWithInfo();
  verifyGraph(g);
  assert.deepEqual(g.inputs.map((v) => [v.name, v.shape]), [["images", [1, 3, 640, 640]]]);
  assert.deepEqual(g.outputs.map((v) => [v.name, v.shape]), [["output0", [1, 84, 8400]]]);
  console.log(`yolo11n params: fused ${fusedParams}, unfused ${unfusedParams}`);
  assert.equal(unfusedParams, 2_624_080); // yolo11n.md §6, unfused incl. BN γ/β
  assert.equal(fusedParams, 2_616_248); // BN folded into conv biases
});

test("yolo11n 640: node counts match the reference export (yolo11n.md §5)", () => {
  const c = buildYolo11n().opCounts();
  const expected: Record<string, number> = {
    "aten.convolution": 88, "aten.silu": 77, "aten.sigmoid": 1, "aten.cat": 23, "aten.split_with_sizes_copy": 11,
    "aten.view_copy": 8, "aten.permute_copy": 3, "aten.matmul": 2, "aten.softmax": 2, "aten.max_pool2d": 3,
    "aten.upsample_nearest2d": 2, "aten.slice_copy": 2, "aten.sub": 2,
    // The reference's extra Add and Div are chunk-size arithmetic that onnxslim folds away.
    "aten.add": 16, "aten.div": 1, "aten.mul": 2,
  };
  assert.deepEqual(c, Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))));
});

test("yolo11n: feature-map shapes at 640 (P3/P4/P5) and attention size", () => {
  const g = buildYolo11n();
  const shape = (name: string) => g.values().find((v) => v.name === name)?.shape;
  const softmaxes = g.nodes.filter((n) => n.op === "aten.softmax").map((n) => n.output.shape);
  assert.deepEqual(softmaxes, [[1, 2, 400, 400], [1, 16, 4, 8400]]);
  const cats = g.nodes.filter((n) => n.op === "aten.cat" && /^model\.(12|15|18|21)\./.test(n.name)).map((n) => n.output.shape);
  assert.deepEqual(cats, [[1, 384, 40, 40], [1, 256, 80, 80], [1, 192, 40, 40], [1, 384, 20, 20]]);
  assert.equal(shape("images")?.join(), "1,3,640,640");
});

test("yolo11n: resizable to 320 and 96; non-multiples of 32 are UserErrors", () => {
  assert.deepEqual(yolo11n.load({ inputShapes: { images: [1, 3, 320, 320] } }).outputs[0]!.shape, [1, 84, 2100]);
  assert.deepEqual(yolo11n.load({ inputShapes: { images: [1, 3, 96, 96] } }).outputs[0]!.shape, [1, 84, 144 + 36 + 9]);
  assert.deepEqual(yolo11n.load({ inputShapes: { images: [1, 3, 256, 320] } }).outputs[0]!.shape, [1, 84, 32 * 40 + 16 * 20 + 8 * 10]);
  assert.throws(() => yolo11n.load({ inputShapes: { images: [1, 3, 100, 100] } }), UserError);
  assert.throws(() => yolo11n.load({ inputShapes: { images: [1, 1, 320, 320] } }), UserError);
});

test("yolo11n 96: decoded boxes are centred on their anchors' cells and class scores are probabilities", () => {
  const g = buildYolo11n({ inputShapes: { images: [1, 3, 96, 96] } });
  const out = runFloat(g, seededFeeds(g, 2))["output0"]!;
  const A = 189;
  const at = (r: number, a: number) => out.data[r * A + a]!;
  // DFL distances lie in [0, 15] grid cells, so |cx − anchor·stride| ≤ 7.5·stride and 0 ≤ w ≤ 30·stride.
  const anchors: [number, number, number][] = [];
  for (const s of [8, 16, 32]) for (let y = 0; y < 96 / s; y++) for (let x = 0; x < 96 / s; x++) anchors.push([(x + 0.5) * s, (y + 0.5) * s, s]);
  anchors.forEach(([ax, ay, s], a) => {
    assert.ok(Math.abs(at(0, a) - ax) <= 7.5 * s + 1e-3 && Math.abs(at(1, a) - ay) <= 7.5 * s + 1e-3, `anchor ${a}`);
    assert.ok(at(2, a) >= 0 && at(2, a) <= 30 * s + 1e-3 && at(3, a) >= 0 && at(3, a) <= 30 * s + 1e-3);
  });
  for (let r = 4; r < 84; r++) for (let a = 0; a < A; a++) assert.ok(at(r, a) > 0 && at(r, a) < 1);
});

test("yolo11n 320: ONNX Runtime matches runFloat (rel ≤ 1e-4)", async () => {
  const g = buildYolo11n({ inputShapes: { images: [1, 3, 320, 320] } });
  const diffs = await compareWithOrt(g, seededFeeds(g, 5));
  console.log(fmtDiffs("yolo11n[320]", diffs));
  assert.ok(diffs[0]!.relError <= 1e-4);
});
