#!/usr/bin/env node
// `npm run fuzz -- --cases N --seed S [--out dir] [--jobs J] [--timeout ms] [--max-memory MB]`:
// a mutation campaign over the seed models; exits 1 if any case crashed, hung
// or ran out of memory. `--replay file.onnx` runs one saved case in this
// process and shows the full stack of a crash.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { OUTCOME_KINDS, runPipeline, classify, hostCMismatch, reproducerCommand } from "./case.js";
import { DEFAULTS, runCampaign } from "./campaign.js";

function intOption(min: number) {
  return (text: string): number => {
    const v = Number(text);
    if (!/^\s*-?\d+\s*$/.test(text) || !Number.isSafeInteger(v) || v < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return v;
  };
}

async function replay(file: string, checkC: boolean): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    process.stderr.write(`cmsis-lower fuzz: ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? "error"})\n`);
    process.exitCode = 1;
    return;
  }
  try {
    const stages = runPipeline(bytes, basename(file).replace(/\.onnx$/i, ""));
    const diff = checkC ? await hostCMismatch(stages) : null;
    if (diff !== null) {
      process.stdout.write(`mismatch: host C differs from the simulator: ${diff}\n`);
      process.exitCode = 1;
    } else process.stdout.write(`ok: ${file} compiles${checkC ? " and its host C matches the simulator" : ""}\n`);
  } catch (e) {
    const o = classify(e);
    process.stdout.write(`${o.kind}: ${o.message}\n`);
    if (o.kind !== "error") {
      process.stdout.write(`${o.stack ?? ""}\n`);
      process.exitCode = 1;
    }
  }
}

const program = new Command()
  .name("fuzz")
  .description("mutate the seed ONNX models and run each case through import → float run → quantize → lower → plan → emit in worker processes")
  .option("--cases <n>", "number of cases", intOption(0), 1000)
  .option("--seed <s>", "campaign seed (the same seed gives the same cases)", intOption(0), 1)
  .option("--out <dir>", "folder for crashing, hanging and out-of-memory inputs", "fuzz-failures")
  .option("--jobs <j>", "worker processes", intOption(1), DEFAULTS.jobs)
  .option("--timeout <ms>", "time limit per case", intOption(1), DEFAULTS.timeoutMs)
  .option("--max-memory <mb>", "memory limit per worker (V8 heap and resident set)", intOption(64), DEFAULTS.maxMemoryMb)
  .option("--check-c <k>", "also build every k-th case for the host (gcc, ASan+UBSan) and compare its outputs with the simulator byte for byte", intOption(0), 0)
  .option("--replay <file>", "run one saved case in this process and print the outcome (with the stack of a crash)")
  .configureOutput({ outputError: (s, write) => write(s) })
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 1));
program.parse(process.argv);
const o = program.opts();

if (o.replay) {
  await replay(o.replay, o.checkC > 0);
} else {
  let shown = 0;
  const r = await runCampaign({
    cases: o.cases, seed: o.seed, jobs: o.jobs, checkCEvery: o.checkC, timeoutMs: o.timeout, maxMemoryMb: o.maxMemory, outDir: o.out,
    onProgress: (done, counts) => {
      if (done - shown < 1000 && done !== o.cases) return;
      shown = done;
      process.stdout.write(`${done}/${o.cases} ${OUTCOME_KINDS.map((k) => `${k} ${counts[k]}`).join(", ")}\n`);
    },
  });
  process.stdout.write(
    `seed ${o.seed}: ${o.cases} cases in ${r.seconds.toFixed(1)} s (${(o.cases / Math.max(r.seconds, 1e-3)).toFixed(1)} cases/s, ${o.jobs} workers)\n` +
      OUTCOME_KINDS.map((k) => `  ${k.padEnd(5)} ${r.counts[k]}`).join("\n") + "\n",
  );
  if (r.signatures.length > 0) {
    process.stdout.write(`${r.signatures.length} distinct failure signatures:\n`);
    for (const s of r.signatures.sort((a, b) => b.count - a.count)) {
      process.stdout.write(`  ${String(s.count).padStart(5)}× ${s.signature}\n         e.g. ${s.file ? reproducerCommand(s.file, s.first.outcome.kind === "mismatch") : `case ${s.first.index}`}\n`);
    }
    process.exitCode = 1;
  }
}
