// Shared by the emit tests (not a test file): a C program built against the
// generated-code support library for the host and the emulated boards.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csrcDir } from "../../src/targets/toolchain.js";
import { runProgram } from "../../src/targets/run.js";
import { buildForBoard, buildForHost } from "../../src/emit/board_build.js";
import { ARM } from "./c_models.js";

/**
 * Build a C program against the generated-code support library for the host
 * and, where the Arm toolchain exists, soft-float Cortex-M3, Cortex-M4 (single-precision
 * VFP) and Cortex-M55 (MVE), whose quantize loops differ;
 * run each and give its printed lines (instruction-count lines dropped) per target.
 */
export async function supportProgramLines(program: string): Promise<{ target: string; lines: string[] }[]> {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-support-"));
  try {
    writeFileSync(join(dir, "prog.c"), program);
    const sources = [join(dir, "prog.c"), join(csrcDir(), "codegen_support", "clg_support.c")];
    const includeDirs = [join(csrcDir(), "codegen_support")];
    const builds = [await buildForHost({ sources, includeDirs, outDir: join(dir, "host") })];
    if (ARM) {
      for (const board of ["mps2-an385", "mps2-an386", "mps3-an547"] as const) {
        builds.push(await buildForBoard({ sources, includeDirs, outDir: join(dir, board), board, weightsInBigRam: false, defines: {} }));
      }
    }
    const out: { target: string; lines: string[] }[] = [];
    for (const b of builds) {
      const r = await runProgram(b, { cwd: dir, timeoutMs: 120_000 });
      assert.equal(r.exitCode, 0, `${b.target}: ${r.stderr}`);
      out.push({ target: b.target, lines: r.stdout.trim().split("\n").filter((l) => !l.startsWith("@")) });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
