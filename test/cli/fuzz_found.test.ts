// Crash classes beyond issue 16's six, found by `npm run fuzz` (the bias scale) and by
// probing the same extreme-weights path with the host C under UBSan (the shift), one
// minimal model each, written here: exit code 1, one stderr line naming the
// node, no stack trace, nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../../src/targets/toolchain.js";
import { encodeModel, INT64, type TensorSpec } from "../fixtures/onnx-model.js";

const CLI = resolve(repoRoot(), "dist/src/cli/main.js");

/** x [1,1,8] → Conv A → a → Conv B (with bias BB when given) → y, filters of size 1. */
function twoConvs(wa: number[], wb: number[], bias?: number[]): Uint8Array {
  const initializers: TensorSpec[] = [{ name: "WA", dims: [2, 1, 1], data: wa }, { name: "WB", dims: [1, 2, 1], data: wb }];
  if (bias) initializers.push({ name: "BB", dims: [1], data: bias });
  return encodeModel({
    inputs: [{ name: "x", shape: [1, 1, 8] }], outputs: [{ name: "y" }], initializers,
    nodes: [
      { op: "Conv", inputs: ["x", "WA"], outputs: ["a"], name: "convA" },
      { op: "Conv", inputs: ["a", "WB", ...(bias ? ["BB"] : [])], outputs: ["y"], name: "convB" },
    ],
  });
}

const CASES: { name: string; model: () => Uint8Array; stderr: RegExp }[] = [
  {
    // Channel 0 of a is 1e30·x, channel 1 is 0; B reads channel 0 with 1 and channel 1 with 1e30.
    // Every value stays finite (y ≈ 1e30), but B's bias scale — input scale (~8e27) times weight
    // scale (~8e27) — is no float32: it failed the quantizer's verifier ("non-positive quantization scale").
    name: "finite weights whose bias scale overflows float32",
    model: () => twoConvs([1e30, 0], [1, 1e30], [0.5]),
    stderr: /^cmsis-lower: quantize: node convB: the bias scale \(input scale .* × weight scale .*\) overflows float32/,
  },
  {
    // a = [1e30·x, 1e30·x] and B = [1, −1] cancel: y is exactly 0, so its scale is tiny next to
    // s_a·s_B and the requantization needed a left shift of 94, undefined behaviour in the C kernel
    // (UBSan: "shift exponent 94 is too large") while the simulator wrapped the shift.
    name: "a requantization scale beyond CMSIS-NN's shift range",
    model: () => twoConvs([1e30, 1e30], [1, -1]),
    stderr: /^cmsis-lower: lower: node convB \(aten\.convolution\): requantization scale .* needs a left shift of 94; CMSIS-NN takes at most 30/,
  },
];

for (const c of CASES) {
  test(`fuzz-found: ${c.name} → one line naming the node, exit 1, nothing written`, () => {
    const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-fuzzfound-"));
    try {
      const model = join(dir, "m.onnx");
      writeFileSync(model, c.model());
      const out = join(dir, "out");
      const r = spawnSync(process.execPath, [CLI, "compile", model, "--calib-random", "2", "-o", out], { encoding: "utf8", timeout: 120_000 });
      assert.equal(r.status, 1, `exit ${r.status}; stderr: ${r.stderr}`);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, c.stderr);
      assert.doesNotMatch(r.stderr, /^\s*at /m);
      assert.equal(existsSync(out), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// `npm run fuzz -- --cases 20000 --seed 2027` found a Pow whose exponent is an integer
// constant (ONNX allows it): the simulator ran it, the C emitter refused the operand
// ("scalar is i32; the float C kernels take f32"). The importer now stores a constant
// integer exponent as float, so the model compiles and C equals the simulator.
test("fuzz-found: Pow with an int64 exponent constant compiles, and host C equals the simulator", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-fuzzfound-"));
  try {
    const model = join(dir, "pow.onnx");
    writeFileSync(model, encodeModel({
      inputs: [{ name: "x", shape: [1, 1, 8] }], outputs: [{ name: "y" }],
      initializers: [{ name: "W", dims: [2, 1, 1], data: [0.5, -1.5] }, { name: "E", dims: [], data: [2], dataType: INT64 }],
      nodes: [
        { op: "Conv", inputs: ["x", "W"], outputs: ["a"], name: "conv" },
        { op: "Pow", inputs: ["a", "E"], outputs: ["y"], name: "pow" },
      ],
    }));
    const c = spawnSync(process.execPath, [CLI, "compile", model, "--calib-random", "2", "-o", join(dir, "out")], { encoding: "utf8", timeout: 120_000 });
    assert.equal(c.status, 0, c.stderr);
    const v = spawnSync(process.execPath, [CLI, "verify", model, "--calib-random", "2", "--engine", "int8,host-c"], { encoding: "utf8", timeout: 300_000 });
    assert.equal(v.status, 0, v.stderr);
    assert.match(v.stdout, /identical/i, v.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fuzz-found: Pow with a run-time integer exponent is refused in one line naming the node", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-fuzzfound-"));
  try {
    const model = join(dir, "pow.onnx");
    writeFileSync(model, encodeModel({
      inputs: [{ name: "x", shape: [1, 1, 8] }, { name: "e", shape: [1], elemType: INT64 }], outputs: [{ name: "y" }],
      nodes: [{ op: "Pow", inputs: ["x", "e"], outputs: ["y"], name: "pow" }],
    }));
    const r = spawnSync(process.execPath, [CLI, "compile", model, "--calib-random", "2", "-o", join(dir, "out")], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^cmsis-lower: .*pow.*int64/);
    assert.equal(existsSync(join(dir, "out")), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
