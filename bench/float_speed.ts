// Part of `npm run bench`: how long `cmsis-lower compile <model> -o <dir>` takes end to end with its
// default calibration (a child process per compile, wall clock, median of REPEATS), and the float
// interpreter's throughput on the float graph (convolution MACs per second of runFloat, with the
// wasm SIMD GEMM and with the TypeScript loops). Prints Markdown tables, writes bench/results-float.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import "../src/ops/index.js";
import type { Graph } from "../src/ir/graph.js";
import { runFloat } from "../src/interp/float.js";
import { randomFeeds } from "../src/io/feeds.js";
import { setWasmKernelsEnabled } from "../src/kernels/wasm/engine.js";
import { loadModel } from "../src/models/index.js";

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cli = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/**
 * Loaded before the CLI in the child: writes the process's own CPU time (user + system, ms) to
 * $BENCH_CPU_FILE at exit. On a shared machine the wall clock also counts other people's work.
 */
const CPU_PRELOAD = "data:text/javascript," + encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); " +
  "writeFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });");

/** Wall and CPU time of one CLI compile into a fresh directory (removed afterwards). */
function compileMs(model: string): { wall: number; cpu: number } {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-bench-"));
  try {
    const cpuFile = join(dir, "cpu");
    const t0 = performance.now();
    execFileSync(process.execPath, ["--import", CPU_PRELOAD, cli, "compile", model, "-o", join(dir, "out")], {
      stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, BENCH_CPU_FILE: cpuFile },
    });
    const wall = performance.now() - t0;
    return { wall, cpu: Number(readFileSync(cpuFile, "utf8")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Multiply-accumulates of the float graph's convolutions (the interpreter's heavy work). */
function floatConvMacs(g: Graph): number {
  let s = 0;
  for (const n of g.nodes) {
    if (n.op !== "aten.convolution" || n.attrs["transposed"] === true) continue;
    const w = n.input(1).shape;
    s += n.output.numel * w.slice(1).reduce((a, b) => a * b, 1);
  }
  return s;
}

function interpMs(g: Graph, wasm: boolean, runs: number): number {
  const feeds = randomFeeds(g, 1);
  const prev = setWasmKernelsEnabled(wasm);
  try {
    runFloat(g, feeds); // warm-up (JIT, wasm memory growth)
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      runFloat(g, feeds);
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    setWasmKernelsEnabled(prev);
  }
}

const loadBefore = loadavg()[0]!;
const compileRows = ["wav2letter", "silero-vad"].map((model) => {
  const times = Array.from({ length: REPEATS }, () => compileMs(model));
  process.stderr.write(`compile ${model}: wall ${times.map((t) => Math.round(t.wall)).join(", ")} ms, cpu ${times.map((t) => Math.round(t.cpu)).join(", ")} ms\n`);
  return {
    model, wallMs: Math.round(median(times.map((t) => t.wall))), cpuMs: Math.round(median(times.map((t) => t.cpu))),
    runsWallMs: times.map((t) => Math.round(t.wall)), runsCpuMs: times.map((t) => Math.round(t.cpu)),
  };
});
const loadAfter = loadavg()[0]!;

const INTERP_CASES: Array<{ label: string; model: string; inputShapes?: Record<string, number[]> }> = [
  { label: "wav2letter 10×1×700", model: "wav2letter" },
  { label: "yolo11n 320", model: "yolo11n", inputShapes: { images: [1, 3, 320, 320] } },
];
const interpRows = INTERP_CASES.map((c) => {
  const { graph } = loadModel(c.model, { inputShapes: c.inputShapes ?? {} });
  const macs = floatConvMacs(graph);
  const wasmMs = interpMs(graph, true, REPEATS);
  const tsMs = interpMs(graph, false, REPEATS);
  process.stderr.write(`interpreter ${c.label}: wasm ${wasmMs.toFixed(0)} ms, ts ${tsMs.toFixed(0)} ms\n`);
  return { model: c.label, convMacs: macs, wasmMs: +wasmMs.toFixed(1), tsMs: +tsMs.toFixed(1), wasmGMacPerS: +(macs / wasmMs / 1e6).toFixed(2), tsGMacPerS: +(macs / tsMs / 1e6).toFixed(2) };
});

const machine = `${cpus().length}× ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`;
console.log(`\nEnd-to-end compile (\`cmsis-lower compile <model> -o <dir>\`, default calibration, wall clock, median of ${REPEATS})\n`);
console.log("| model | compile wall ms | compile CPU ms (user+sys) |\n|---|---:|---:|");
for (const r of compileRows) console.log(`| ${r.model} | ${r.wallMs} | ${r.cpuMs} |`);
console.log(`\n1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (${cpus().length} cores): wall times above the CPU times are waiting for a core.`);
console.log(`\nFloat interpreter (runFloat on the float graph, median of ${REPEATS} after a warm-up; conv MACs only)\n`);
console.log("| model | conv MACs | wasm SIMD ms | TS loops ms | wasm GMAC/s | TS GMAC/s |\n|---|---:|---:|---:|---:|---:|");
for (const r of interpRows) console.log(`| ${r.model} | ${(r.convMacs / 1e6).toFixed(1)} M | ${r.wasmMs} | ${r.tsMs} | ${r.wasmGMacPerS} | ${r.tsGMacPerS} |`);
writeFileSync(new URL("./results-float.json", import.meta.url).pathname.replace("/dist/bench/", "/bench/"),
  JSON.stringify({ date: new Date().toISOString(), machine, loadavg: [loadBefore, loadAfter], compile: compileRows, interpreter: interpRows }, null, 2) + "\n");
