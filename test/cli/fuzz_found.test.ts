// Crash classes the fuzzer (`npm run fuzz`) found beyond issue 16's six, one
// minimal model each, written here: exit code 1, one stderr line naming the
// file and the node, no stack trace, nothing written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../../src/targets/toolchain.js";
import { encodeModel } from "../fixtures/onnx-model.js";

const CLI = resolve(repoRoot(), "dist/src/cli/main.js");

/**
 * x → Conv A (channel 0 = 1e30·x, channel 1 = 0) → Conv B with bias, whose
 * filter is 1 on channel 0 and 1e30 on the all-zero channel 1. Every value is
 * finite (B's output is about 1e30), but B's bias scale — input scale (~8e27)
 * times weight scale (~8e27) — is not a float32: it used to fail the
 * quantizer's verifier with "non-positive quantization scale".
 */
function bigFiniteWeights(): Uint8Array {
  return encodeModel({
    inputs: [{ name: "x", shape: [1, 1, 8] }], outputs: [{ name: "y" }],
    initializers: [
      { name: "WA", dims: [2, 1, 1], data: [1e30, 0] },
      { name: "WB", dims: [1, 2, 1], data: [1, 1e30] },
      { name: "BB", dims: [1], data: [0.5] },
    ],
    nodes: [
      { op: "Conv", inputs: ["x", "WA"], outputs: ["a"], name: "convA" },
      { op: "Conv", inputs: ["a", "WB", "BB"], outputs: ["y"], name: "convB" },
    ],
  });
}

test("fuzz-found: finite weights whose bias scale overflows float32 → one line naming the node, exit 1, nothing written", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-fuzzfound-"));
  try {
    const model = join(dir, "bigw.onnx");
    writeFileSync(model, bigFiniteWeights());
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [CLI, "compile", model, "--calib-random", "2", "-o", out], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 1, `exit ${r.status}; stderr: ${r.stderr}`);
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^cmsis-lower: quantize: node convB: the bias scale \(input scale .* × weight scale .*\) overflows float32/);
    assert.doesNotMatch(r.stderr, /^\s*at /m);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
