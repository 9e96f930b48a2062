// npm run bench:target — instructions per inference on the emulated Cortex-M
// boards (QEMU -icount, board counter), each model compiled with --target of
// that core, linked with the real CMSIS-NN (../shared/third_party/CMSIS-NN, or
// CMSIS_NN=dir) and with the bundled portable subset, through the profiler: the
// total, the layout + data_movement + quantize share, the arena. Prints the
// Markdown table, writes bench/results-target.json and puts the table into
// README.md between its bench:target markers (all models; `npm run
// bench:target -- <model>…` measures only those and writes nothing).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildStages } from "../src/driver/stages.js";
import { boardOfCpu, profileC, type ProfileReport } from "../src/driver/profile.js";
import { cmsisNnSnapshot } from "../src/emit/library.js";
import { randomFeeds } from "../src/io/feeds.js";
import { boardInfo, type BoardName } from "../src/targets/boards.js";
import { repoRoot } from "../src/targets/toolchain.js";

interface Case {
  label: string;
  model: string;
  inputShapes?: Record<string, number[]>;
}

const CASES: Case[] = [
  { label: "silero-vad (one frame)", model: "silero-vad" },
  { label: "silero-vad-16k (one frame)", model: "silero-vad-16k" },
  { label: "wav2letter (1,1,700)", model: "wav2letter", inputShapes: { input: [1, 1, 700] } },
  { label: "yolo11n 96×96", model: "yolo11n", inputShapes: { images: [1, 3, 96, 96] } },
];
const CORES = ["cortex-m55", "cortex-m4", "cortex-m3"];

interface Row {
  label: string;
  model: string;
  target: string;
  board: BoardName;
  real: Summary;
  portable: Summary;
}

interface Summary {
  instructions: number;
  /** layout + data_movement + quantize, as a fraction of the total. */
  movementShare: number;
  shares: ProfileReport["shares"];
  arenaBytes: number;
}

const summary = (r: ProfileReport): Summary => ({
  instructions: r.total,
  movementShare: r.shares.layout + r.shares.data_movement + r.shares.quantize,
  shares: r.shares,
  arenaBytes: r.arenaBytes,
});

const here = path.dirname(fileURLToPath(import.meta.url));
const nn = path.resolve(process.env.CMSIS_NN ?? path.join(repoRoot(), "..", "shared", "third_party", "CMSIS-NN"));
if (!fs.existsSync(path.join(nn, "Include", "arm_nnfunctions.h"))) {
  process.stderr.write(`cmsis-lower: bench:target: no CMSIS-NN checkout at ${nn} (set CMSIS_NN=dir)\n`);
  process.exit(1);
}

// `npm run bench:target -- silero-vad` measures only the models named.
const only = process.argv.slice(2);
const rows: Row[] = [];
for (const c of CASES.filter((x) => only.length === 0 || only.includes(x.model))) {
  for (const target of CORES) {
    const stages = await buildStages(c.model, { stage: "final", target, ...(c.inputShapes ? { inputShapes: c.inputShapes } : {}) });
    const feeds = randomFeeds(stages.final!, 1);
    // A stream starts from a zero state (the first frame of a clip).
    for (const s of stages.model.builtin?.stream?.state ?? []) feeds[s.input]!.data.fill(0);
    const o = { model: c.model, target, feeds, name: "model" };
    const real = await profileC(stages, { ...o, cmsisNn: nn });
    const portable = await profileC(stages, o);
    const row: Row = { label: c.label, model: c.model, target, board: real.board, real: summary(real), portable: summary(portable) };
    rows.push(row);
    process.stderr.write(`${c.label} ${target}: real ${row.real.instructions}, portable ${row.portable.instructions}\n`);
  }
}

const n = (x: number): string => x.toLocaleString("en-US");
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const lines = [
  "| model | core (board) | real CMSIS-NN instructions | portable subset instructions | layout+data_movement+quantize (real) | arena B |",
  "|---|---|---:|---:|---:|---:|",
  ...rows.map((r) => `| ${r.label} | ${r.target.replace("cortex-", "").toUpperCase()} (${r.board}) | ${n(r.real.instructions)} | ${n(r.portable.instructions)} | ${pct(r.real.movementShare)} | ${n(r.real.arenaBytes)} |`),
];
process.stdout.write(lines.join("\n") + "\n");
const snap = cmsisNnSnapshot();
const out = {
  date: new Date().toISOString(),
  cmsisNn: { dir: nn, generatedFor: snap },
  qemu: "QEMU -icount shift=0 instructions per inference, board counter (" +
    CORES.map((t) => `${t}: ${boardInfo(boardOfCpu(t)).instructionsPerTick} per tick`).join(", ") + ")",
  rows,
};
if (only.length === 0) {
  fs.writeFileSync(path.join(here, "..", "..", "bench", "results-target.json"), JSON.stringify(out, null, 2) + "\n");
  // The README's table sits between these markers.
  const readme = path.join(here, "..", "..", "README.md");
  const text = fs.readFileSync(readme, "utf8");
  const m = /(<!-- bench:target -->\n)[\s\S]*?(\n<!-- \/bench:target -->)/.exec(text);
  if (m) fs.writeFileSync(readme, text.replace(m[0], `${m[1]}${lines.join("\n")}${m[2]}`));
  else process.stderr.write("cmsis-lower: bench:target: README.md has no <!-- bench:target --> markers; table not written\n");
}
