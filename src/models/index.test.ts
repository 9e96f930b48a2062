import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../ir/errors.js";
import { exportOnnx } from "../export/onnx.js";
import { builtinModels, loadModel } from "./index.js";
import { buildSileroVad16k } from "./silero_vad_16k.js";

test("registry holds the five built-in models under their CLI names", () => {
  assert.deepEqual(Object.keys(builtinModels).sort(), ["silero-vad", "silero-vad-16k", "silero-vad-legacy", "wav2letter", "yolo11n"]);
  for (const [k, m] of Object.entries(builtinModels)) {
    assert.equal(m.name, k);
    assert.ok(m.description.length > 0);
    assert.ok(Object.keys(m.defaultInputShapes).length > 0);
  }
});

test("loadModel: a built-in name gives its graph and descriptor, with shape overrides", () => {
  const { graph, builtin } = loadModel("wav2letter", { inputShapes: { input: [1, 1, 700] } });
  assert.equal(builtin?.name, "wav2letter");
  assert.deepEqual(graph.inputs[0]!.shape, [1, 1, 700]);
  const s = loadModel("silero-vad-16k");
  assert.ok(s.builtin?.stream);
});

test("loadModel: unknown name is a UserError listing the built-ins", () => {
  assert.throws(() => loadModel("resnet50"), (e: unknown) => e instanceof UserError && /wav2letter/.test((e as Error).message) && /yolo11n/.test((e as Error).message));
  assert.throws(() => loadModel("missing.onnx"), (e: unknown) => e instanceof UserError && /^file missing\.onnx not found; built-in models: wav2letter/.test((e as Error).message));
  // Written as a path, it is read as one: the file system's own error, with the user's path.
  assert.throws(() => loadModel("missing/model.onnx"), (e: unknown) => e instanceof UserError && (e as Error).message === "missing/model.onnx: cannot read: no such file or directory (ENOENT)");
});

test("loadModel: --input-shape naming an input the model lacks is a UserError", () => {
  assert.throws(() => loadModel("yolo11n", { inputShapes: { image: [1, 3, 320, 320] } }), (e: unknown) => e instanceof UserError && /"image"/.test((e as Error).message) && /images/.test((e as Error).message));
});

test("loadModel: an .onnx path goes through the importer", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-models-"));
  try {
    const path = join(dir, "vad16k.onnx");
    writeFileSync(path, exportOnnx(buildSileroVad16k()));
    const { graph, builtin } = loadModel(path);
    assert.equal(builtin, undefined);
    assert.deepEqual(graph.inputs.map((v) => v.name), ["x", "state"]);
    assert.deepEqual(graph.outputs.map((v) => v.shape), [[1, 1], [2, 1, 128]]);
    assert.equal(graph.opCounts()["aten.convolution"], 6);
    assert.throws(() => loadModel(path, { inputShapes: { audio: [1, 576] } }), UserError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
