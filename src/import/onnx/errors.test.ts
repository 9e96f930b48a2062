// Bad input → one-line UserError naming the file and (for graph problems) the node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../ir/errors.js";
import { importOnnx } from "./index.js";
import { encodeModel, seededValues, INT64, type ModelSpec } from "../../../test/fixtures/onnx-model.js";

function expectUserError(f: () => unknown, ...parts: (string | RegExp)[]): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof UserError, `expected a UserError, got ${(e as Error).name}: ${(e as Error).message}`);
    const msg = e.message;
    assert.ok(!msg.includes("\n"), `message has a newline: ${JSON.stringify(msg)}`);
    for (const p of parts) {
      if (typeof p === "string") assert.ok(msg.includes(p), `message ${JSON.stringify(msg)} lacks ${JSON.stringify(p)}`);
      else assert.match(msg, p);
    }
    console.log(`  ${msg}`);
    return msg;
  }
  assert.fail("expected an error");
}

const relu: ModelSpec = { inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "y" }], nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"], name: "act" }] };

test("a truncated file is not a valid ONNX model", () => {
  const dir = mkdtempSync(join(tmpdir(), "onnx-bad-"));
  try {
    const convModel: ModelSpec = {
      inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "y" }],
      initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
      nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"] }],
    };
    const bytes = encodeModel(convModel);
    const path = join(dir, "truncated.onnx");
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expectUserError(() => importOnnx(path), `${path}: not a valid ONNX model (`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("random bytes are not a valid ONNX model", () => {
  const bytes = Uint8Array.from(seededValues(4096, 99, 0, 256), (x) => Math.floor(x));
  expectUserError(() => importOnnx(bytes, { name: "noise.onnx" }), /^noise\.onnx: not a valid ONNX model \(.+\)$/);
});

test("a missing file names the path", () => {
  expectUserError(() => importOnnx(join(tmpdir(), "does-not-exist-4711.onnx")), "does-not-exist-4711.onnx: cannot read: no such file or directory (ENOENT)");
});

test("opsets outside 7–21 are refused", () => {
  expectUserError(() => importOnnx(encodeModel({ ...relu, opset: 6 }), { name: "old.onnx" }), "old.onnx: opset 6 is not supported");
  expectUserError(() => importOnnx(encodeModel({ ...relu, opset: 22 }), { name: "new.onnx" }), "new.onnx: opset 22 is not supported");
});

test("an input that no initializer defines names the node", () => {
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "y" }],
    nodes: [{ op: "Conv", inputs: ["x", "conv.weight"], outputs: ["y"], name: "enc0" }],
  };
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), "m.onnx: node 'enc0' (Conv): ", "'conv.weight' is not defined");
});

test("mismatched shapes are reported at the node", () => {
  const spec: ModelSpec = {
    inputs: [{ name: "a", shape: [2, 3] }, { name: "b", shape: [4, 5] }], outputs: [{ name: "y" }],
    nodes: [{ op: "Add", inputs: ["a", "b"], outputs: ["y"], name: "sum" }],
  };
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), "m.onnx: node 'sum' (Add): ", "[2,3]");
  const conv: ModelSpec = {
    inputs: [{ name: "x", shape: [1, 3, 8] }], outputs: [{ name: "y" }],
    initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
    nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "c1" }],
  };
  expectUserError(() => importOnnx(encodeModel(conv), { name: "c.onnx" }), "c.onnx: node 'c1' (Conv): ", "3 channels");
});

test("an unknown operator is named with its count", () => {
  const spec: ModelSpec = { ...relu, nodes: [{ op: "GridSample", inputs: ["x", "x"], outputs: ["y"], name: "gs" }] };
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), /^m\.onnx: 1 unsupported operator type: GridSample ×1$/);
});

test("a model with three unsupported op types fails with one line naming all three, with counts", () => {
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "y" }],
    nodes: [
      { op: "GridSample", inputs: ["x", "x"], outputs: ["a"] },
      { op: "Relu", inputs: ["a"], outputs: ["b"] },
      { op: "NonMaxSuppression", inputs: ["b", "b"], outputs: ["c"] },
      { op: "GridSample", inputs: ["c", "c"], outputs: ["d"] },
      { op: "Loop", inputs: ["d"], outputs: ["e"] },
      { op: "Sigmoid", inputs: ["e"], outputs: ["y"] },
    ],
  };
  const msg = expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), "m.onnx: 3 unsupported operator types: ",
    "GridSample ×2", "NonMaxSuppression ×1", "Loop ×1 (a static graph cannot hold a data-dependent loop)");
  assert.ok(!msg.includes("Relu") && !msg.includes("Sigmoid"), msg);
});

test("unsupported ops inside If branches are listed beside the graph's own; a branch is checked when it is imported", () => {
  const branch = { inputs: [], outputs: [{ name: "t" }], nodes: [{ op: "Einsum", inputs: ["x"], outputs: ["t"] }] };
  const ifNode = { op: "If", inputs: ["flag"], outputs: ["z"], name: "pick", attrs: { then_branch: { g: branch }, else_branch: { g: branch } } };
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape: [1, 4] }, { name: "flag", shape: [], elemType: 9 }], outputs: [{ name: "y" }],
    nodes: [ifNode, { op: "FusedConv", domain: "com.microsoft", inputs: ["z"], outputs: ["y"] }],
  };
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), /^m\.onnx: 1 unsupported operator type: com\.microsoft\.FusedConv ×1; inside If branches: Einsum ×2$/);
  const onlyBranches: ModelSpec = { ...spec, nodes: [{ ...ifNode, outputs: ["y"] }] };
  expectUserError(() => importOnnx(encodeModel(onlyBranches), { name: "m.onnx" }), "m.onnx: node 'pick' (If): then_branch: 1 unsupported operator type: Einsum ×1");
});

test("a constant If condition imports the taken branch only: the other may hold unsupported ops", () => {
  const g = importOnnx(encodeModel({
    inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "y" }],
    initializers: [{ name: "flag", dims: [], data: [1], dataType: 9 }],
    nodes: [{ op: "If", inputs: ["flag"], outputs: ["y"], attrs: {
      then_branch: { g: { inputs: [], outputs: [{ name: "t" }], nodes: [{ op: "Relu", inputs: ["x"], outputs: ["t"] }] } },
      else_branch: { g: { inputs: [], outputs: [{ name: "e" }], nodes: [{ op: "Einsum", inputs: ["x"], outputs: ["e"] }] } },
    } }],
  }), { name: "m.onnx" });
  assert.deepEqual(g.opCounts(), { "aten.relu": 1 });
});

test("an If on run-time data whose branches give different shapes is refused, naming the If", () => {
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape: [1, 4] }, { name: "flag", shape: [], elemType: 9 }], outputs: [{ name: "y" }],
    initializers: [{ name: "two", dims: [2, 1], data: [1, 2] }],
    nodes: [{
      op: "If", inputs: ["flag"], outputs: ["y"], name: "branch", attrs: {
        then_branch: { g: { inputs: [], outputs: [{ name: "r" }], nodes: [{ op: "Relu", inputs: ["x"], outputs: ["r"] }] } },
        else_branch: { g: { inputs: [], outputs: [{ name: "m" }], nodes: [{ op: "Mul", inputs: ["x", "two"], outputs: ["m"] }] } },
      },
    }],
  };
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), "m.onnx: node 'branch' (If): condition 'flag' is computed at run time and output 0 differs between the branches (then f32[1,4], else f32[2,4])");
});

test("dynamic dims need inputShapes; the error names the input", () => {
  const spec: ModelSpec = { ...relu, inputs: [{ name: "x", shape: ["batch", 4] }] };
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx" }), "m.onnx: input 'x': dynamic shape [batch,4]");
  const g = importOnnx(encodeModel(spec), { name: "m.onnx", inputShapes: { x: [3, 4] } });
  assert.deepEqual(g.inputs[0]!.shape, [3, 4]);
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx", inputShapes: { x: [3, 5] } }), "m.onnx: input 'x': given shape [3,5] conflicts");
  expectUserError(() => importOnnx(encodeModel(spec), { name: "m.onnx", inputShapes: { z: [3, 5] } }), "inputShapes names 'z', which is not a graph input");
});

test("a bound input becomes a constant", () => {
  const spec: ModelSpec = {
    inputs: [{ name: "x", shape: [2] }, { name: "sr", shape: [], elemType: INT64 }], outputs: [{ name: "y" }],
    nodes: [{ op: "Cast", inputs: ["sr"], outputs: ["srf"], attrs: { to: { i: 1 } } }, { op: "Mul", inputs: ["x", "srf"], outputs: ["y"] }],
  };
  const g = importOnnx(encodeModel(spec), { bind: { sr: 16000 } });
  assert.deepEqual(g.inputs.map((v) => v.name), ["x"]);
  const mul = g.nodes.find((n) => n.op === "aten.mul")!;
  assert.deepEqual(Array.from(mul.input(1).data!), [16000]);
});

test("external tensor data is refused with the initializer's name", () => {
  const bytes = encodeModel({
    ...relu,
    initializers: [{ name: "big", dims: [2], data: [1, 2] }],
    nodes: [{ op: "Add", inputs: ["x", "big"], outputs: ["y"] }],
  });
  // Re-encode with data_location = EXTERNAL on the initializer.
  return import("onnx-proto").then(({ default: p }) => {
    const m = p.onnx.ModelProto.decode(bytes);
    const init = m.graph!.initializer![0]!;
    init.rawData = new Uint8Array(0);
    init.dataLocation = p.onnx.TensorProto.DataLocation.EXTERNAL;
    init.externalData = [{ key: "location", value: "weights.bin" }];
    const out = p.onnx.ModelProto.encode(m).finish();
    expectUserError(() => importOnnx(out, { name: "ext.onnx" }), "ext.onnx: initializer 'big': ", "external data");
  });
});
