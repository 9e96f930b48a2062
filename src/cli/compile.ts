import { Option, type Command } from "commander";
import { buildStages } from "../driver/stages.js";
import { checkName, MAX_NAME } from "../driver/compile.js";
import { checkProjectDir, emitProject, projectFiles, writeProjectInterruptibly } from "../emit/project.js";
import { guarded } from "./errors.js";
import { addCompileOptions, compileFlags } from "./inspect.js";
import { addReportOptions, reportRequest, writeReport } from "./report.js";
import { cliProgress, summaryLines } from "./feedback.js";

/**
 * `cmsis-lower compile <model> -o <dir>`: the generated C project — API
 * header, kernel calls over one static arena, weights, the kernel library
 * sources the model needs, Makefile / CMake and a README. With
 * --external-weights the large int8 tables go to <name>_weights.bin instead,
 * fetched per layer through an application callback.
 */
export function registerCompileCommand(program: Command): Command {
  const cmd = program
    .command("compile")
    .description("generate the C project of a model: <name>.h/.c, <name>_weights.c, the CMSIS-NN sources it needs, Makefile, CMakeLists.txt, README")
    .argument("<model>", "an .onnx file or a built-in model name")
    .requiredOption("-o, --out <dir>", "output directory (replaced if it holds an earlier compile)")
    .option("--name <name>", `C prefix and file name of the generated API (a C identifier of at most ${MAX_NAME} characters)`, "model")
    .option(
      "--external-weights",
      "keep the large int8 weight tables out of the image: they are written to <name>_weights.bin and each layer " +
        "fetches its own into a static staging buffer (sized for the largest layer) through " +
        "int <name>_read_weights(uint32_t offset, void *dst, uint32_t size), which the application supplies " +
        "(external flash, SD card, file; return 0 on success). Small constants stay compiled in. See the generated README",
    )
    .addOption(new Option(
      "--arena <where>",
      "static: one static arena in <name>.c; caller: the application supplies it (with the staging buffer and " +
        "temporaries) through <name>_init(&ctx, arena, size) and every run takes the ctx, so instances can run interleaved",
    ).choices(["static", "caller"]).default("static"));
  addCompileOptions(cmd);
  addReportOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      checkName(o.name);
      // Fail before the compile, not after it, on an -o that cannot be written.
      checkProjectDir(o.out);
      const report = reportRequest(o);
      const progress = cliProgress();
      const stages = await buildStages(model, { ...compileFlags(o), stage: "final", progress });
      const target: string = stages.options?.target ?? o.target;
      progress.begin("emitting C");
      let p;
      try {
        p = emitProject(stages, { name: o.name, target, source: model, externalWeights: o.externalWeights === true, arena: o.arena });
        await writeProjectInterruptibly(o.out, projectFiles(p));
      } finally {
        progress.end();
      }
      if (report) {
        writeReport(report, stages, { model, target, steps: p.steps, ...(stages.calibration ? { calibration: stages.calibration } : {}) });
      }
      const kib = (n: number): string => `${n} B (${(n / 1024).toFixed(1)} KiB)`;
      process.stdout.write(
        `wrote ${p.files.size + p.binaryFiles.size} files to ${o.out}\n` +
          `  API: ${p.prefix}.h (${p.callerArena ? `${p.prefix}_init, ` : ""}${p.prefix}_run, ${p.prefix}_run_float)\n` +
          `  arena: ${kib(p.arenaBytes)}${p.callerArena ? " (supplied by the caller)" : ""}; weights: ${kib(p.weightsBytes)}` +
          (p.staticBytes ? `; static buffers outside the arena: ${kib(p.staticBytes)}` : "") + "\n" +
          (p.stageBytes
            ? `  external weights: ${p.prefix}_weights.bin ${kib(p.externalWeightsBytes)}, staging buffer ${kib(p.stageBytes)}; ` +
              `supply ${p.prefix}_read_weights (see README.md)\n`
            : "") +
          `  kernels: ${p.nnFunctions.join(", ") || "none"}\n` +
          summaryLines(stages, target, report?.profile) +
          (report ? `  report: ${report.path}\n` : "") +
          `  build: make -C ${o.out}   (or make CMSIS_NN=/path/to/CMSIS-NN)\n`,
      );
    }),
  );
  return cmd;
}
