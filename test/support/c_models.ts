// Shared by the C tests (not a test file): small models compiled to the
// final stage with a plan, the toolchain gates, and the verify helper.
import "../../src/ops/index.js";
import "../../src/ops/cortex_m/index.js";
import assert from "node:assert/strict";
import { ModelBuilder } from "../../src/builder/index.js";
import type { Value } from "../../src/ir/graph.js";
import { randomFeeds } from "../../src/io/feeds.js";
import { lowerOptions } from "../../src/lower/options.js";
import { lowerGraph } from "../../src/lower/pipeline.js";
import { planGraph } from "../../src/plan/graph_plan.js";
import { randomSource } from "../../src/quantize/calibrate.js";
import { quantizeGraph } from "../../src/quantize/quantize.js";
import { join } from "node:path";
import { hasArmToolchain, hasHostCompiler } from "../../src/targets/toolchain.js";
import type { EmitInput } from "../../src/emit/project.js";
import type { CTarget, VerifyRow } from "../../src/driver/engines_c.js";
import { BOARD_NAMES } from "../../src/targets/boards.js";
import { sharedMissing, sharedPath } from "../fixtures/shared.js";

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

let saidShared = false;

/**
 * The real CMSIS-NN of ../shared/third_party (the link target of the real-library
 * tests), or null with one line saying the tests are skipped.
 */
export function realCmsisNn(): string | null {
  const dir = sharedPath("third_party/CMSIS-NN");
  const missing = sharedMissing("third_party/CMSIS-NN", join(dir, "Include", "arm_nnfunctions.h"));
  if (!missing) return dir;
  if (!saidShared) {
    saidShared = true;
    console.log(`# skipping real CMSIS-NN tests: ${missing}`);
  }
  return null;
}
