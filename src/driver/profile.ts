// `cmsis-lower profile`: the generated C on the emulated board of a core,
// with the board counter read around every step through the project's own
// <NAME>_STEP_BEGIN / _END hooks (the ones firmware can define), one
// inference of <name>_run measured under QEMU -icount: instructions per step,
// per category, and in total.
import { UserError } from "../ir/errors.js";
import { opCategory, STEP_CATEGORIES, type StepCategory } from "../emit/ops/index.js";
import { cmsisNnSnapshot } from "../emit/library.js";
import { emitProject, type EmitInput } from "../emit/project.js";
import { BOARD_NAMES, boardInfo, type BoardName } from "../targets/boards.js";
import { buildC, type Feeds } from "./engines_c.js";
import { tableLines } from "../io/text_table.js";

export interface ProfileStep {
  name: string;
  op: string;
  kernel: string;
  category: StepCategory;
  instructions: number;
}

export interface ProfileReport {
  model: string;
  target: string;
  board: BoardName;
  /** The portable subset, or the real CMSIS-NN checkout linked. */
  library: string;
  /** Instructions of one inference (<name>_run), measured around the call. */
  total: number;
  /** Sum of the steps; total − stepSum is the hooks' own cost and the code between steps. */
  stepSum: number;
  steps: ProfileStep[];
  /** Instructions per category as fractions of the total. */
  shares: Record<StepCategory, number>;
  arenaBytes: number;
}

/** The emulated board of a core (profile runs there). */
export function boardOfCpu(cpu: string): BoardName {
  const b = BOARD_NAMES.find((n) => boardInfo(n).cpu === cpu);
  if (!b) throw new UserError(`--target ${cpu}: no emulated board for that core (profile runs on ${BOARD_NAMES.map((n) => boardInfo(n).cpu).join(", ")})`);
  return b;
}

/** The hooks: the board counter read at BEGIN, the step's ticks stored at END (the last run's stay). */
function hooksHeader(P: string): string {
  return [
    "/* cmsis-lower profile: per-step board-counter reads (generated). */",
    "#include <stdint.h>",
    '#include "cl_bench.h"',
    `uint32_t clg_profile_ticks[${P}_NUM_STEPS];`,
    "uint32_t clg_profile_t0;",
    `#define ${P}_STEP_BEGIN(index, name) (clg_profile_t0 = cl_bench_now())`,
    `#define ${P}_STEP_END(index, name) (clg_profile_ticks[(index)] = cl_bench_now() - clg_profile_t0)`,
    "",
  ].join("\n");
}

const AFTER_RUN = (P: string): string[] => [
  "{",
  "    extern uint32_t clg_profile_ticks[];",
  "    int s;",
  `    for (s = 0; s < ${P}_NUM_STEPS; s++)`,
  '        printf("@step %d %lu\\n", s, (unsigned long)cl_bench_instructions(0u, clg_profile_ticks[s]));',
  "}",
];

const STEP_RE = /^@step\s+(\d+)\s+(\d+)\s*$/;

export interface ProfileOptions {
  model: string;
  /** The core the stages were lowered for (picks the board). */
  target: string;
  feeds: Feeds;
  cmsisNn?: string;
  name?: string;
}

/** Build, run once and attribute the instructions of one inference to its steps. */
export async function profileC(stages: EmitInput, o: ProfileOptions): Promise<ProfileReport> {
  const board = boardOfCpu(o.target);
  const project = emitProject(stages, { name: o.name ?? "model", target: o.target, source: o.model });
  const P = project.prefix.toUpperCase();
  const b = await buildC(stages, board, 1, { project, cmsisNn: o.cmsisNn, hooksHeader: hooksHeader(P), afterRun: AFTER_RUN(P), keep: true });
  let stdout: string;
  let total: number;
  try {
    const r = await b.run([o.feeds]);
    total = r.instructions ?? 0;
    stdout = r.stdoutText;
  } finally {
    b.dispose();
  }
  const byIndex = new Map<number, number>();
  for (const line of stdout.split("\n")) {
    const m = STEP_RE.exec(line.trim());
    if (m) byIndex.set(Number(m[1]), Number(m[2]));
  }
  // External-weights mode re-emits the project: its steps are the ones that ran.
  const ran = b.project.steps;
  const steps: ProfileStep[] = ran.map((s) => ({
    name: s.name, op: s.op, kernel: s.kernel, category: opCategory(s.op), instructions: byIndex.get(s.index) ?? 0,
  }));
  if (total <= 0 || byIndex.size === 0) throw new Error(`profile: the ${board} run printed no instruction counts`);
  const shares = Object.fromEntries(STEP_CATEGORIES.map((c) => [c, 0])) as Record<StepCategory, number>;
  for (const s of steps) shares[s.category] += s.instructions / total;
  const snap = cmsisNnSnapshot();
  return {
    model: o.model, target: o.target, board,
    library: o.cmsisNn !== undefined ? `real CMSIS-NN at ${o.cmsisNn} (code generated for ${snap.version}, ${snap.commit.slice(0, 12)})` : "portable CMSIS-NN subset",
    total, stepSum: steps.reduce((a, s) => a + s.instructions, 0), steps, shares, arenaBytes: b.project.arenaBytes,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The per-step table and the totals per category. */
export function formatProfile(r: ProfileReport): string {
  const head = ["step", "op", "kernel", "instructions", "share"];
  const rows = r.steps.map((s) => [s.name, s.op, s.kernel, String(s.instructions), pct(s.instructions / r.total)]);
  // Counts and shares (columns 3 on) right-aligned.
  const table = (h: string[], body: string[][]): string[] => tableLines([h, ...body], { rule: true, rightAligned: (i) => i >= 3 });
  const cats = STEP_CATEGORIES.map((c) => {
    const n = r.steps.filter((s) => s.category === c).reduce((a, s) => a + s.instructions, 0);
    return [c, String(r.steps.filter((s) => s.category === c).length), "", String(n), pct(r.shares[c])];
  });
  return [
    `${r.model} on ${r.board} (${r.target}), ${r.library}: ${r.total} instructions per inference (QEMU -icount, board counter), arena ${r.arenaBytes} B`,
    "",
    ...table(head, rows),
    "",
    ...table(["category", "steps", "", "instructions", "share"], [...cats, ["hooks and glue", "", "", String(r.total - r.stepSum), pct((r.total - r.stepSum) / r.total)]]),
    "",
  ].join("\n");
}

/** The --json form: total, steps and shares (plus what was measured). */
export function profileJson(r: ProfileReport): object {
  return {
    model: r.model, target: r.target, board: r.board, library: r.library, arenaBytes: r.arenaBytes,
    total: r.total, stepSum: r.stepSum,
    steps: r.steps.map((s) => ({ name: s.name, op: s.op, kernel: s.kernel, category: s.category, instructions: s.instructions })),
    shares: r.shares,
  };
}
