// Runs one generated C test program (a main over kernel calls printing one
// line per result) on the host and, when the Arm toolchain is installed, on
// the M4 and M3 boards; returns each target's printed lines. Shared by the
// float kernel tests so their build-and-run loop is written once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildForBoard, buildForHost } from "../../src/emit/board_build.js";
import { runProgram } from "../../src/targets/run.js";
import { csrcDir } from "../../src/targets/toolchain.js";
import { ARM } from "./c_models.js";

export interface TargetLines {
  target: string;
  lines: string[];
}

/** Build `source` with the codegen_support files `support` (paths), run it, and return the non-"@" stdout lines per target. */
export async function runSupportProgram(prefix: string, source: string, support: readonly string[]): Promise<TargetLines[]> {
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-${prefix}-`));
  try {
    writeFileSync(join(dir, "cases.c"), source);
    const sources = [join(dir, "cases.c"), ...support];
    const includeDirs = [join(csrcDir(), "codegen_support")];
    const builds = [await buildForHost({ sources, includeDirs, outDir: join(dir, "host") })];
    if (ARM) {
      for (const board of ["mps2-an386", "mps2-an385"] as const) {
        builds.push(await buildForBoard({ sources, includeDirs, outDir: join(dir, board), board, weightsInBigRam: false, defines: {} }));
      }
    }
    const out: TargetLines[] = [];
    for (const b of builds) {
      const r = await runProgram(b, { cwd: dir, timeoutMs: 300_000 });
      assert.equal(r.exitCode, 0, `${b.target}: ${r.stderr}`);
      out.push({ target: b.target, lines: r.stdout.trim().split("\n").filter((l) => !l.startsWith("@")) });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
