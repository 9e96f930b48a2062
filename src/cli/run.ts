import { Command, Option } from "commander";
import { UserError } from "../ir/errors.js";
import { fmtShape } from "../ir/tensor.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { atomicWriteNpyFiles, loadFeedsPartial, parseInputSpec, randomFeeds } from "../io/feeds.js";
import { loadModel } from "../models/index.js";
import { buildStages } from "../driver/stages.js";
import { runInt8 } from "../driver/int8.js";
import { collect, guarded, parseBinds, parseInputShapes } from "./errors.js";
import { addCompileOptions, compileFlags } from "./inspect.js";
import { checkOutputDir } from "../io/output_path.js";
import { parseSeed } from "./options.js";

function summary(name: string, t: Tensor): string {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (const v of t.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    sum += v;
  }
  return `${name}: ${t.dtype}${fmtShape(t.shape)} min ${lo.toPrecision(5)} max ${hi.toPrecision(5)} mean ${(sum / Math.max(1, t.data.length)).toPrecision(5)}`;
}

export function registerRunCommand(program: Command): void {
  const cmd = program
    .command("run")
    .description("run a model on the host: the float reference interpreter or the bit-exact int8 simulator")
    .argument("<model>", "an .onnx file or a built-in model name")
    .option("--input <name=file>", "a graph input from a .npy or 16-bit PCM .wav file (repeatable); missing inputs get seeded random data", collect)
    .option("--seed <n>", "seed for random inputs (0 to 4294967295)", parseSeed, 0)
    .addOption(new Option("--engine <engine>", "float reference or the int8 CMSIS-NN simulator").choices(["float", "int8"]).default("float"))
    .option("--out <dir>", "write one <output-name>.npy per model output here");
  addCompileOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      if (o.out) checkOutputDir(o.out);
      const inputShapes = parseInputShapes(o.inputShape);
      const bind = parseBinds(o.bind);
      const loaded = loadModel(model, { inputShapes, bind });
      const g = loaded.graph;
      const rate = loaded.builtin?.stream?.sampleRate;
      const feeds = { ...randomFeeds(g, o.seed), ...loadFeedsPartial(g, (o.input ?? []).map(parseInputSpec), rate ? { expectRate: rate } : {}) };
      let outputs: Record<string, Tensor>;
      if (o.engine === "float") {
        outputs = runFloat(g, feeds);
      } else {
        const stages = await buildStages(model, {
          ...compileFlags(o), stage: "final",
        });
        outputs = await runInt8(stages, feeds);
      }
      if (Object.keys(outputs).length === 0) throw new UserError(`${model}: the model has no outputs`);
      for (const [name, t] of Object.entries(outputs)) process.stdout.write(summary(name, t) + "\n");
      if (o.out) {
        const files = await atomicWriteNpyFiles(o.out, outputs);
        process.stdout.write(`wrote ${files.join(", ")}\n`);
      }
    }),
  );
}
