// The CLI on bad input: one line on stderr, exit code 1, no stack trace, and
// nothing half-written in the output directory.
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

const conv: ModelSpec = {
  inputs: [{ name: "x", shape: [1, 2, 8] }], outputs: [{ name: "y" }],
  initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
  nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0" }],
};

const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-cli-"));
const files: Record<string, Uint8Array> = {
  "truncated.onnx": encodeModel(conv).subarray(0, 40),
  "random.onnx": Uint8Array.from(seededValues(2048, 7, 0, 256), (x) => Math.floor(x)),
  "opset6.onnx": encodeModel({ ...conv, opset: 6 }),
  "no_initializer.onnx": encodeModel({ ...conv, initializers: [] }),
  "mismatch.onnx": encodeModel({ ...conv, initializers: [{ name: "W", dims: [4, 3, 3], data: seededValues(36, 1) }] }),
  "good.onnx": encodeModel(conv),
};
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);

const CASES: { name: string; args: string[]; mentions: string[] }[] = [
  { name: "a truncated .onnx", args: ["run", join(dir, "truncated.onnx")], mentions: ["truncated.onnx", "not a valid ONNX model"] },
  { name: "random bytes", args: ["run", join(dir, "random.onnx")], mentions: ["random.onnx", "not a valid ONNX model"] },
  { name: "an unsupported opset", args: ["inspect", join(dir, "opset6.onnx")], mentions: ["opset6.onnx", "opset 6"] },
  { name: "a missing initializer", args: ["run", join(dir, "no_initializer.onnx")], mentions: ["conv0", "W"] },
  { name: "mismatched shapes", args: ["run", join(dir, "mismatch.onnx")], mentions: ["conv0", "channels"] },
  { name: "a missing input file", args: ["run", join(dir, "good.onnx"), "--input", `x=${join(dir, "nope.npy")}`], mentions: ["nope.npy"] },
  { name: "an unknown model name", args: ["inspect", "wav3letter"], mentions: ["wav3letter", "wav2letter"] },
  { name: "a bad --input-shape", args: ["inspect", "wav2letter", "--input-shape", "input=1xAx3"], mentions: ["--input-shape"] },
];

for (const c of CASES) {
  test(`CLI: ${c.name} → one line on stderr, exit 1, nothing written`, () => {
    const out = join(dir, `out-${c.name.replace(/\W+/g, "_")}`);
    const args = c.args[0] === "run" ? [...c.args, "--out", out] : c.args;
    const r = cli(args);
    assert.equal(r.code, 1, `exit code ${r.code}; stderr: ${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `stderr has ${lines.length} lines: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/, "no stack trace");
    for (const m of c.mentions) assert.ok(r.stderr.includes(m), `stderr ${JSON.stringify(r.stderr)} lacks ${m}`);
    assert.ok(!existsSync(out) || readdirSync(out).length === 0, "nothing half-written");
    console.log(`  ${c.name}: ${lines[0]}`);
  });
}

test("CLI: a good model runs and writes one .npy per output", () => {
  const out = join(dir, "out-good");
  const r = cli(["run", join(dir, "good.onnx"), "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(out), ["y.npy"]);
});

test("CLI: inspect wav2letter --stage import --json reports the op counts", () => {
  const r = cli(["inspect", "wav2letter", "--stage", "import", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { model: string; stages: { import: { ops: Record<string, number>; nodes: number } } };
  assert.equal(j.model, "wav2letter");
  assert.equal(j.stages.import.ops["aten.convolution"], 12);
  assert.equal(j.stages.import.ops["aten.relu"], 12);
  assert.equal(j.stages.import.ops["aten.log_softmax"], 1);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
