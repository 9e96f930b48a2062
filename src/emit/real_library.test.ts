// The real-library table (csrc/cmsis_nn_real.json: CMSIS-NN function → the
// sources of a checkout it needs) against ../shared/third_party/CMSIS-NN, so it
// cannot rot: its version is the checkout's, every source exists, each
// function's sources compile warning-free for the host and every Cortex-M core
// and link on their own (every arm_* symbol they use is defined among them),
// and every kernel the emitter may call that the real library has is listed.
// The generated Makefile then builds a project with CMSIS_NN=<checkout>.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileAll } from "./board_build.js";
import { cmsisNnSnapshot, realIncludeDir, realLibraryFunctions, realLibrarySources } from "./library.js";
import { emitProject, writeProject, projectFiles } from "./project.js";
import { COMPILE_CPU_FLAGS } from "../targets/boards.js";
import { exec, warningFlags } from "../targets/build.js";
import { csrcDir } from "../targets/toolchain.js";
import { ARM, HOST_CC, realCmsisNn, smallModel } from "../../test/support/c_models.js";

const NN = realCmsisNn();

test("real-library table: version and commit are the checkout's, every source exists", { skip: !NN }, () => {
  const header = readFileSync(join(NN!, realIncludeDir(), "arm_nnfunctions.h"), "utf8");
  const rev = /\$Revision:\s*(\S+)/.exec(header)?.[1];
  assert.equal(cmsisNnSnapshot().version, rev);
  const readme = readFileSync(join(NN!, "..", "README.md"), "utf8");
  assert.ok(readme.includes(`commit \`${cmsisNnSnapshot().commit}\``), "third_party/README.md names another commit");
  for (const s of realLibrarySources(realLibraryFunctions())) assert.ok(existsSync(join(NN!, s)), s);
});

test("real-library table: every kernel the portable subset offers is listed when the real library declares it", { skip: !NN }, () => {
  const manifest = JSON.parse(readFileSync(join(csrcDir(), "cmsis_nn_portable", "manifest.json"), "utf8")) as { functions: Record<string, string[]> };
  const decls = readFileSync(join(NN!, realIncludeDir(), "arm_nnfunctions.h"), "utf8");
  const listed = new Set(realLibraryFunctions());
  let declared = 0;
  for (const fn of Object.keys(manifest.functions)) {
    if (!new RegExp(`\\b${fn}\\s*\\(`).test(decls)) continue;
    declared++;
    assert.ok(listed.has(fn), `${fn} is declared by the real library but missing from csrc/cmsis_nn_real.json`);
  }
  assert.ok(declared >= 40, `only ${declared} portable kernels found in the real header`);
});

/** Symbols defined / undefined by an object (nm). */
async function symbols(nm: string, obj: string): Promise<{ defined: Set<string>; undefined: Set<string> }> {
  const r = await exec(nm, [obj]);
  assert.equal(r.code, 0, r.stderr);
  const defined = new Set<string>();
  const undef = new Set<string>();
  for (const line of r.stdout.split("\n")) {
    const m = /^\s*[0-9a-fA-F]*\s+([A-Za-z])\s+(\S+)$/.exec(line);
    if (!m) continue;
    if (m[1] === "U") undef.add(m[2]!);
    else if (/[TDRBC]/.test(m[1]!)) defined.add(m[2]!);
  }
  return { defined, undefined: undef };
}

const CORES: [string, string[]][] = [["host", []], ...Object.entries(COMPILE_CPU_FLAGS)];

test("real-library table: each function's sources compile with -Wall -Wextra -Werror and close over arm_* symbols, host and every core", { skip: !NN || !HOST_CC }, async () => {
  const all = realLibrarySources(realLibraryFunctions());
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-realtable-"));
  try {
    for (const [core, cpu] of CORES) {
      if (core !== "host" && !ARM) continue;
      const cc = core === "host" ? "gcc" : "arm-none-eabi-gcc";
      const flags = [...cpu, ...warningFlags(true, "c99"), "-O2", "-ffunction-sections", "-fdata-sections", "-ffp-contract=off", `-I${join(NN!, realIncludeDir())}`];
      const objects = await compileAll(cc, flags, all.map((s) => join(NN!, s)), join(dir, core));
      const syms = await Promise.all(objects.map((o) => symbols(core === "host" ? "nm" : "arm-none-eabi-nm", o)));
      const bySource = new Map(all.map((s, i) => [s, syms[i]!]));
      for (const fn of realLibraryFunctions()) {
        const own = realLibrarySources([fn]).map((s) => bySource.get(s)!);
        const defined = new Set(own.flatMap((x) => [...x.defined]));
        assert.ok(defined.has(fn), `${core}: ${fn} is not defined by its sources`);
        for (const x of own) {
          for (const u of x.undefined) {
            if (u.startsWith("arm_")) assert.ok(defined.has(u), `${core}: ${fn} needs ${u}, which its sources in csrc/cmsis_nn_real.json do not define`);
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("generated Makefile: make CMSIS_NN=<checkout> builds warning-free for the host and Cortex-M4 from the listed sources only", { skip: !NN || !HOST_CC }, async () => {
  const m = smallModel((b, x) => b.relu(b.conv2d(b.depthwise2d(x, { k: 3, pad: 1 }), { out: 8, k: 3, pad: 1 })), [1, 4, 8, 8], "cortex-m4");
  const p = emitProject(m, { name: "net" });
  const mk = p.files.get("Makefile")!;
  assert.ok(!mk.includes("wildcard"), "the Makefile globs the library");
  assert.ok(p.files.get("net.h")!.includes(`#define NET_CMSIS_NN_COMMIT "${cmsisNnSnapshot().commit}"`));
  assert.ok(p.files.get("README.md")!.includes(cmsisNnSnapshot().commit));
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-make-"));
  try {
    writeProject(join(dir, "p"), projectFiles(p));
    const runs: string[][] = [["CC=gcc"]];
    if (ARM) runs.push(["CC=arm-none-eabi-gcc", "AR=arm-none-eabi-ar", `CFLAGS=-O2 ${COMPILE_CPU_FLAGS["cortex-m4"]!.join(" ")}`]);
    for (const vars of runs) {
      await exec("make", ["-C", join(dir, "p"), "clean"]);
      const r = await exec("make", ["-C", join(dir, "p"), `CMSIS_NN=${NN}`, ...vars]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(!/warning/i.test(r.stderr), r.stderr);
      // Exactly the table's sources for the model's kernels were compiled.
      const compiled = [...r.stdout.matchAll(/-c (\S+\.c)/g)].map((x) => x[1]!).filter((s) => s.startsWith(NN!)).map((s) => s.slice(NN!.length + 1)).sort();
      assert.deepEqual(compiled, p.realNnSources, vars.join(" "));
      assert.ok(existsSync(join(dir, "p", "libnet.a")));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const CMAKE = spawnSync("cmake", ["--version"]).status === 0;
if (!CMAKE) console.log("# skipping the CMake route test: cmake not found");

test("generated CMakeLists: -DCMSIS_NN=<checkout> builds warning-free on the host from the listed sources only", { skip: !NN || !HOST_CC || !CMAKE }, async () => {
  const m = smallModel((b, x) => b.relu(b.conv2d(x, { out: 8, k: 3, pad: 1 })), [1, 4, 8, 8], "cortex-m3");
  const p = emitProject(m, { name: "net" });
  assert.ok(!p.files.get("CMakeLists.txt")!.includes("GLOB"), "the CMakeLists globs the library");
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-cmake-"));
  try {
    writeProject(join(dir, "p"), projectFiles(p));
    const conf = await exec("cmake", ["-S", join(dir, "p"), "-B", join(dir, "b"), `-DCMSIS_NN=${NN}`]);
    assert.equal(conf.code, 0, conf.stdout + conf.stderr);
    const r = await exec("cmake", ["--build", join(dir, "b"), "--verbose"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!/warning/i.test(r.stdout + r.stderr), r.stdout + r.stderr);
    const compiled = [...new Set([...r.stdout.matchAll(/-c (\S+\.c)\b/g)].map((x) => x[1]!).filter((s) => s.startsWith(NN!)))].map((s) => s.slice(NN!.length + 1)).sort();
    assert.deepEqual(compiled, p.realNnSources);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
