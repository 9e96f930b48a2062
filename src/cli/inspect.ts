import { Command, Option } from "commander";
import { printGraph } from "../ir/print.js";
import { buildStages, STAGES, type BuildOptions, type Stage, type StageReport } from "../driver/stages.js";
import { collect, guarded, parseBinds, parseInputShapes } from "./errors.js";
import { TARGETS } from "../lower/options.js";
import { integerIn } from "./options.js";
import { addReportOptions, reportRequest, writeReport } from "./report.js";
import { cliNotice, cliProgress } from "./feedback.js";
import { emitProject } from "../emit/project.js";
import { tableLines } from "../io/text_table.js";
import { inputDataShapes } from "./data_shapes.js";
import { PRECISIONS } from "../quantize/precision.js";

export function addModelOptions(cmd: Command): Command {
  return cmd
    .option("--input-shape <[name=]shape>", "override an input's shape, e.g. input=1x1x16000 (repeatable)", collect)
    .option("--bind <name=value>", "bind a graph input to a constant, e.g. sr=16000 (repeatable)", collect);
}

export function addCompileOptions(cmd: Command): Command {
  return addModelOptions(cmd)
    .addOption(new Option("--target <cpu>", "Cortex-M CPU: decides kernels and scratch sizes").choices([...TARGETS]).default("cortex-m55"))
    .option("--calib <path...>", "calibration inputs: .wav / .npy files or directories of them")
    .option("--calib-random <n>", "calibrate on N seeded random inputs, 1 to 100000 (default 8 when no --calib)", integerIn(1, 100_000))
    .addOption(new Option("--observer <kind>", "activation range observer: histogram (minimises quantization error) or minmax").choices(["histogram", "minmax"]).default("histogram"))
    .addOption(new Option("--io-layout <layout>", "layout of model inputs/outputs").choices(["nchw", "nhwc"]).default("nchw"))
    .addOption(new Option("--precision <precision>", "activation precision: int8, int16 (16x8) or auto (measured per group on the calibration data)").choices([...PRECISIONS]).default("int8"))
    .option("--int16 <node...>", "make these nodes' activations int16 (names as 'inspect' prints them)")
    .option("--keep-float <node...>", "keep these nodes float")
    .option("--budget-ram <percent>", "auto: most RAM growth over the int8 build, percent (default 25)", integerIn(0, 10_000))
    .option("--budget-instructions <percent>", "auto: most instruction growth over the int8 build, percent (default 25)", integerIn(0, 10_000))
    .option("--budget-weights <percent>", "auto: most weights (flash) growth over the int8 build, percent (default 25; a float layer keeps 4-byte weights)", integerIn(0, 10_000))
    .option("--integer-only", "lower every op to an integer kernel, for cores without an FPU (<name>_run then computes no float; only <name>_run_float converts at the ports). An op that cannot be integer fails the build: exit 1, one line naming the node")
    .option("--integer-lstm", "run LSTMs on CMSIS-NN's integer kernel (s8, or s16 with int16 activations) also without --integer-only");
}

/** The build options every compiling command reads from the flags addCompileOptions declares. */
export function compileFlags(o: Record<string, any>): Omit<BuildOptions, "stage"> {
  return {
    inputShapes: parseInputShapes(o.inputShape),
    dataShapes: inputDataShapes(o.input, o.calib),
    bind: parseBinds(o.bind),
    target: o.target,
    calib: o.calib,
    calibRandom: o.calibRandom,
    observer: o.observer,
    ioLayout: o.ioLayout,
    ...(o.integerOnly ? { integerOnly: true } : {}),
    ...(o.integerLstm ? { integerLstm: true } : {}),
    notice: cliNotice(),
    precision: o.precision,
    ...(o.int16 ? { int16Nodes: o.int16 } : {}),
    ...(o.keepFloat ? { keepFloatNodes: o.keepFloat } : {}),
    ...(o.budgetRam !== undefined ? { budgetRam: o.budgetRam } : {}),
    ...(o.budgetInstructions !== undefined ? { budgetInstructions: o.budgetInstructions } : {}),
    ...(o.budgetWeights !== undefined ? { budgetWeights: o.budgetWeights } : {}),
  };
}

export function registerInspectCommand(program: Command): void {
  const cmd = program
    .command("inspect")
    .description("import a model and show its graph, op counts and, for later stages, quantization, lowering and memory")
    .argument("<model>", "an .onnx file or a built-in model name")
    .addOption(new Option("--stage <stage>", "how far to compile").choices([...STAGES]).default("import"))
    .option("--json", "print a JSON report instead of text")
    .option("--graph", "print the graph listing of the last stage (text mode)");
  addCompileOptions(cmd);
  addReportOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      const report = reportRequest(o);
      // A report is about the whole compile unless a stage was asked for.
      const stage = (report && cmd.getOptionValueSource("stage") === "default" ? "final" : o.stage) as Stage;
      const stages = await buildStages(model, { ...compileFlags(o), stage, progress: cliProgress() });
      if (report) {
        const target = stages.options?.target ?? o.target;
        // The C each step becomes names its kernel in the table; nothing is written.
        const steps = stages.final && stages.plan ? emitProject(stages, { target, source: model }).steps : undefined;
        writeReport(report, stages, { model, target, ...(steps ? { steps } : {}), ...(stages.calibration ? { calibration: stages.calibration } : {}) });
      }
      if (o.json) {
        process.stdout.write(JSON.stringify({ model, target: o.target, stages: stages.json }, null, 2) + "\n");
        return;
      }
      for (const [name, rep] of Object.entries(stages.json)) process.stdout.write(formatStage(name, rep));
      if (o.graph || o.stage === "import") process.stdout.write("\n" + printGraph(stages.last) + "\n");
    }),
  );
}

function table(rows: string[][]): string {
  return tableLines(rows, { indent: "  " }).join("\n") + "\n";
}

function formatStage(name: string, rep: StageReport): string {
  let s = `\n== stage ${name}: ${rep.nodes} nodes\n`;
  s += table([["op", "count"], ...Object.entries(rep.ops).map(([k, v]) => [k, String(v)])]);
  if (rep.layers?.length) {
    s += "\n  per-layer quantization (fake-quant vs float):\n";
    s += table([["layer", "op", "output qparams", "SQNR dB", "precision", "why", "weight scales"],
      ...rep.layers.map((l) => [l.name, l.op, l.qparams, l.sqnrDb === null ? "-" : l.sqnrDb.toFixed(1), l.precision, l.reason, l.weights ?? "-"])]);
  }
  if (rep.auto) {
    const a = rep.auto;
    const cost = (k: "ramBytes" | "instructions" | "weightBytes", what: string, unit: string): string =>
      `${what} ${a.chosen[k]}${unit} / int8 ${a.int8[k]}${unit} (budget ${Math.floor(a.budget[k])}${unit})`;
    s += `\n  --precision auto (costs estimated for ${a.costTarget} cores from measured instruction counts):\n`;
    s += `  output SNR: int8 ${a.int8ErrorDb} dB, every candidate int16 ${a.floorErrorDb} dB, chosen ${a.chosenErrorDb} dB\n`;
    s += `  ${cost("ramBytes", "RAM", " B")}, ${cost("instructions", "instructions", "")}, ${cost("weightBytes", "weights", " B")}\n`;
    const db = (x: number | null): string => (x === null ? "-" : x.toFixed(1));
    s += table([["step (group, in order of damage)", "as", "int8 here dB", "SNR dB", "float instead dB", "taken"],
      ...a.steps.map((st) => [st.group, st.mode, db(st.damageDb), db(st.errorDb), db(st.floatErrorDb), st.taken ? "yes" : "no"])]);
  }
  if (rep.convs?.length) {
    s += "\n  convolutions:\n";
    s += table([["conv", "op", "layout", "kernel", "scratch B", "why"], ...rep.convs.map((c) => [c.name, c.op.replace("cortex_m.", ""), c.layout, c.kernel, String(c.scratchBytes), c.reason])]);
  }
  if (rep.float?.length) {
    s += "\n  stays float:\n";
    s += table([["node", "op", "reason"], ...rep.float.map((f) => [f.name, f.op, f.reason])]);
  }
  if (rep.memory) {
    const m = rep.memory;
    s += `\n  memory: arena ${m.arenaBytes} B, lower bound ${m.lowerBoundBytes} B (ratio ${(m.arenaBytes / Math.max(1, m.lowerBoundBytes)).toFixed(3)}), weights ${m.weightsBytes} B, scratch ${m.scratchBytes} B\n`;
  }
  if (rep.traffic) {
    const t = rep.traffic;
    s += `  traffic per inference: ${t.totalBytes} B, layout ops ${t.layoutBytes} B, layout between convs ${t.layoutBytesBetweenConvs} B\n`;
  }
  return s;
}
