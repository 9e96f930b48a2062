// Shared by the emit tests (not a test file): small models compiled to the
// final stage with a plan, the toolchain gate, and the verify helper.
import "../ops/index.js";
import "../ops/cortex_m/index.js";
import assert from "node:assert/strict";
import { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";
import { randomFeeds } from "../io/feeds.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { planGraph } from "../plan/graph_plan.js";
import { randomSource } from "../quantize/calibrate.js";
import { quantizeGraph } from "../quantize/quantize.js";
import { hasArmToolchain, hasHostCompiler } from "../targets/toolchain.js";
import type { EmitInput } from "./project.js";
import type { CTarget, VerifyRow } from "../driver/engines_c.js";
import { BOARD_NAMES } from "../targets/boards.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csrcDir } from "../targets/toolchain.js";
import { runProgram } from "../targets/run.js";
import { buildForBoard, buildForHost } from "./board_build.js";

/** Build → quantize (seeded random calibration) → lower → plan a small builder model. */
export function smallModel(build: (b: ModelBuilder, x: Value) => Value, inputShape: number[], target = "cortex-m55"): EmitInput {
  const b = new ModelBuilder("case", 7);
  const x = b.input("x", inputShape);
  b.output(build(b, x));
  const q = quantizeGraph(b.build(), randomSource(4, { seed: 3 }), { sqnr: false });
  const options = lowerOptions(target);
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options };
}

export const HOST_CC = hasHostCompiler();
export const ARM = hasArmToolchain();
let said = false;

/**
 * The emulated-board targets to test: all three where arm-none-eabi-gcc and
 * qemu-system-arm exist; none elsewhere (one line says so), except under CI,
 * where their absence fails the run.
 */
export function boardTargets(): CTarget[] {
  if (ARM) return [...BOARD_NAMES];
  if (process.env.CI) throw new Error("CI: arm-none-eabi-gcc and qemu-system-arm are required for the emulated Cortex-M tests");
  if (!said) {
    said = true;
    console.log("# skipping emulated Cortex-M tests: arm-none-eabi-gcc or qemu-system-arm not found");
  }
  return [];
}

export function cTargets(): CTarget[] {
  return [...(HOST_CC ? (["host"] as CTarget[]) : []), ...boardTargets()];
}

export function feedsOf(m: EmitInput, seeds: number[]) {
  return seeds.map((s) => randomFeeds(m.final!, s));
}

/** Every row ran and matched the simulator byte for byte. */
export function assertIdentical(rows: readonly VerifyRow[], allowSkip: (r: VerifyRow) => boolean = () => false): void {
  for (const r of rows) {
    if (r.skipped && allowSkip(r)) continue;
    assert.equal(r.skipped, undefined, `${r.model} on ${r.target} was skipped: ${r.skipped}`);
    assert.equal(r.identical, true, `${r.model} on ${r.target}: ${r.mismatches.join("; ")}`);
    if (r.target !== "host") {
      assert.ok((r.instructions ?? 0) > 0, `${r.model} on ${r.target}: no instruction count`);
      assert.ok((r.textBytes ?? 0) > 0 && (r.rodataBytes ?? 0) > 0, `${r.model} on ${r.target}: no section sizes`);
    }
  }
}

/**
 * Build a C program against the generated-code support library for the host
 * and, where the Arm toolchain exists, soft-float Cortex-M3 and Cortex-M55;
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
      for (const board of ["mps2-an385", "mps3-an547"] as const) {
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
