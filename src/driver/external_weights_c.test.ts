// External-weights mode: the large int8 constants leave the image for
// <name>_weights.bin (deterministic, 16-byte aligned entries), each step
// fetches what it reads through <name>_read_weights into one staging buffer,
// and the generated C still gives the simulator's bytes on host and boards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";
import { formatVerifyTable, verifyC } from "./engines_c.js";
import { exec } from "../targets/build.js";
import { emitProject, projectFiles, writeProject } from "../emit/project.js";
import { assertIdentical, cTargets, feedsOf, HOST_CC, smallModel } from "../../test/support/c_models.js";

/** Convs, a depthwise conv (over-read padding), a LUT and a linear layer: several int8 tables per step. */
function net(b: ModelBuilder, x: Value): Value {
  const c = b.relu(b.conv2d(x, { out: 16, k: 3, pad: 1 }));
  const d = b.hardswish(b.depthwise2d(c, { k: 3, pad: 1 }));
  const e = b.relu(b.conv2d(d, { out: 24, k: 3, pad: 1, stride: 2 }));
  return b.linear(b.flatten(e, 1), { out: 10 });
}

const model = () => smallModel(net, [1, 3, 8, 8]);

/** (blob offset, stage offset, bytes) of every fetch in the generated .c, in order. */
function fetches(c: string, prefix: string): { blob: number; stage: number; bytes: number; step: number }[] {
  const re = new RegExp(`if \\(${prefix}_read_weights\\((\\d+)u, STAGE\\(void, (\\d+)\\), (\\d+)u\\) != 0\\)\\n\\s*return -\\(\\(int\\)${prefix.toUpperCase()}_WEIGHTS_READ_FAILED \\* 65536 \\+ (\\d+)\\);`, "g");
  return [...c.matchAll(re)].map((m) => ({ blob: +m[1]!, stage: +m[2]!, bytes: +m[3]!, step: +m[4]! }));
}

test("external weights: the int8 tables go to a deterministic, aligned blob fetched per step; the default mode has none", () => {
  const m = model();
  const a = emitProject(m, { name: "ext", externalWeights: true, externalMinBytes: 64 });
  const b = emitProject(model(), { name: "ext", externalWeights: true, externalMinBytes: 64 });
  const blob = a.binaryFiles.get("ext_weights.bin")!;
  assert.ok(blob && blob.length === a.externalWeightsBytes && blob.length > 0);
  assert.deepEqual(b.binaryFiles.get("ext_weights.bin"), blob, "blob differs between two emits");
  for (const [k, v] of a.files) assert.equal(b.files.get(k), v, `${k} differs`);

  const c = a.files.get("ext.c")!;
  const f = fetches(c, "ext");
  // Every int8 table of at least 64 bytes read by a step is fetched, and nothing else.
  const big = m.final!.nodes.flatMap((n) => n.inputs).filter((v): v is Value => !!v && !!v.data && v.dtype === "i8" && v.numel >= 64);
  const distinct = [...new Set(big)];
  assert.ok(distinct.length >= 4, `${distinct.length} tables of 64+ bytes`);
  assert.equal(new Set(f.map((x) => x.blob)).size, distinct.length, c);
  for (const x of f) {
    assert.equal(x.blob % 16, 0);
    assert.equal(x.stage % 16, 0);
    const w = distinct.find((v) => v.numel <= x.bytes && x.bytes - v.numel <= 4 &&
      Buffer.from(blob.subarray(x.blob, x.blob + v.numel)).equals(Buffer.from(new Uint8Array(v.data!.buffer, v.data!.byteOffset, v.numel))));
    assert.ok(w, `fetch at ${x.blob} matches no constant`);
    assert.ok(blob.subarray(x.blob + w.numel, x.blob + x.bytes).every((z) => z === 0), "over-read padding is zero");
  }
  // The staging buffer holds the largest group of one step, slots not overlapping.
  const bySteps = new Map<number, typeof f>();
  for (const x of f) bySteps.set(x.step, [...(bySteps.get(x.step) ?? []), x]);
  let most = 0;
  for (const g of bySteps.values()) {
    const sorted = [...g].sort((p, q) => p.stage - q.stage);
    sorted.forEach((x, i) => i > 0 && assert.ok(x.stage >= sorted[i - 1]!.stage + sorted[i - 1]!.bytes));
    most = Math.max(most, sorted.at(-1)!.stage + sorted.at(-1)!.bytes);
  }
  assert.ok(a.stageBytes >= most && a.stageBytes < most + 16, `stage ${a.stageBytes} vs ${most}`);
  assert.match(a.files.get("ext.h")!, /int ext_read_weights\(uint32_t offset, void \*dst, uint32_t size\);/);
  assert.match(a.files.get("ext.h")!, new RegExp(`#define EXT_STAGE_BYTES ${a.stageBytes}\\b`));
  assert.match(a.files.get("README.md")!, /## External weights/);
  // The fetched tables are not also compiled in; the small ones are.
  const imageBytes = emitProject(model(), { name: "ext" }).weightsBytes;
  assert.ok(a.weightsBytes > 0 && a.weightsBytes <= imageBytes - distinct.reduce((s, v) => s + v.numel, 0));

  const plain = emitProject(model(), { name: "ext" });
  assert.equal(plain.binaryFiles.size, 0);
  assert.equal(plain.stageBytes, 0);
  assert.ok(!plain.files.get("ext.h")!.includes("read_weights") && !plain.files.get("ext.c")!.includes("STAGE"));
});

test("external weights: the project compiles warning-free with its Makefile and the blob is written", { skip: !HOST_CC && "no host gcc" }, async () => {
  const p = emitProject(model(), { name: "ext", externalWeights: true, externalMinBytes: 64 });
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-ext-"));
  try {
    writeProject(dir + "/p", projectFiles(p));
    assert.deepEqual(readFileSync(join(dir, "p", "ext_weights.bin")), Buffer.from(p.binaryFiles.get("ext_weights.bin")!));
    const r = await exec("make", ["-C", join(dir, "p"), "-s", "-j4", "CC=gcc"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((r.stdout + r.stderr).includes("warning"), false, r.stdout + r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("external weights: C = int8 runtime on host and boards, tables read from the file at run time", async () => {
  const m = model();
  const externalProject = emitProject(m, { name: "ext", externalWeights: true, externalMinBytes: 64 });
  const rows = await verifyC(m, { model: "ext-weights", name: "ext", targets: cTargets(), steps: feedsOf(m, [31, 32]), externalWeights: true, externalProject });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
  for (const r of rows) assert.equal(r.weightsFileBytes, externalProject.externalWeightsBytes);
});
