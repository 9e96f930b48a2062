// npm run bench:runtime — the int8 TS runtime against onnxruntime-node (one
// thread) on the same models, ORT running the QDQ export of the quantized
// graph. Per model: median time per inference after warm-up, MAC/s of the
// lowered convs/linears, the ratio, and the runtime's hottest nodes.
// Prints a Markdown table and writes bench/results-runtime.json.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ort from "onnxruntime-node";
import { buildStages } from "../src/driver/stages.js";
import { exportOnnx } from "../src/export/onnx.js";
import type { Graph, Node } from "../src/ir/graph.js";
import type { Tensor } from "../src/ir/tensor.js";
import { randomFeeds } from "../src/io/feeds.js";
import { createProgram } from "../src/runtime/program.js";
import { countMacs } from "../src/ops/cortex_m/macs.js";

interface Case {
  label: string;
  model: string;
  inputShapes?: Record<string, number[]>;
}

const CASES: Case[] = [
  { label: "Wav2Letter (10,1,700)", model: "wav2letter", inputShapes: { input: [10, 1, 700] } },
  { label: "Wav2Letter (1,1,16000)", model: "wav2letter", inputShapes: { input: [1, 1, 16000] } },
  { label: "Silero VAD v5, 512-sample frame", model: "silero-vad" },
  { label: "YOLO11n 320x320", model: "yolo11n", inputShapes: { images: [1, 3, 320, 320] } },
];

interface Result {
  label: string;
  model: string;
  macs: number;
  int8Ms: number;
  ortMs: number | null;
  ratio: number | null;
  int8MacPerS: number;
  ortMacPerS: number | null;
  runs: { int8: number; ort: number };
  hotspots: { node: string; op: string; kernel: string; ms: number; share: number }[];
  error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Time `fn` after warm-up: at least `minRuns` runs and about `budgetMs` of work, at most 200 runs. */
async function timeRuns(fn: () => unknown, warmup: number, minRuns: number, budgetMs: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start < budgetMs && times.length < 200)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return times;
}

function ortFeeds(feeds: Record<string, Tensor>): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) {
    if (t.dtype === "i64") out[k] = new ort.Tensor("int64", BigInt64Array.from(Array.from(t.data, (x) => BigInt(x))), t.shape);
    else out[k] = new ort.Tensor("float32", Float32Array.from(t.data), t.shape);
  }
  return out;
}

function hotspots(g: Graph, times: Map<Node, number>, runs: number): Result["hotspots"] {
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([n, t]) => ({
      node: n.name, op: n.op, kernel: String(n.attrs.kernel ?? ""), ms: t / runs, share: total > 0 ? t / total : 0,
    }));
}

async function runCase(c: Case): Promise<Result> {
  const t0 = performance.now();
  const stages = await buildStages(c.model, { stage: "final", calibRandom: 2, ...(c.inputShapes ? { inputShapes: c.inputShapes } : {}) });
  const g = stages.final!;
  process.stderr.write(`${c.label}: built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const feeds = randomFeeds(g, 1);
  const program = createProgram(g, stages.plan!);
  const macs = countMacs(g);
  const int8Times = await timeRuns(() => program.run(feeds), 3, 5, 3000);
  const int8Ms = median(int8Times);
  const prof = new Map<Node, number>();
  const profRuns = Math.max(1, Math.min(5, int8Times.length));
  for (let i = 0; i < profRuns; i++) {
    program.setInputs(feeds);
    program.runProfiled(prof);
  }
  const res: Result = {
    label: c.label, model: c.model, macs, int8Ms, ortMs: null, ratio: null, int8MacPerS: macs / (int8Ms / 1000), ortMacPerS: null,
    runs: { int8: int8Times.length, ort: 0 }, hotspots: hotspots(g, prof, profRuns),
  };
  try {
    const bytes = exportOnnx(stages.quantized!.graph);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: "all" });
    const of = ortFeeds(feeds);
    const ortTimes = await timeRuns(() => session.run(of), 3, 5, 3000);
    await session.release();
    res.ortMs = median(ortTimes);
    res.ortMacPerS = macs / (res.ortMs / 1000);
    res.ratio = int8Ms / res.ortMs;
    res.runs.ort = ortTimes.length;
  } catch (e) {
    res.error = `onnxruntime: ${(e as Error).message.split("\n")[0]}`;
  }
  return res;
}

function fmtRate(x: number | null): string {
  return x === null ? "-" : `${(x / 1e9).toFixed(2)} G`;
}

function table(results: Result[]): string {
  const rows = [
    "| model | MACs | int8 TS runtime | ORT 1 thread (QDQ) | int8 / ORT | int8 MAC/s | ORT MAC/s |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    rows.push(
      `| ${r.label} | ${(r.macs / 1e6).toFixed(1)} M | ${r.int8Ms.toFixed(2)} ms | ${r.ortMs === null ? "-" : `${r.ortMs.toFixed(2)} ms`} | ` +
        `${r.ratio === null ? "-" : `${r.ratio.toFixed(2)}×`} | ${fmtRate(r.int8MacPerS)} | ${fmtRate(r.ortMacPerS)} |`,
    );
  }
  return rows.join("\n");
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const cases = only.length ? CASES.filter((c) => only.some((o) => c.model === o || c.label.includes(o))) : CASES;
  const results: Result[] = [];
  for (const c of cases) {
    try {
      results.push(await runCase(c));
    } catch (e) {
      process.stderr.write(`${c.label}: failed: ${(e as Error).message}\n`);
      results.push({
        label: c.label, model: c.model, macs: 0, int8Ms: NaN, ortMs: null, ratio: null, int8MacPerS: NaN, ortMacPerS: null,
        runs: { int8: 0, ort: 0 }, hotspots: [], error: (e as Error).message.split("\n")[0]!,
      });
    }
  }
  process.stdout.write(table(results) + "\n\n");
  for (const r of results) {
    if (r.error) process.stdout.write(`- ${r.label}: ${r.error}\n`);
    if (r.hotspots.length) {
      process.stdout.write(`- ${r.label} hottest nodes: ${r.hotspots.map((h) => `${h.node} (${h.kernel || h.op}) ${h.ms.toFixed(2)} ms ${(100 * h.share).toFixed(0)}%`).join("; ")}\n`);
    }
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/bench/runtime.js → <repo>/bench/results-runtime.json
  const out = path.resolve(here, "..", "..", "bench", "results-runtime.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const meta = { node: process.version, platform: `${process.platform}-${process.arch}`, date: new Date().toISOString(), ort: "onnxruntime-node, intraOpNumThreads 1, interOpNumThreads 1" };
  fs.writeFileSync(out, JSON.stringify({ meta, results }, null, 2) + "\n");
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), out)}\n`);
}

await main();
