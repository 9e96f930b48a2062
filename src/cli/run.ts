import { cliProgress } from "./feedback.js";
import { Command, Option } from "commander";
import { UserError } from "../ir/errors.js";
import { fmtShape } from "../ir/tensor.js";
import type { Tensor } from "../ir/tensor.js";
import { atomicWriteNpyFiles, loadFeedsPartial, parseInputSpec, randomFeeds } from "../io/feeds.js";
import { stackFrames, writeFrames } from "../io/frames.js";
import { readWav } from "../io/wav.js";
import { makeRunner, streamRun, type Runner } from "../driver/run.js";
import { collect, guarded } from "./errors.js";
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

/** `run --wav`: the clip through a stream model frame by frame; a summary per output over all frames, files under --out. */
async function runWav(model: string, r: Runner, wav: string, out: string | undefined): Promise<void> {
  const s = r.loaded.builtin?.stream;
  // Checked before the audio is read, so a wrong model is named before any conversion note.
  if (!s) throw new UserError(`--wav ${wav}: ${model} is not a stream model; give its inputs with --input`);
  const res = await streamRun(r, wav, readWav(wav, { expectRate: s.sampleRate }).samples);
  const probs = res.frames.map((f) => f[s.probOutput]!.data[0]!);
  process.stdout.write(
    `streamed ${wav}: ${res.frames.length} frames of ${res.frame} samples at ${res.sampleRate} Hz, state carried; ` +
      `speech frames (${s.probOutput} > 0.5): ${probs.filter((p) => p > 0.5).length}\n`,
  );
  for (const [name, t] of Object.entries(stackFrames(res.frames))) process.stdout.write(summary(name, t) + "\n");
  if (out) {
    const files = await writeFrames(out, res.frames, res.frame, res.sampleRate);
    process.stdout.write(`wrote ${files.join(", ")} to ${out}\n`);
  }
}

export function registerRunCommand(program: Command): void {
  const cmd = program
    .command("run")
    .description("run a model on the host: the float reference interpreter or the bit-exact int8 simulator")
    .argument("<model>", "an .onnx file or a built-in model name")
    .option("--input <name=file>", "a graph input from a .npy or .wav file (repeatable; WAVs are converted to the model's rate, mono); missing inputs get seeded random data", collect)
    .option("--wav <file>", "stream models (silero-vad): run the audio frame by frame, carrying the state; with --out, writes frames.csv and one <output>.npy of shape [frames, ...] per output")
    .option("--seed <n>", "seed for random inputs (0 to 4294967295)", parseSeed, 0)
    .addOption(new Option("--engine <engine>", "float reference or the int8 CMSIS-NN simulator").choices(["float", "int8"]).default("float"))
    .option("--out <dir>", "write one <output-name>.npy per model output here");
  addCompileOptions(cmd);
  cmd.action((model: string, o) =>
    guarded(async () => {
      if (o.out) checkOutputDir(o.out);
      if (o.wav && o.input?.length) throw new UserError(`--wav ${o.wav}: the audio feeds the model frame by frame; --input cannot be given with it`);
      const r = await makeRunner(model, o.engine, { ...compileFlags(o), progress: cliProgress() });
      if (o.wav) return runWav(model, r, o.wav, o.out);
      const g = r.loaded.graph;
      const rate = r.loaded.builtin?.stream?.sampleRate;
      const feeds = { ...randomFeeds(g, o.seed), ...loadFeedsPartial(g, (o.input ?? []).map(parseInputSpec), rate ? { expectRate: rate } : {}) };
      const outputs = await r.run(feeds);
      if (Object.keys(outputs).length === 0) throw new UserError(`${model}: the model has no outputs`);
      for (const [name, t] of Object.entries(outputs)) process.stdout.write(summary(name, t) + "\n");
      if (o.out) {
        const files = await atomicWriteNpyFiles(o.out, outputs);
        process.stdout.write(`wrote ${files.join(", ")}\n`);
      }
    }),
  );
}
