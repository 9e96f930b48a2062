// `compile <model.onnx> --integer-only` on a model with an op that has no
// integer kernel (a cube, Pow(x, 3), after a conv): exit 1, one line on stderr naming that
// node and op, no stack trace, nothing written. Without the flag the same
// model compiles (the Pow runs in float), so the refusal is the flag's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../../src/targets/toolchain.js";
import { encodeModel, seededValues, type ModelSpec } from "../fixtures/onnx-model.js";

const CLI = resolve(repoRoot(), "dist/src/cli/main.js");

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const convSqrt: ModelSpec = {
  inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "z" }],
  initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }, { name: "E", dims: [1], data: [3] }],
  nodes: [
    { op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0" },
    { op: "Relu", inputs: ["y"], outputs: ["r"], name: "relu0" },
    { op: "Pow", inputs: ["r", "E"], outputs: ["z"], name: "cube0" },
  ],
};

test("CLI: compile --integer-only with a float-only op → exit 1, one line naming the node, nothing written; without the flag it compiles", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-intonly-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const model = join(dir, "conv_sqrt.onnx");
  writeFileSync(model, encodeModel(convSqrt));

  const out = join(dir, "refused");
  const r = cli(["compile", model, "--integer-only", "--calib-random", "2", "--out", out]);
  assert.equal(r.code, 1, `exit code ${r.code}; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `stderr has ${lines.length} lines: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/, "no stack trace");
  assert.match(lines[0]!, /--integer-only: node cube0 \(aten\.pow\) would run in float: .+/);
  assert.ok(!existsSync(out) || readdirSync(out).length === 0, "nothing written");
  console.log(`  ${lines[0]}`);

  const ok = join(dir, "float_sqrt");
  const d = cli(["compile", model, "--calib-random", "2", "--out", ok]);
  assert.equal(d.code, 0, `default compile: exit ${d.code}; stderr: ${d.stderr}`);
  assert.ok(readdirSync(ok).includes("model.c"), "default compile wrote model.c");
});
