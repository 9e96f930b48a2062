// What a compile tells the person running it: progress of the long stages on
// stderr (src/io/progress.ts) and, at the end, a summary of what was built —
// target, precision, calibration source, arena, weights and the slowest layers.
import type { Stages } from "../driver/stages.js";
import type { Graph } from "../ir/graph.js";
import type { Progress } from "../ir/progress.js";
import { terminalProgress } from "../io/progress.js";
import { opKind } from "../report/classify.js";
import { tableNodes } from "../report/index.js";
import type { Profile } from "../report/profile.js";
import { nodeMacs } from "../ops/cortex_m/macs.js";

/** The CLI's progress reporter. CMSIS_LOWER_TEST_STATUS_MS shortens the log interval so a test can see the lines. */
export function cliProgress(): Progress {
  const every = Number(process.env.CMSIS_LOWER_TEST_STATUS_MS);
  return terminalProgress(Number.isFinite(every) && every >= 0 ? { everyMs: every } : {});
}

/**
 * The CLI's notice sink: each distinct line once on stderr (verify compiles once per core and
 * would otherwise repeat the same calibration notice).
 */
export function cliNotice(): (line: string) => void {
  const shown = new Set<string>();
  return (line) => {
    if (shown.has(line)) return;
    shown.add(line);
    process.stderr.write(line + "\n");
  };
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** "int8 (23 ops), float islands (10 ops: aten.lstm, aten.pow)" — which arithmetic the program runs in. */
export function precisionLine(g: Graph): string {
  const count = { int8: 0, int16: 0, float: 0 };
  const floatOps = new Set<string>();
  for (const n of g.nodes) {
    const k = opKind(n);
    if (k === "int8" || k === "int16") count[k]++;
    if (k === "float") {
      count.float++;
      floatOps.add(n.op);
    }
  }
  const parts = [`int8 (${plural(count.int8, "op")})`];
  if (count.int16) parts.push(`int16 (${plural(count.int16, "op")})`);
  if (count.float) parts.push(`float islands (${plural(count.float, "op")}: ${[...floatOps].sort().join(", ")})`);
  return parts.join(", ");
}

/** The `n` costliest ops: by instructions when a profile is given, else by MACs. */
export function slowestLayers(g: Graph, n: number, profile?: Profile): string {
  const rows = tableNodes(g).map((node) => ({
    node,
    cost: profile ? profile.steps.get(node.name)?.instructions ?? 0 : nodeMacs(node),
  }));
  const total = rows.reduce((a, r) => a + r.cost, 0);
  if (total === 0) return "none (no conv / linear work)";
  const unit = profile ? "instructions" : "MACs";
  return rows
    .sort((a, b) => b.cost - a.cost)
    .slice(0, n)
    .filter((r) => r.cost > 0)
    .map((r) => `${r.node.name} (${r.node.op.slice(r.node.op.lastIndexOf(".") + 1)}) ${r.cost.toLocaleString("en-US")} ${unit}, ${((100 * r.cost) / total).toFixed(1)}%`)
    .join("\n    ");
}

export function summaryLines(s: Stages, target: string, profile?: Profile): string {
  const g = s.final!;
  return (
    `  target: ${target}\n` +
    `  precision: ${precisionLine(g)}\n` +
    `  calibration: ${s.calibrationKind ? `${s.calibrationKind}: ` : ""}${s.calibration ?? "none"}\n` +
    `  slowest layers (by ${profile ? "profiled instructions" : "MACs"}):\n    ${slowestLayers(g, 3, profile)}\n`
  );
}
