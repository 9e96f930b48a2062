// `npm run bench`: memory and layout figures per built-in model, before and
// after the clean-up passes, and compile time (import → C) per model.
// Prints a Markdown table and writes bench/results.json.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import "../src/ops/index.js";
import type { Graph } from "../src/ir/graph.js";
import { emitProject } from "../src/emit/project.js";
import { lowerOptions } from "../src/lower/options.js";
import { lowerGraph } from "../src/lower/pipeline.js";
import { loadModel } from "../src/models/index.js";
import { planGraph } from "../src/plan/graph_plan.js";
import { isLayoutOp, trafficOf } from "../src/plan/traffic.js";
import { randomSource, type FeedSource } from "../src/quantize/calibrate.js";
import { quantizeGraph } from "../src/quantize/quantize.js";

interface Case { label: string; model: string; inputShapes?: Record<string, number[]> }

const CASES: Case[] = [
  { label: "wav2letter 10×1×700", model: "wav2letter" },
  { label: "wav2letter 1×1×16000", model: "wav2letter", inputShapes: { input: [1, 1, 16000] } },
  { label: "silero-vad (v5)", model: "silero-vad" },
  { label: "silero-vad-16k", model: "silero-vad-16k" },
  { label: "yolo11n 320", model: "yolo11n", inputShapes: { images: [1, 3, 320, 320] } },
];

const TARGETS = (process.env.BENCH_TARGETS ?? "cortex-m55,cortex-m4,cortex-m3").split(",");

function layoutStats(g: Graph) {
  const plan = planGraph(g);
  const t = trafficOf(g, plan);
  return {
    nodes: g.nodes.length,
    layoutOps: g.nodes.filter((n) => isLayoutOp(n.op)).length,
    layoutBytes: t.layoutBytes,
    layoutBytesBetweenConvs: t.layoutBytesBetweenConvs,
    arenaBytes: plan.arenaBytes,
    lowerBoundBytes: plan.lowerBoundBytes,
    weightsBytes: plan.weightsBytes,
    algorithms: plan.algorithms.map((a) => `${a.name} ${a.arenaBytes}`).join(", "),
  };
}

/** Time to generate the C project in memory (files are not written). */
function emitMs(final: Graph, plan: ReturnType<typeof planGraph>, target: string): number {
  const t0 = performance.now();
  emitProject({ final, plan, options: lowerOptions(target) }, { name: "model", target });
  return performance.now() - t0;
}

/** Wrap a calibration source to time the float runs it drives (the time between a yield and the next call). */
function timedSource(src: FeedSource): { source: FeedSource; calibMs: () => number } {
  let ms = 0;
  const source: FeedSource = {
    description: src.description,
    runs: src.runs,
    *feeds(g) {
      const it = src.feeds(g);
      let r = it.next();
      while (!r.done) {
        const t0 = performance.now();
        const outs = yield r.value;
        ms += performance.now() - t0;
        r = it.next(outs);
      }
    },
  };
  return { source, calibMs: () => ms };
}

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: Record<string, unknown>[] = [];
for (const c of CASES) {
  for (const target of TARGETS) {
    // Compile time: import → quantize → lower → plan → C, calibration (the float runs) excluded; median of REPEATS.
    const runs: { importMs: number; quantizeMs: number; lowerPlanMs: number; emitMs: number; total: number }[] = [];
    let last: { lowered: Graph; final: Graph } | null = null;
    for (let rep = 0; rep < REPEATS; rep++) {
      const t0 = performance.now();
      const { graph } = loadModel(c.model, { inputShapes: c.inputShapes ?? {} });
      const tImport = performance.now() - t0;
      const timed = timedSource(randomSource(1, { seed: 1 }));
      const tq0 = performance.now();
      const q = quantizeGraph(graph, timed.source, { sqnr: false, progress: false });
      const tQuant = performance.now() - tq0 - timed.calibMs();
      const tl0 = performance.now();
      const { lowered, final } = lowerGraph(q.graph, lowerOptions(target));
      const plan = planGraph(final);
      const tLower = performance.now() - tl0;
      const tEmit = emitMs(final, plan, target);
      runs.push({ importMs: tImport, quantizeMs: tQuant, lowerPlanMs: tLower, emitMs: tEmit, total: tImport + tQuant + tLower + tEmit });
      last = { lowered, final };
    }
    const before = layoutStats(last!.lowered);
    const after = layoutStats(last!.final);
    const best = runs.find((r) => r.total === median(runs.map((x) => x.total)))!;
    rows.push({
      model: c.label, target,
      nodesBefore: before.nodes, nodesAfter: after.nodes,
      layoutOpsBefore: before.layoutOps, layoutOpsAfter: after.layoutOps,
      layoutBytesBefore: before.layoutBytes, layoutBytesAfter: after.layoutBytes,
      layoutBetweenConvsBefore: before.layoutBytesBetweenConvs, layoutBetweenConvsAfter: after.layoutBytesBetweenConvs,
      arenaBytes: after.arenaBytes, lowerBoundBytes: after.lowerBoundBytes,
      ratio: +(after.arenaBytes / Math.max(1, after.lowerBoundBytes)).toFixed(4),
      weightsBytes: after.weightsBytes, algorithms: after.algorithms,
      compileMs: Math.round(best.total),
      compileParts: { importMs: Math.round(best.importMs), quantizeMs: Math.round(best.quantizeMs), lowerPlanMs: Math.round(best.lowerPlanMs), emitMs: Math.round(best.emitMs) },
      compileRunsMs: runs.map((r) => Math.round(r.total)),
    });
    process.stderr.write(`${c.label} ${target} done\n`);
  }
}

const head = ["model", "target", "nodes before→after", "layout ops before→after", "layout bytes before→after", "between convs before→after", "arena B", "lower bound B", "ratio", "weights B", "compile ms (median of 3)"];
const lines = [
  `| ${head.join(" | ")} |`,
  `|${head.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${r.model} | ${r.target} | ${r.nodesBefore}→${r.nodesAfter} | ${r.layoutOpsBefore}→${r.layoutOpsAfter} | ${r.layoutBytesBefore}→${r.layoutBytesAfter} | ${r.layoutBetweenConvsBefore}→${r.layoutBetweenConvsAfter} | ${r.arenaBytes} | ${r.lowerBoundBytes} | ${r.ratio} | ${r.weightsBytes} | ${r.compileMs} |`),
];
const machine = `${cpus().length}× ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
console.log(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine}\n`);
console.log(lines.join("\n"));
writeFileSync(new URL("./results.json", import.meta.url).pathname.replace("/dist/bench/", "/bench/"), JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2) + "\n");
