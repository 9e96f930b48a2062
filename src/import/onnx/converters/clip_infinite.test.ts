// Clip whose bound initializer holds ±Inf: torch.clamp with one side exports the
// other side as an infinite constant (openWakeWord's melspectrogram has
// Clip(x, 1e-10, +Inf) and Clip(x, max − 80, +Inf)). An infinite bound on its
// own side is no bound (the importer drops that input, src/import/onnx/body.ts);
// anything else infinite or NaN is still refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareWithOrt } from "../../../../test/fixtures/onnx-compare.js";
import { encodeModel, type ModelSpec, type TensorSpec } from "../../../../test/fixtures/onnx-model.js";
import { importOnnx } from "../import.js";

const scalar = (name: string, v: number): TensorSpec => ({ name, dims: [], data: [v] });

function clipModel(lo: TensorSpec | null, hi: TensorSpec | null, typed = false): ModelSpec {
  const inits = [lo, hi].filter((t): t is TensorSpec => t !== null).map((t) => ({ ...t, typed }));
  return {
    opset: 13, inputs: [{ name: "x", shape: [2, 8] }], outputs: [{ name: "y" }], initializers: inits,
    nodes: [{ op: "Clip", inputs: ["x", lo?.name ?? "", hi?.name ?? ""], outputs: ["y"] }],
  };
}

const opsOf = (g: { nodes: readonly { op: string }[] }): string[] => g.nodes.map((n) => n.op);

test("Clip with an infinite max (raw and typed storage) is a one-sided clamp and matches onnxruntime", async () => {
  for (const typed of [false, true]) {
    const { graph } = await compareWithOrt(clipModel(scalar("lo", 0.25), scalar("hi", Infinity), typed));
    assert.deepEqual(opsOf(graph), ["aten.clamp"]);
    const n = graph.nodes[0]!;
    assert.equal(n.attrs.min, 0.25);
    assert.equal(n.attrs.max, null);
  }
  const { graph } = await compareWithOrt(clipModel(scalar("lo", -Infinity), scalar("hi", 0.5)));
  assert.deepEqual(opsOf(graph), ["aten.clamp"]);
  assert.equal(graph.nodes[0]!.attrs.min, null);
});

test("infinities anywhere else, NaN bounds and an infinity on the wrong side are still refused", () => {
  // +Inf as min (or −Inf as max) would clip every element to it: a broken model, refused as before.
  assert.throws(() => importOnnx(encodeModel(clipModel(scalar("lo", Infinity), null)), { name: "m.onnx" }), /initializer 'lo'.*non-finite/);
  assert.throws(() => importOnnx(encodeModel(clipModel(null, scalar("hi", -Infinity))), { name: "m.onnx" }), /initializer 'hi'.*non-finite/);
  assert.throws(() => importOnnx(encodeModel(clipModel(scalar("lo", NaN), null)), { name: "m.onnx" }), /non-finite/);
  // The same +Inf initializer also read by an Add: a weight, so refused.
  const shared: ModelSpec = {
    opset: 13, inputs: [{ name: "x", shape: [2, 8] }], outputs: [{ name: "y" }, { name: "z" }], initializers: [scalar("hi", Infinity)],
    nodes: [
      { op: "Clip", inputs: ["x", "", "hi"], outputs: ["y"] },
      { op: "Add", inputs: ["x", "hi"], outputs: ["z"] },
    ],
  };
  assert.throws(() => importOnnx(encodeModel(shared), { name: "m.onnx" }), /initializer 'hi'.*non-finite/);
});
