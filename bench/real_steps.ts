// Per-step instruction counts of a model's generated C linked against the real
// CMSIS-NN on an emulated board (QEMU -icount): the measurement behind the
// kernel cost table (src/lower/cost_model.ts). A development tool until the
// `profile` command exists; the counter is read before every step of the int8
// run only.
//
//   node dist/bench/real_steps.js <model> <cortex-m55|cortex-m4|cortex-m3> [--input-shape input=1x1x700] [--steps] [--json]
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildStages } from "../src/driver/stages.js";
import { buildForBoard, WEIGHTS_SECTION } from "../src/emit/board_build.js";
import { harnessMain, packInputs, unpackOutputs } from "../src/emit/harness.js";
import { referenceRuns } from "../src/driver/engines_c.js";
import { emitProject, projectFiles, writeProject } from "../src/emit/project.js";
import { randomFeeds } from "../src/io/feeds.js";
import { quantizeValue } from "../src/ops/quant/rounding.js";
import { runProgram } from "../src/targets/run.js";
import type { BoardName } from "../src/targets/boards.js";
import { nodeMacs } from "../src/ops/cortex_m/macs.js";
import { opCategory } from "../src/emit/ops/index.js";

const BOARD: Record<string, BoardName> = { "cortex-m55": "mps3-an547", "cortex-m4": "mps2-an386", "cortex-m3": "mps2-an385" };
const LIB = resolve("../shared/third_party/CMSIS-NN");
// Stable copy so the object cache of board_build (keyed on .../cmsis_nn/...) applies.
const LIB_COPY = join(tmpdir(), "cmsis-lower-real-nn", "cmsis_nn");

/** The issue's categories: the profiler's, from the family the op's emitter belongs to. */
export function category(op: string): string {
  return opCategory(op);
}

function realSources(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(join(LIB, "Source"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const d = join(LIB, "Source", dir);
    for (const f of readdirSync(d)) {
      if (!f.endsWith(".c") || /_f(16|32)\.c$/.test(f)) continue;
      const dst = join(LIB_COPY, "Source", dir, f);
      if (!existsSync(dst)) {
        mkdirSync(join(LIB_COPY, "Source", dir), { recursive: true });
        copyFileSync(join(d, f), dst);
      }
      out.push(dst);
    }
  }
  return out;
}

/** Counter read before every `/* [N] name (op) *\/` step comment of invoke and once at its end. */
function instrument(c: string): { text: string; steps: { idx: number; name: string; op: string }[] } {
  const steps: { idx: number; name: string; op: string }[] = [];
  const lines = c.split("\n");
  const out: string[] = [];
  let inInvoke = false;
  for (const l of lines) {
    if (l.startsWith("static int invoke(")) inInvoke = true;
    const m = inInvoke ? /^(\s*)\/\* \[(\d+)\] (.*) \((\S+)\) \*\/$/.exec(l) : null;
    if (m) {
      steps.push({ idx: Number(m[2]), name: m[3]!, op: m[4]! });
      out.push(`${m[1]}PROF_MARK(${m[2]});`);
    }
    if (inInvoke && /^\s*\(void\)in;$/.test(l)) {
      out.push("    PROF_MARK(-1);", "    if (!float_io) { int i; for (i = 1; i < prof_n; i++) printf(\"@instructions s%d %lu\\n\", prof_idx[i - 1], (unsigned long)((prof_t[i] - prof_t[i - 1]) * CL_BENCH_INSTR_PER_TICK)); prof_n = 0; }");
      inInvoke = false;
    }
    out.push(l);
  }
  const head = [
    "#include <stdio.h>", '#include "cl_bench.h"',
    "static uint32_t prof_t[4096]; static int prof_idx[4096]; static int prof_n;",
    "#define PROF_MARK(i) do { if (!float_io) { prof_idx[prof_n] = (i); prof_t[prof_n++] = cl_bench_now(); } } while (0)",
  ];
  return { text: [...head, ...out].join("\n"), steps };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const model = args[0]!;
  const target = args[1]!;
  const shapeAt = args.indexOf("--input-shape");
  const spec = shapeAt >= 0 ? args[shapeAt + 1]!.split("=") : null;
  const inputShapes = spec ? { [spec[0]!]: spec[1]!.split("x").map(Number) } : undefined;
  const board = BOARD[target];
  if (!board) throw new Error(`target ${target}: one of ${Object.keys(BOARD).join(", ")}`);
  const stages = await buildStages(model, { stage: "final", target, ...(inputShapes ? { inputShapes } : {}) });
  const big = board === "mps3-an547" ? false : (stages.plan?.weightsBytes ?? 0) > 15 * 1024 * 1024;
  const project = emitProject(stages, { name: "model", target, source: model, externalWeights: big });
  const dir = mkdtempSync(join(tmpdir(), "real-steps-"));
  try {
    const files = projectFiles(project);
    const inst = instrument(project.files.get("model.c")!);
    files.set("model.c", inst.text);
    writeProject(join(dir, "project"), files);
    const weightsFile = project.stageBytes > 0 ? "project/model_weights.bin" : null;
    writeFileSync(join(dir, "main.c"), harnessMain(project.prefix, project.ports, 1, [], weightsFile));
    const feeds = randomFeeds(stages.final!, 1);
    const q = project.ports.inputs.map((p) => {
      const t = feeds[p.value.name]!;
      if (!p.border) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      const b = new Int8Array(t.data.length);
      for (let i = 0; i < b.length; i++) b[i] = quantizeValue(t.data[i]!, p.scale!, p.zeroPoint!, -128, 127);
      return new Uint8Array(b.buffer);
    });
    writeFileSync(join(dir, "in.bin"), packInputs(project.ports, [feeds], [], q));
    const src = join(dir, "project");
    const sources = [...project.sources.filter((s) => !s.startsWith("cmsis_nn/")).map((s) => join(src, s)), ...realSources(), join(dir, "main.c")];
    const includeDirs = [...project.includeDirs.filter((d) => !d.startsWith("cmsis_nn")).map((d) => join(src, d)), join(LIB, "Include")];
    const inBig = board === "mps3-an547" || project.weightsBytes > 3.5 * 1024 * 1024;
    const defines: Record<string, string> = {};
    if (inBig) defines.MODEL_WEIGHTS_ATTR = `__attribute__((aligned(16),section("${WEIGHTS_SECTION}")))`;
    if (project.stageBytes > 0) defines.MODEL_STAGE_ATTR = `__attribute__((aligned(16),section(".big")))`;
    const b = await buildForBoard({ sources, includeDirs, outDir: join(dir, "build"), board, weightsInBigRam: inBig, defines });
    const r = await runProgram(b, { cwd: dir, timeoutMs: 1_800_000 });
    if (r.exitCode !== 0) throw new Error(`run failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
    // The float API runs the whole int8 program: its bytes must be the simulator's.
    const ref = referenceRuns(stages, [feeds])[0]!;
    const got = unpackOutputs(project.ports, 1, readFileSync(join(dir, "out.bin"))).floatSteps[0]!;
    const identical = project.ports.outputs.every((p, i) => {
      const t = ref[p.value.name]!;
      const want = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      return want.length === got[i]!.length && want.every((v, k) => v === got[i]![k]);
    });
    const byIdx = new Map(inst.steps.map((s) => [s.idx, s]));
    const nodes = new Map(stages.final!.nodes.map((n) => [n.name, n]));
    const rows: { idx: number; name: string; op: string; category: string; instructions: number; kernel?: string; macs?: number }[] = [];
    for (const line of r.stdout.split("\n")) {
      const m = /^@instructions s(-?\d+) (\d+)$/.exec(line.trim());
      if (!m) continue;
      const s = byIdx.get(Number(m[1]))!;
      const n = nodes.get(s.name);
      const kernel = n?.attrs.kernel as string | undefined;
      rows.push({ idx: s.idx, name: s.name, op: s.op, category: category(s.op), instructions: Number(m[2]), ...(kernel ? { kernel, macs: nodeMacs(n!) } : {}) });
    }
    const total = rows.reduce((a, x) => a + x.instructions, 0);
    const shares: Record<string, number> = {};
    for (const x of rows) shares[x.category] = (shares[x.category] ?? 0) + x.instructions / total;
    if (args.includes("--json")) {
      process.stdout.write(JSON.stringify({ model, target, total, arena: project.arenaBytes, identical, steps: rows, shares }, null, 1) + "\n");
      return;
    }
    if (args.includes("--steps")) {
      for (const x of [...rows].sort((a, b) => b.instructions - a.instructions).slice(0, 40)) {
        const k = x.kernel ? ` ${x.kernel} ${x.macs} MACs ${(x.instructions / x.macs!).toFixed(2)}/MAC` : "";
        process.stdout.write(`${String(x.instructions).padStart(11)} ${(100 * x.instructions / total).toFixed(2).padStart(6)}% [${x.idx}] ${x.op} ${x.name}${k}\n`);
      }
    }
    const lmq = (shares.layout ?? 0) + (shares.data_movement ?? 0) + (shares.quantize ?? 0);
    process.stdout.write(`${model} ${target}: total ${total} instructions; arena ${project.arenaBytes} B; output bytes ${identical ? "identical to" : "DIFFER from"} the simulator; ` +
      Object.entries(shares).map(([k, v]) => `${k} ${(100 * v).toFixed(2)}%`).join(", ") + `; layout+data_movement+quantize ${(100 * lmq).toFixed(2)}%\n`);
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
