// The real-library options of the CLI end to end: `verify --cmsis-nn` and
// `profile` on a small ONNX conv (real CMSIS-NN of ../shared), and their bad
// input: one line on stderr, exit code 1.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot, hasArmToolchain, hasHostCompiler } from "../../src/targets/toolchain.js";
import { realCmsisNn } from "../support/c_models.js";
import { encodeModel, seededValues } from "../fixtures/onnx-model.js";

const CLI = resolve(repoRoot(), "dist/src/cli/main.js");
const NN = realCmsisNn();

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-nnbuild-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const model = join(dir, "conv.onnx");
writeFileSync(model, encodeModel({
  inputs: [{ name: "x", shape: [1, 2, 16] }], outputs: [{ name: "y" }],
  initializers: [{ name: "W", dims: [4, 2, 3], data: seededValues(24, 1) }],
  nodes: [{ op: "Conv", inputs: ["x", "W"], outputs: ["y"], name: "conv0" }],
}));

const BAD: { name: string; args: string[]; mentions: string[] }[] = [
  { name: "verify --cmsis-nn with a directory that is no checkout", args: ["verify", model, "--engine", "host-c", "--cmsis-nn", dir], mentions: ["--cmsis-nn", dir] },
  { name: "verify --cmsis-nn without a C engine", args: ["verify", model, "--cmsis-nn", dir], mentions: ["--cmsis-nn", "--engine"] },
  { name: "profile for a core without a board", args: ["profile", model, "--target", "cortex-m7"], mentions: ["cortex-m7", "board"] },
];

for (const c of BAD) {
  test(`CLI: ${c.name} → one line on stderr, exit 1`, () => {
    const r = cli(c.args);
    assert.equal(r.code, 1, `exit code ${r.code}; stderr: ${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\bat .+:\d+:\d+/, "no stack trace");
    for (const m of c.mentions) assert.ok(r.stderr.includes(m), `stderr ${JSON.stringify(r.stderr)} lacks ${m}`);
  });
}

test("CLI: verify --engine host-c,qemu --cmsis-nn links the real library, every row identical, each board compiled for its core", { skip: !NN || !hasHostCompiler() || !hasArmToolchain() }, () => {
  const r = cli(["verify", model, "--engine", "host-c,qemu", "--cmsis-nn", NN!, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const rows = (JSON.parse(r.stdout) as { c: { model: string; target: string; identical: boolean }[] }).c;
  assert.deepEqual(rows.map((x) => x.target).sort(), ["host", "mps2-an385", "mps2-an386", "mps3-an547"]);
  for (const x of rows) assert.equal(x.identical, true, `${x.target}`);
  assert.ok(rows.find((x) => x.target === "mps2-an386")!.model.includes("cortex-m4"));
  assert.ok(rows.find((x) => x.target === "mps3-an547")!.model.includes("cortex-m55"));
});

test("CLI: profile --target cortex-m4 --cmsis-nn --json prints total, steps and shares", { skip: !NN || !hasArmToolchain() }, () => {
  const r = cli(["profile", model, "--target", "cortex-m4", "--cmsis-nn", NN!, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { total: number; steps: { op: string; kernel: string; instructions: number }[]; shares: Record<string, number> };
  assert.ok(j.total > 0);
  const conv = j.steps.find((s) => s.op === "cortex_m.quantized_conv2d");
  assert.ok(conv && conv.kernel.startsWith("arm_convolve") && conv.instructions > 0, JSON.stringify(j.steps));
  assert.ok(j.shares.conv! > 0 && j.shares.conv! <= 1);
  const text = cli(["profile", model, "--target", "cortex-m4", "--cmsis-nn", NN!]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^conv\s+1\s+\d+\s+\d+\.\d%$/m);
});
