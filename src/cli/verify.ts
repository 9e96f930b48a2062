import { cliProgress } from "./feedback.js";
import type { Command } from "commander";
import { buildStages } from "../driver/stages.js";
import { ENGINES, formatVerify, verifyStages } from "../driver/verify.js";
import { checkCmsisNn, cTargetsOf, formatVerifyTable, verifyC, type CTarget } from "../driver/engines_c.js";
import { boardInfo } from "../targets/boards.js";
import { lowerOptions } from "../lower/options.js";
import { UserError } from "../ir/errors.js";
import { loadFeedsPartial, randomFeeds } from "../io/feeds.js";
import { parseInputSpec } from "../io/feeds.js";
import { collect, guarded } from "./errors.js";
import { addCompileOptions, compileFlags } from "./inspect.js";
import { numberIn, parseSeed } from "./options.js";
import { noDecisions, shortfalls, type Thresholds } from "./thresholds.js";

/**
 * `cmsis-lower verify <model>`: int8 program vs float model and vs the
 * fake-quant reference; for stream models (Silero VAD) also frame by frame
 * over a WAV. Engines are chosen by the driver's ENGINES table.
 */
export function registerVerifyCommand(program: Command): Command {
  const cmd = program
    .command("verify")
    .description("compare the int8 program with the float model and the fake-quant reference (and, for VAD models, frame decisions over audio)")
    .argument("<model>", "an .onnx file or a built-in model name")
    .option("--input <name=file>", "a graph input from a .npy or .wav file (repeatable); missing inputs get seeded random data", collect)
    .option("--seed <n>", "seed for random inputs (0 to 4294967295)", parseSeed, 0)
    .option("--wav <file>", "a WAV streamed frame by frame through stream models, converted to the model's rate and mono (default: synthesized audio)")
    .option("--engine <engines>", "comma-separated engines to check against the float model: int8 (TS simulator), int8-ref (plain reference kernels), host-c (generated C on the host, sanitized), qemu (generated C on emulated Cortex-M55/M4/M3)", "int8")
    .option("--cmsis-nn <dir>", "with host-c / qemu: link the generated C against this CMSIS-NN checkout (only the sources the model needs) instead of the bundled portable subset; each board gets the model compiled for its own CPU")
    .option("--layers", "also compare every int8 tensor with the fake-quant graph: free-running, and teacher-forced (each op fed the int8 program's own inputs), in quantization steps")
    .option("--min-sqnr <dB>", "exit 1 when the SQNR vs float of any output of any int8 engine is below <dB>", numberIn(-Infinity, Infinity))
    .option("--min-agreement <percent>", "stream models: exit 1 when any engine's frame decisions agree with float on fewer than <percent>% of frames", numberIn(0, 100))
    .option("--json", "print a JSON report");
  addCompileOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      const engines = String(o.engine ?? "int8").split(",").map((e) => e.trim()).filter(Boolean);
      if (engines.length === 0) throw new UserError(`--engine: '${o.engine}' selects no engine`);
      const cEngines = engines.filter((e) => e === "host-c" || e === "qemu" || e.startsWith("qemu-"));
      const tsEngines = engines.filter((e) => !cEngines.includes(e));
      for (const e of tsEngines) {
        if (!ENGINES.has(e)) throw new UserError(`--engine: unknown engine "${e}" (engines: ${[...ENGINES.keys()].join(", ")}, host-c, qemu, qemu-<board>)`);
      }
      const cTargets = cTargetsOf(cEngines);
      if (cEngines.length && cTargets.length === 0) throw new UserError(`--engine: unknown C engine in "${cEngines.join(",")}" (host-c, qemu, qemu-mps3-an547, qemu-mps2-an386, qemu-mps2-an385)`);
      if (o.cmsisNn !== undefined) {
        if (!cTargets.length) throw new UserError("--cmsis-nn: needs a C engine (--engine host-c,qemu)");
        checkCmsisNn(o.cmsisNn);
      }
      const thresholds: Thresholds = { minSqnr: o.minSqnr, minAgreement: o.minAgreement };
      if ((o.minSqnr !== undefined || o.minAgreement !== undefined) && tsEngines.length === 0) {
        throw new UserError(`--min-sqnr/--min-agreement: they check the figures of int8 engines; --engine ${o.engine} selects none`);
      }
      const vopts = {
        ...compileFlags(o),
        inputs: (o.input ?? []).map(parseInputSpec),
        seed: o.seed,
        wav: o.wav,
        layers: Boolean(o.layers),
      };
      const progress = cliProgress();
      const stages = await buildStages(model, { ...vopts, stage: "final", progress });
      if (!stages.model.builtin?.stream) {
        if (o.minAgreement !== undefined) throw new UserError(noDecisions(model));
        // Ignoring the audio would report figures that never saw it.
        if (o.wav) throw new UserError(`--wav ${o.wav}: ${model} is not a stream model; give its inputs with --input`);
      }
      const report = tsEngines.length || vopts.layers ? await verifyStages(model, stages, vopts, tsEngines) : null;
      let rows = null;
      if (cTargets.length) {
        // The same seeded feeds as the TS engines; the C output bytes are compared with the TS int8 runtime's.
        const feeds = { ...randomFeeds(stages.float, o.seed), ...loadFeedsPartial(stages.float, vopts.inputs) };
        rows = [];
        // The real library's kernels and scratch sizes depend on the CPU: each board's code is compiled
        // for its own core, the host's for a pure-C core (the library's path there; --target if it is
        // one, else cortex-m3). The portable subset runs one compile everywhere.
        const hostCpu = lowerOptions(o.target).targetClass === "scalar" ? o.target : "cortex-m3";
        const byCpu = new Map<string, CTarget[]>();
        for (const t of cTargets) {
          const cpu = o.cmsisNn === undefined ? o.target : t === "host" ? hostCpu : boardInfo(t).cpu;
          byCpu.set(cpu, [...(byCpu.get(cpu) ?? []), t]);
        }
        for (const [cpu, targets] of byCpu) {
          const s = cpu === o.target ? stages : await buildStages(model, { ...vopts, target: cpu, stage: "final", progress });
          rows.push(...(await verifyC(s, { targets, steps: [feeds], model: o.cmsisNn !== undefined ? `${model} (${cpu})` : model, cmsisNn: o.cmsisNn })));
        }
      }
      if (o.json) {
        const json = JSON.stringify({ ...(report ?? { model }), c: rows }, (_k, v) => (v === Infinity ? "inf" : v), 2);
        process.stdout.write(json + "\n");
      } else {
        if (report) process.stdout.write(formatVerify(report));
        if (rows) process.stdout.write(`\ngenerated C (${o.cmsisNn !== undefined ? `real CMSIS-NN ${o.cmsisNn}` : "portable CMSIS-NN subset"}) vs the TypeScript int8 runtime:\n` + formatVerifyTable(rows) + "\n");
      }
      if (rows?.some((r) => !r.skipped && !r.identical)) process.exitCode = 1;
      const short = shortfalls(report, thresholds);
      if (short.length) {
        process.stderr.write(`cmsis-lower: verify ${model}: below the thresholds: ${short.join("; ")}\n`);
        process.exitCode = 1;
      }
    }),
  );
  return cmd;
}
