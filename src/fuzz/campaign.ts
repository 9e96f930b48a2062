// A fuzz campaign: a pool of long-lived worker processes (each takes many cases,
// and is replaced after a crash of the process, a hang or an out-of-memory),
// per-case time and memory limits, and a summary that is the same for the same
// seed whatever the number of workers (outcomes are kept by case index).
import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OUTCOME_KINDS, reproducerCommand, type Outcome, type OutcomeKind } from "./case.js";
import { fuzzCase } from "./mutate.js";
import { buildSeeds, type FuzzSeed } from "./seeds.js";
import type { CaseReply } from "./worker.js";

export interface CampaignOptions {
  cases: number;
  seed: number;
  jobs?: number;
  /** Per-case wall-clock limit (ms). */
  timeoutMs?: number;
  /** Per-worker memory limit (MB): the V8 heap limit and a resident-set limit polled from /proc. */
  maxMemoryMb?: number;
  /** Folder for crashing / hanging / out-of-memory inputs (created only when there is one). */
  outDir?: string;
  /** Every k-th case that compiles is also built for the host and compared with the simulator (0: none). */
  checkCEvery?: number;
  /** Replace a worker after this many cases (keeps memory growth of long runs bounded). */
  casesPerWorker?: number;
  onProgress?: (done: number, counts: Record<OutcomeKind, number>) => void;
}

export interface CaseResult {
  index: number;
  seedName: string;
  outcome: Outcome;
}

export interface CampaignResult {
  counts: Record<OutcomeKind, number>;
  /** Crashes, hangs, out-of-memory cases and C mismatches, by case index. */
  failures: CaseResult[];
  /** Distinct failure signatures with their count and first case. */
  signatures: { signature: string; count: number; first: CaseResult; file?: string }[];
  seconds: number;
}

export const DEFAULTS = { jobs: 2, timeoutMs: 30_000, maxMemoryMb: 1536, casesPerWorker: 400 };

const WORKER = fileURLToPath(new URL("./worker.js", import.meta.url));

/** Resident set of a process in MB (Linux /proc; 0 where unavailable). */
function rssMb(pid: number): number {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]);
    return (pages * 4096) / (1 << 20);
  } catch {
    return 0;
  }
}

function failureSignature(r: CaseResult): string {
  if (r.outcome.signature) return r.outcome.signature;
  return `${r.outcome.kind}: ${r.outcome.message ?? ""} (seed ${r.seedName})`;
}

interface Slot {
  child: ChildProcess | null;
  index: number | null;
  done: number;
  timer: NodeJS.Timeout | null;
  stderr: string;
  killedFor: "hang" | "oom" | "retire" | null;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const jobs = Math.max(1, o.jobs ?? DEFAULTS.jobs);
  const timeoutMs = o.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxMb = o.maxMemoryMb ?? DEFAULTS.maxMemoryMb;
  const perWorker = o.casesPerWorker ?? DEFAULTS.casesPerWorker;
  const start = Date.now();
  const seeds = buildSeeds();
  const seedsDir = mkdtempSync(join(tmpdir(), "cmsis-lower-fuzz-seeds-"));
  writeFileSync(join(seedsDir, "seeds.json"), JSON.stringify(seeds.map((s) => ({ name: s.name, weight: s.weight }))));
  for (const s of seeds) writeFileSync(join(seedsDir, `${s.name}.onnx`), s.bytes);

  const results = new Map<number, CaseResult>();
  const counts = Object.fromEntries(OUTCOME_KINDS.map((k) => [k, 0])) as Record<OutcomeKind, number>;
  let next = 0;
  let resolveAll!: () => void;
  let rejectAll!: (e: Error) => void;
  const finished = new Promise<void>((res, rej) => {
    resolveAll = res;
    rejectAll = rej;
  });

  const files = new Map<number, string>();
  const record = (r: CaseResult): void => {
    results.set(r.index, r);
    // Saved at once, so that a long campaign stopped early keeps what it found.
    if (o.outDir && r.outcome.kind !== "ok" && r.outcome.kind !== "error") files.set(r.index, writeFailure(o.outDir, seeds, o.seed, r));
    counts[r.outcome.kind]++;
    o.onProgress?.(results.size, counts);
    if (results.size === o.cases) resolveAll();
  };

  const slots: Slot[] = Array.from({ length: jobs }, () => ({ child: null, index: null, done: 0, timer: null, stderr: "", killedFor: null }));

  const dispatch = (slot: Slot): void => {
    if (next >= o.cases) {
      slot.child?.disconnect();
      return;
    }
    if (!slot.child || slot.done >= perWorker) {
      if (slot.child) {
        slot.killedFor = "retire";
        slot.child.disconnect();
      }
      spawn(slot);
      return; // the worker's "ready" message dispatches again: loading it is not part of any case's time
    }
    const index = next++;
    slot.index = index;
    slot.timer = setTimeout(() => kill(slot, "hang"), timeoutMs);
    const checkC = (o.checkCEvery ?? 0) > 0 && index % o.checkCEvery! === 0;
    slot.child!.send({ index, checkC });
  };

  const kill = (slot: Slot, why: "hang" | "oom"): void => {
    if (slot.index === null || !slot.child) return;
    slot.killedFor = why;
    slot.child.kill("SIGKILL");
  };

  const settle = (slot: Slot): void => {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.index = null;
    slot.done++;
  };

  const spawn = (slot: Slot): void => {
    const child = fork(WORKER, [seedsDir, String(o.seed)], {
      execArgv: [`--max-old-space-size=${maxMb}`],
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    slot.child = child;
    slot.done = 0;
    slot.stderr = "";
    slot.killedFor = null;
    let ready = false;
    child.stderr!.on("data", (d: Buffer) => (slot.stderr = (slot.stderr + d.toString()).slice(-4000)));
    const poll = setInterval(() => {
      if (slot.child === child && slot.index !== null && rssMb(child.pid!) > maxMb) kill(slot, "oom");
    }, 50);
    child.on("message", (m: CaseReply | "ready") => {
      if (m === "ready") {
        ready = true;
        if (slot.child === child) dispatch(slot);
        return;
      }
      if (slot.child !== child || slot.index !== m.index || slot.killedFor) return;
      settle(slot);
      record({ index: m.index, seedName: m.seedName, outcome: m.outcome });
      dispatch(slot);
    });
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      if (slot.child !== child) return; // a retired worker
      const index = slot.index;
      const why = slot.killedFor;
      slot.child = null;
      if (!ready) rejectAll(new Error(`fuzz worker failed to start (code ${code}, signal ${signal}): ${slot.stderr.trim().split("\n").slice(-3).join(" | ")}`));
      if (index === null) return;
      settle(slot);
      const seedName = fuzzCase(seeds, o.seed, index).seedName;
      let outcome: Outcome;
      if (why === "hang") outcome = { kind: "hang", message: `no answer within ${timeoutMs} ms` };
      else if (why === "oom" || /heap out of memory|Allocation failed/i.test(slot.stderr)) outcome = { kind: "oom", message: `over ${maxMb} MB` };
      else {
        const last = slot.stderr.trim().split("\n").slice(-1)[0] ?? "";
        const message = `worker died (code ${code}, signal ${signal}): ${last}`;
        outcome = { kind: "crash", message, signature: message.replace(/\d+/g, "N") };
      }
      record({ index, seedName, outcome });
      dispatch(slot);
    });
  };

  const stopWorkers = (): void => {
    for (const s of slots) {
      if (s.timer) clearTimeout(s.timer);
      if (s.child) {
        const c = s.child;
        s.child = null;
        c.kill("SIGKILL");
      }
    }
    rmSync(seedsDir, { recursive: true, force: true });
  };
  // Ctrl-C or a kill ends the workers and removes the seed folder before the exit.
  const onSignal = (sig: NodeJS.Signals): void => {
    stopWorkers();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (o.cases > 0) {
      for (const s of slots) dispatch(s);
      await finished;
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    stopWorkers();
  }

  const failures = [...results.values()].filter((r) => r.outcome.kind !== "ok" && r.outcome.kind !== "error").sort((a, b) => a.index - b.index);
  const bySig = new Map<string, CampaignResult["signatures"][number]>();
  for (const f of failures) {
    const sig = failureSignature(f);
    const e = bySig.get(sig);
    if (e) e.count++;
    else bySig.set(sig, { signature: sig, count: 1, first: f });
  }
  const signatures = [...bySig.values()];
  for (const sg of signatures) {
    const file = files.get(sg.first.index);
    if (file) sg.file = file;
  }
  return { counts, failures, signatures, seconds: (Date.now() - start) / 1000 };
}

/** A failing input as <kind>-<seed>-<index>.onnx with a .txt beside it: what happened and the commands that reproduce it. */
function writeFailure(dir: string, seeds: FuzzSeed[], seed: number, f: CaseResult): string {
  mkdirSync(dir, { recursive: true });
  const c = fuzzCase(seeds, seed, f.index);
  const file = join(dir, `${f.outcome.kind}-${seed}-${f.index}.onnx`);
  writeFileSync(file, c.bytes);
  writeFileSync(
    file.replace(/\.onnx$/, ".txt"),
    `${f.outcome.kind} in case ${f.index} of seed ${seed} (mutated ${c.seedName}): ${f.outcome.message ?? ""}\n` +
      `replay: node dist/src/fuzz/main.js --replay ${file}${f.outcome.kind === "mismatch" ? " --check-c 1" : ""}\n` +
      `cli:    ${reproducerCommand(file, f.outcome.kind === "mismatch")}\n`,
  );
  return file;
}
