// Issue 16's crash classes, one minimal model each, written here: the CLI must
// answer with exit code 1, exactly one stderr line starting "cmsis-lower: ",
// no stack trace and no output directory — or, for the scheduler bug, compile.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildStages } from "../../src/driver/stages.js";
import { exportOnnx } from "../../src/export/onnx.js";
import { encodeNpy } from "../../src/io/npy.js";
import { loadModel } from "../../src/models/index.js";
import { repoRoot } from "../../src/targets/toolchain.js";
import { encodeModel, seededValues, INT64, type ModelSpec } from "../fixtures/onnx-model.js";

const CLI = resolve(repoRoot(), "dist/src/cli/main.js");
const INT8 = 3;
const INT32 = 6;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 180_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-crash-"));
const file = (name: string, bytes: Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

/** x [1,2,8] → Conv (4 filters of 2×3) → y; `over` replaces parts of it. */
function conv(over: Partial<ModelSpec> = {}, attrs: ModelSpec["nodes"][number]["attrs"] = {}): Uint8Array {
  return encodeModel({
    inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "y" }],
    initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
    nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0", attrs }],
    ...over,
  });
}

const withValue = (at: number, v: number): number[] => {
  const w = seededValues(24, 1);
  w[at] = v;
  return w;
};

/** LSTM (hidden 4) whose initial hidden state is an int8 graph input. */
function lstmInt8State(): Uint8Array {
  const H = 4;
  return encodeModel({
    inputs: [{ name: "x", shape: [1, 1, 4] }, { name: "h0", shape: [1, 1, H], elemType: INT8 }], outputs: [{ name: "y" }, { name: "hn" }],
    initializers: [
      { name: "W", dims: [1, 4 * H, 4], data: seededValues(16 * H, 2) },
      { name: "R", dims: [1, 4 * H, H], data: seededValues(4 * H * H, 3) },
    ],
    nodes: [{ op: "LSTM", inputs: ["x", "W", "R", "", "", "h0"], outputs: ["y", "hn"], name: "rnn", attrs: { hidden_size: { i: H } } }],
  });
}

function calib(name: string, at: number, v: number): string {
  const d = new Float32Array(16).fill(0.25);
  d[at] = v;
  return file(name, encodeNpy({ dtype: "f32", shape: [1, 2, 8], data: d }));
}

interface Case {
  name: string;
  /** Arguments after the command; "OUT" becomes the output directory. */
  args: string[];
  mentions: string[];
  env?: Record<string, string>;
}

const CLASSES: Record<string, Case[]> = {
  "2 non-finite weights": [
    { name: "+Inf in a Conv weight", args: ["compile", file("inf.onnx", conv({ initializers: [{ name: "W", dims: [4, 2, 3], data: withValue(3, Infinity) }] })), "-o", "OUT"], mentions: ["inf.onnx", "initializer 'W'", "non-finite", "Infinity"] },
    { name: "NaN in a Conv weight", args: ["compile", file("nan.onnx", conv({ initializers: [{ name: "W", dims: [4, 2, 3], data: withValue(5, NaN) }] })), "-o", "OUT"], mentions: ["nan.onnx", "initializer 'W'", "NaN"] },
  ],
  "3 huge dimensions and pads, size limits": [
    { name: "an input dim of 2^31-1", args: ["compile", file("hugedim.onnx", conv({ inputs: [{ name: "x", shape: [1, 2, 2 ** 31 - 1] }] })), "-o", "OUT"], mentions: ["hugedim.onnx", "input 'x'", "CMSIS_LOWER_MAX_ELEMENTS"] },
    { name: "Conv pads of 2^31-1", args: ["compile", file("hugepad.onnx", conv({}, { pads: { ints: [2 ** 31 - 1, 2 ** 31 - 1] } })), "-o", "OUT"], mentions: ["hugepad.onnx", "conv0", "padding"] },
    { name: "--input-shape x=1x2x99999999999", args: ["run", file("dyn.onnx", conv({ inputs: [{ name: "x", shape: [1, 2, "T"] }] })), "--input-shape", "x=1x2x99999999999", "--out", "OUT"], mentions: ["dyn.onnx", "99999999999", "CMSIS_LOWER_MAX_ELEMENTS"] },
    { name: "an initializer declaring 10^10 elements", args: ["compile", file("hugeinit.onnx", conv({ initializers: [{ name: "W", dims: [100000, 100000], data: seededValues(24, 1) }] })), "-o", "OUT"], mentions: ["hugeinit.onnx", "initializer 'W'", "10000000000 elements"] },
    { name: "a built-in at an absurd --input-shape", args: ["compile", "wav2letter", "--input-shape", "input=1x1x99999999999", "-o", "OUT"], mentions: ["input", "CMSIS_LOWER_MAX_ELEMENTS"] },
    { name: "a built-in over the memory limit", args: ["compile", "yolo11n", "--input-shape", "images=1x3x2048x2048", "-o", "OUT"], mentions: ["yolo11n", "MiB", "CMSIS_LOWER_MAX_MEMORY_MB"] },
    { name: "a lowered element limit", args: ["compile", file("small.onnx", conv()), "-o", "OUT"], env: { CMSIS_LOWER_MAX_ELEMENTS: "20" }, mentions: ["small.onnx", "limit of 20"] },
  ],
  "4 non-float operands of float ops": [
    { name: "an int64 input into Conv", args: ["compile", file("i64in.onnx", conv({ inputs: [{ name: "x", shape: [1, 2, 8], elemType: INT64 }] })), "-o", "OUT"], mentions: ["i64in.onnx", "conv0", "'x'", "int64"] },
    { name: "an int32 weight into Conv", args: ["run", file("i32w.onnx", conv({ initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1, -9, 9).map(Math.round), dataType: INT32 }] })), "--out", "OUT"], mentions: ["i32w.onnx", "conv0", "'W'", "int32"] },
  ],
  "5 LSTM with int8 state": [
    { name: "compile", args: ["compile", file("lstm_i8.onnx", lstmInt8State()), "-o", "OUT"], mentions: ["lstm_i8.onnx", "rnn", "'h0'", "int8"] },
    { name: "run --engine int8 (the simulator agrees)", args: ["run", join(dir, "lstm_i8.onnx"), "--engine", "int8", "--out", "OUT"], mentions: ["lstm_i8.onnx", "rnn", "int8"] },
  ],
  "6 accepted though invalid": [
    { name: "an empty graph", args: ["compile", file("empty.onnx", encodeModel({ inputs: [{ name: "x", shape: [1, 4] }], outputs: [], nodes: [] })), "-o", "OUT"], mentions: ["empty.onnx", "no outputs"] },
    { name: "a graph without outputs", args: ["compile", file("noout.onnx", encodeModel({ inputs: [{ name: "x", shape: [1, 4] }], outputs: [], nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }] })), "-o", "OUT"], mentions: ["noout.onnx", "no outputs"] },
    { name: "a graph input listed as an output", args: ["compile", file("passthru.onnx", encodeModel({ inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "y" }, { name: "x" }], nodes: [{ op: "Relu", inputs: ["x"], outputs: ["y"] }] })), "-o", "OUT"], mentions: ["passthru.onnx", "output 'x'", "graph input"] },
    { name: "a node output named like the graph input", args: ["run", file("clash.onnx", encodeModel({ inputs: [{ name: "x", shape: [1, 4] }], outputs: [{ name: "x" }], nodes: [{ op: "Relu", inputs: ["x"], outputs: ["x"], name: "act" }] })), "--engine", "int8", "--out", "OUT"], mentions: ["clash.onnx", "act", "'x' is already defined"] },
    { name: "negative Conv pads", args: ["compile", file("negpad.onnx", conv({}, { pads: { ints: [-1, -1] } })), "-o", "OUT"], mentions: ["negpad.onnx", "conv0", "padding [-1]"] },
  ],
  "calibration data": [
    { name: "NaN in --calib .npy", args: ["compile", file("good.onnx", conv()), "--calib", calib("c_nan.npy", 7, NaN), "-o", "OUT"], mentions: ["c_nan.npy", "NaN"] },
    { name: "-Inf in --calib .npy", args: ["compile", join(dir, "good.onnx"), "--calib", calib("c_inf.npy", 3, -Infinity), "-o", "OUT"], mentions: ["c_inf.npy", "-Infinity"] },
    { name: "1e30 in --calib .npy", args: ["compile", join(dir, "good.onnx"), "--calib", calib("c_big.npy", 0, 1e30), "-o", "OUT"], mentions: ["c_big.npy", "e+30"] },
  ],
};

for (const [cls, cases] of Object.entries(CLASSES)) {
  for (const c of cases) {
    test(`crash class ${cls}: ${c.name} → one line on stderr, exit 1, no output left`, () => {
      const out = join(dir, `out-${cls}-${c.name}`.replace(/\W+/g, "_"));
      const r = cli(c.args.map((a) => (a === "OUT" ? out : a)), c.env);
      assert.equal(r.code, 1, `exit code ${r.code}; stderr: ${r.stderr}`);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 1, `stderr has ${lines.length} lines: ${r.stderr}`);
      assert.ok(lines[0]!.startsWith("cmsis-lower: "), lines[0]);
      assert.doesNotMatch(r.stderr, /^\s*at /m, "no stack trace");
      for (const m of c.mentions) assert.ok(lines[0]!.includes(m), `stderr ${JSON.stringify(lines[0])} lacks ${JSON.stringify(m)}`);
      assert.ok(!existsSync(out), `${out} was left behind`);
      console.log(`  ${lines[0]}`);
    });
  }
}

// Class 1: Split whose two outputs both feed a Concat that also reads a Relu;
// the Split first in node order is what made greedy_net release the Concat early.
const split = file("split.onnx", encodeModel({
  inputs: [{ name: "x", shape: [1, 4, 8] }], outputs: [{ name: "y" }],
  nodes: [
    { op: "Split", inputs: ["x"], outputs: ["a", "b"], name: "split", attrs: { axis: { i: 1 } } },
    { op: "Relu", inputs: ["x"], outputs: ["r"], name: "relu" },
    { op: "Concat", inputs: ["a", "b", "r"], outputs: ["y"], name: "cat", attrs: { axis: { i: 1 } } },
  ],
}));

test("crash class 1 scheduler: Split → Concat with another producer compiles", () => {
  const out = join(dir, "out-split");
  const r = cli(["compile", split, "-o", out]);
  assert.equal(r.code, 0, r.stderr);
  // Only the line naming the default calibration a model file falls back to (issue #13).
  assert.match(r.stderr, /^calibration: no --calib given, so this model is calibrated on random data \(8 random samples \(seed 1\)\);[^\n]*\n$/);
  assert.ok(readdirSync(out).includes("model.c"));
});

test("crash class 1 scheduler: the planned order runs every node after its producers", async () => {
  const s = await buildStages(split, { stage: "final", calibRandom: 1 });
  const order = s.plan!.order;
  assert.equal(order.length, s.final!.nodes.length);
  const seen = new Set<unknown>();
  for (const n of order) {
    for (const v of n.inputs) if (v?.producer) assert.ok(seen.has(v.producer), `${n.name} runs before ${v.producer.name}`);
    seen.add(n);
  }
  const names = order.map((n) => n.name);
  assert.ok(names.indexOf("cat") > names.indexOf("relu"), names.join(", "));
});

for (const px of [32, 64, 96]) {
  test(`crash class 1 scheduler: yolo11n exported to ONNX at ${px} px compiles`, () => {
    const g = loadModel("yolo11n", { inputShapes: { images: [1, 3, px, px] } }).graph;
    const path = file(`yolo${px}.onnx`, exportOnnx(g));
    const out = join(dir, `out-yolo${px}`);
    const r = cli(["compile", path, "--calib-random", "1", "-o", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readdirSync(out).includes("model.c"));
    rmSync(out, { recursive: true, force: true });
  });
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
