// The generated project as a product: warning-free (-std=c99 -Wall -Wextra
// -Werror) with its own Makefile under host gcc and arm-none-eabi-gcc for
// Cortex-M0+, M3, M4, M7, M33 and M55; byte-identical when emitted or compiled
// twice; selective (a model without pooling ships no pooling source); and a
// model using every op family matches the simulator on the host and the boards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";
import { formatVerifyTable, verifyC } from "./engines_c.js";
import { COMPILE_CPU_FLAGS } from "../targets/boards.js";
import { exec } from "../targets/build.js";
import { detectToolchain } from "../targets/toolchain.js";
import { emitProject, writeProject } from "../emit/project.js";
import { ARM, assertIdentical, boardTargets, cTargets, feedsOf, HOST_CC, smallModel } from "../../test/support/c_models.js";

/** Conv, depthwise, pools, add, mul, LUT, clamp, linear, int8 softmax, data movement and float ops. */
function everything(b: ModelBuilder, x: Value): Value {
  const c = b.relu(b.conv2d(x, { out: 8, k: 3, pad: 1 }));
  const d = b.hardswish(b.depthwise2d(c, { k: 3, pad: 1, stride: 2 }));
  const p = b.maxpool2d(d, { k: 2, stride: 2 });
  const a = b.avgpool2d(d, { k: 2, stride: 2 });
  const s = b.add(p, a);
  const m = b.mul(s, b.sigmoid(s));
  const u = b.upsampleNearest2d(m, { scale: 2 });
  const cat = b.cat([u, d], 1);
  const f = b.flatten(b.relu6(cat), 1);
  const l = b.linear(f, { out: 10 });
  const sm = b.softmax(l, 1);
  const t = b.tanh(b.slice(b.pad(l, [2, 2], "reflect"), 1, 1, 11));
  return b.cat([b.logSoftmax(b.add(sm, t), 1), b.flatten(b.mean(b.view(l, [1, 2, 5]), [2], true), 1)], 1);
}

test("a model using every op family: C = int8 runtime on host and boards", async () => {
  const m = smallModel(everything, [1, 3, 8, 8]);
  const rows = await verifyC(m, { model: "all-ops", name: "allops", targets: cTargets(), steps: feedsOf(m, [21, 22]) });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
});

test("emitting twice gives byte-identical files; a model without pooling ships no pooling source", () => {
  const a = emitProject(smallModel(everything, [1, 3, 8, 8]), { name: "allops" });
  const b = emitProject(smallModel(everything, [1, 3, 8, 8]), { name: "allops" });
  assert.deepEqual([...a.files.keys()], [...b.files.keys()]);
  for (const [k, v] of a.files) assert.equal(b.files.get(k), v, `${k} differs`);
  assert.ok(a.files.has("cmsis_nn/Source/arm_pool_s8.c"));
  const conv = emitProject(smallModel((bb, x) => bb.conv1d(x, { out: 8, k: 3, pad: 1 }), [1, 4, 16]), { name: "conv" });
  assert.ok(![...conv.files.keys()].some((k) => /pool|softmax|elementwise|fully_connected|clg_float/.test(k)), [...conv.files.keys()].join(" "));
  assert.ok(conv.files.has("conv.h") && conv.files.has("conv.c") && conv.files.has("conv_weights.c") && conv.files.has("Makefile") && conv.files.has("CMakeLists.txt") && conv.files.has("README.md"));
});

test("the generated Makefile builds warning-free (-Werror) for host gcc and Cortex-M0+/M3/M4/M7/M33/M55, twice identically", { skip: !HOST_CC && "no host gcc" }, async () => {
  const p = emitProject(smallModel(everything, [1, 3, 8, 8]), { name: "allops" });
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-make-"));
  try {
    const out = join(dir, "proj");
    writeProject(out, p.files);
    const make = async (args: string[]): Promise<void> => {
      const r = await exec("make", ["-C", out, "-s", "-j4", ...args]);
      assert.equal(r.code, 0, `make ${args.join(" ")}:\n${r.stdout}${r.stderr}`);
      assert.equal((r.stdout + r.stderr).includes("warning"), false, r.stdout + r.stderr);
    };
    const cpus = Object.keys(COMPILE_CPU_FLAGS);
    assert.deepEqual(cpus, ["cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]);
    await make(["CC=gcc", "BUILD=build-host", "LIB=libhost.a"]);
    const first = readFileSync(join(out, "libhost.a"));
    rmSync(join(out, "build-host"), { recursive: true });
    rmSync(join(out, "libhost.a"));
    await make(["CC=gcc", "BUILD=build-host", "LIB=libhost.a"]);
    assert.ok(first.equals(readFileSync(join(out, "libhost.a"))), "host library differs between two builds");
    if (boardTargets().length === 0) return;
    const cc = detectToolchain().armCc!.path;
    for (const cpu of cpus) {
      await make([`CC=${cc}`, `AR=${cc.replace(/gcc$/, "ar")}`, `BUILD=build-${cpu}`, `LIB=lib-${cpu}.a`, `CFLAGS=-O2 ${COMPILE_CPU_FLAGS[cpu]!.join(" ")}`]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an existing directory not written by compile is never replaced", () => {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-keep-"));
  try {
    writeProject(join(dir, "ok"), new Map([["a.c", "int a;\n"]]));
    writeProject(join(dir, "ok"), new Map([["b.c", "int b;\n"]]));
    assert.throws(() => readFileSync(join(dir, "ok", "a.c")), "the earlier compile is replaced as a whole");
    assert.equal(readFileSync(join(dir, "ok", "b.c"), "utf8"), "int b;\n");
    assert.throws(() => writeProject(dir, new Map([["c.c", ""]])), /refusing to replace/);
    assert.throws(() => writeProject(join(dir, "bad"), new Map([["../escape.c", ""]])), /bad relative path/);
    assert.throws(() => readFileSync(join(dir, "bad", "x")), "nothing half-written");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(ARM || !process.env.CI);
});
