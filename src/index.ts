// The public library: the CLI's commands as functions over the same driver
// (compile / inspect / run / stream / verify), the builder, and the few types
// a caller needs. Everything here is re-exported from the internal stages;
// nothing is computed differently from the CLI.
import "./ops/index.js";
import "./ops/cortex_m/index.js";
import { compileModel, type CompileReport } from "./driver/compile.js";
import { buildStages, STAGES, type BuildOptions, type Stage, type StageReport } from "./driver/stages.js";
import { ENGINES, verifyStages, type VerifyReport } from "./driver/verify.js";
import { cTargetsOf, verifyC } from "./driver/engines_c.js";
import { makeRunner, streamRun, type Runner } from "./driver/run.js";
import { writeProject as writeProjectDir } from "./emit/project.js";
import { Graph } from "./ir/graph.js";
import { UserError } from "./ir/errors.js";
import type { Tensor } from "./ir/tensor.js";
import { loadFeed, loadFeedsPartial, randomFeeds } from "./io/feeds.js";
import { readWav } from "./io/wav.js";
import type { TARGETS } from "./lower/options.js";
import type { LoadedModel, ModelSource } from "./models/index.js";

export { ModelBuilder, type Operand, type ConvOptions, type LinearOptions, type LstmCellOptions, type PoolOptions, type BuilderOptions } from "./builder/index.js";
export type { BatchNormParams } from "./builder/init.js";
export { Graph, type Value } from "./ir/graph.js";
export { UserError } from "./ir/errors.js";
export type { Tensor } from "./ir/tensor.js";
export type { DType } from "./ir/dtype.js";
export type { CompileReport } from "./driver/compile.js";
export type { StageReport, Stage } from "./driver/stages.js";
export type { VerifyReport, EngineFigures, OutputFigures, StreamFigures } from "./driver/verify.js";
export { readWav, type WavAudio } from "./io/wav.js";
export { builtinModels } from "./models/index.js";

/** A model: a built-in name ("silero-vad") or .onnx path, the bytes of an ONNX file, or a graph from ModelBuilder.build(). */
export type Model = ModelSource;
export type Target = (typeof TARGETS)[number];

/** The options every compiling function takes; each mirrors the CLI flag of the same name. */
export interface ModelOptions {
  /** --input-shape name=1x1x16000 (ONNX files and built-in models). */
  inputShape?: Record<string, number[]>;
  /** --bind sr=16000 */
  bind?: Record<string, number | number[]>;
  /** --target (default cortex-m55) */
  target?: Target;
  /** --calib: .wav / .npy files or directories of them. */
  calib?: string[];
  /** --calib-random N */
  calibRandom?: number;
  /** Seed of random calibration data and of random inputs. */
  seed?: number;
  /** --observer (default histogram) */
  observer?: "histogram" | "minmax";
  /** --io-layout (default nchw) */
  ioLayout?: "nchw" | "nhwc";
  /** --precision (default int8). int16 groups are chosen and reported; compiling them is not lowered yet. */
  precision?: "int8" | "int16" | "auto";
  /** --int16: node names (as inspect prints them) whose activations are int16. */
  int16?: string[];
  /** --keep-float: node names that stay float. */
  keepFloat?: string[];
  /** --budget-ram: auto's most RAM growth over the int8 build, percent (default 25). */
  budgetRam?: number;
  /** --budget-instructions: auto's most instruction growth over the int8 build, percent (default 25). */
  budgetInstructions?: number;
  /** --budget-weights: auto's most weights (flash) growth over the int8 build, percent (default 25). */
  budgetWeights?: number;
  /** --integer-only: every op lowers to an integer kernel, else the build fails naming the node. */
  integerOnly?: boolean;
  /** --integer-lstm: LSTMs run CMSIS-NN's integer kernel also without integerOnly. */
  integerLstm?: boolean;
}

export interface CompileOptions extends ModelOptions {
  /** --name: C prefix and file base name (default "model"). */
  name?: string;
  /** --external-weights */
  externalWeights?: boolean;
  /** --arena: "static" (default) or "caller" (the application supplies it through <name>_init). */
  arena?: "static" | "caller";
}

export interface CompileResult {
  /** Generated files by project-relative path: C sources and headers as strings, <name>_weights.bin as bytes. */
  files: Map<string, string | Uint8Array>;
  report: CompileReport;
}

function label(model: Model): string {
  if (typeof model === "string") return model;
  if (model instanceof Graph) return model.name;
  return "model.onnx (bytes)";
}

function buildOptions(o: ModelOptions): Omit<BuildOptions, "stage"> {
  const b: Omit<BuildOptions, "stage"> = {};
  if (o.inputShape) b.inputShapes = o.inputShape;
  if (o.bind) b.bind = o.bind;
  if (o.target) b.target = o.target;
  if (o.calib) b.calib = o.calib;
  if (o.calibRandom !== undefined) b.calibRandom = o.calibRandom;
  if (o.seed !== undefined) b.seed = o.seed;
  if (o.observer) b.observer = o.observer;
  if (o.ioLayout) b.ioLayout = o.ioLayout;
  if (o.precision) b.precision = o.precision;
  if (o.int16) b.int16Nodes = o.int16;
  if (o.keepFloat) b.keepFloatNodes = o.keepFloat;
  if (o.budgetRam !== undefined) b.budgetRam = o.budgetRam;
  if (o.budgetInstructions !== undefined) b.budgetInstructions = o.budgetInstructions;
  if (o.budgetWeights !== undefined) b.budgetWeights = o.budgetWeights;
  if (o.integerOnly) b.integerOnly = true;
  if (o.integerLstm) b.integerLstm = true;
  return b;
}

/** `cmsis-lower compile` without the file system: the C project in memory and the compile report. */
export async function compile(model: Model, options: CompileOptions = {}): Promise<CompileResult> {
  const c = await compileModel(model, label(model), {
    ...buildOptions(options),
    ...(options.name !== undefined ? { name: options.name } : {}),
    externalWeights: options.externalWeights === true,
    ...(options.arena ? { arena: options.arena } : {}),
  });
  return { files: c.files, report: c.report };
}

/**
 * Write compile()'s files to `dir` all or nothing (a temporary folder beside it, renamed into place).
 * An existing `dir` is replaced only when an earlier compile wrote it.
 */
export async function writeProject(files: ReadonlyMap<string, string | Uint8Array>, dir: string): Promise<void> {
  writeProjectDir(dir, files);
}

export interface InspectOptions extends ModelOptions {
  /** How far to compile (default "final"). */
  stage?: Stage;
}

/** `cmsis-lower inspect --json`: one report per stage up to `stage`. */
export async function inspect(model: Model, options: InspectOptions = {}): Promise<Partial<Record<Stage, StageReport>>> {
  const stage = options.stage ?? "final";
  if (!STAGES.includes(stage)) throw new UserError(`stage: '${stage}' is not one of ${STAGES.join(", ")}`);
  return (await buildStages(model, { ...buildOptions(options), stage })).json;
}

/** An input: a tensor, a flat Float32Array in the input's shape, or a .npy / .wav path. */
export type Input = Tensor | Float32Array | string;

export interface RunOptions extends ModelOptions {
  /** "float" reference interpreter (default) or the bit-exact "int8" simulator. */
  engine?: "float" | "int8";
  /** Inputs by name; the ones not given get seeded random data (seed `seed`). */
  inputs?: Record<string, Input>;
}

function runnerOf(model: Model, o: RunOptions): Promise<Runner> {
  return makeRunner(model, o.engine ?? "float", buildOptions(o));
}

function feedsOf(loaded: LoadedModel, o: RunOptions): Record<string, Tensor> {
  const g = loaded.graph;
  const feeds = randomFeeds(g, o.seed ?? 0);
  const rate = loaded.builtin?.stream?.sampleRate;
  for (const [name, x] of Object.entries(o.inputs ?? {})) {
    const v = g.inputs.find((i) => i.name === name);
    if (!v) throw new UserError(`inputs: no input named ${name} (inputs: ${g.inputs.map((i) => i.name).join(", ")})`);
    if (typeof x === "string") feeds[name] = loadFeed(x, v.type, { inputName: name, ...(rate ? { expectRate: rate } : {}) });
    else if (x instanceof Float32Array) {
      if (x.length !== v.numel) throw new UserError(`inputs.${name}: ${x.length} values, the input holds ${v.numel}`);
      feeds[name] = { dtype: v.dtype, shape: [...v.shape], data: x };
    } else feeds[name] = x;
  }
  return feeds;
}

/** `cmsis-lower run`: outputs by the model's output names. */
export async function run(model: Model, options: RunOptions = {}): Promise<Record<string, Tensor>> {
  const r = await runnerOf(model, options);
  return r.run(feedsOf(r.loaded, options));
}

export interface StreamOptions extends RunOptions {
  /** Audio: a WAV path (converted to the model's rate and mono) or samples in [-1, 1) at the model's rate. */
  audio: string | Float32Array;
}

export interface StreamResult {
  sampleRate: number;
  /** New samples per frame. */
  frame: number;
  /** The outputs of each frame, state carried between frames. */
  frames: Record<string, Tensor>[];
}

/** `cmsis-lower run --wav`: a stateful audio model (silero-vad) over a clip, frame by frame. */
export async function stream(model: Model, options: StreamOptions): Promise<StreamResult> {
  const r = await runnerOf(model, options);
  const s = r.loaded.builtin?.stream;
  if (!s) throw new UserError(`${label(model)}: not a stream model (streaming needs a stateful audio model such as silero-vad)`);
  const what = typeof options.audio === "string" ? options.audio : label(model);
  const clip = typeof options.audio === "string" ? readWav(options.audio, { expectRate: s.sampleRate }).samples : options.audio;
  return streamRun(r, what, clip);
}

export interface VerifyOptions extends ModelOptions {
  /**
   * Engines compared with the float model (default ["int8"]): "int8" and "int8-ref" (the TS simulator),
   * and the generated C: "host-c" (gcc, sanitized), "qemu" (the three emulated boards) or "qemu-<board>".
   */
  engines?: string[];
  /** Input files by name (.npy / .wav); the rest get seeded random data. */
  inputs?: Record<string, string>;
  /** Stream models: audio streamed frame by frame (default: synthesized). */
  wav?: string;
  /** Also compare every int8 tensor with the fake-quant graph. */
  layers?: boolean;
}

/**
 * One C target of verify(): "host" or a QEMU board; identical = the generated C's output bytes equal the
 * TS int8 simulator's (null when skipped, with the reason). Declared here so that the package's types do
 * not pull in the build machinery's Node-only declarations.
 */
export interface CTargetRow {
  model: string; target: string; identical: boolean | null; mismatches: string[]; arenaBytes: number; skipped?: string;
  /** Instructions per inference (QEMU boards), .text / .rodata bytes of the image, the external weights file. */
  instructions?: number; textBytes?: number; rodataBytes?: number; weightsFileBytes?: number;
}

export interface VerifyResult extends Omit<VerifyReport, "engines"> {
  /** One entry per TypeScript engine. */
  engines: VerifyReport["engines"];
  /** One row per C target: are the generated C's output bytes identical to the TS int8 simulator's? */
  c: CTargetRow[];
}

/** `cmsis-lower verify --json`: the TypeScript engines' figures and the generated C rows. */
export async function verify(model: Model, options: VerifyOptions = {}): Promise<VerifyResult> {
  const engines = options.engines ?? ["int8"];
  const cEngines = engines.filter((e) => !ENGINES.has(e));
  const cTargets = cTargetsOf(cEngines);
  // Each C engine name must select a target on its own, so that a typo is not dropped silently.
  for (const e of cEngines) {
    if (cTargetsOf([e]).length === 0) throw new UserError(`engines: unknown engine "${e}" (engines: ${[...ENGINES.keys()].join(", ")}, host-c, qemu, qemu-<board>)`);
  }
  const tsEngines = engines.filter((e) => ENGINES.has(e));
  const vopts = {
    ...buildOptions(options),
    inputs: Object.entries(options.inputs ?? {}).map(([name, path]) => ({ name, path })),
    ...(options.wav !== undefined ? { wav: options.wav } : {}),
    layers: options.layers === true,
  };
  const stages = await buildStages(model, { ...vopts, stage: "final" });
  if (options.wav !== undefined && !stages.model.builtin?.stream) throw new UserError(`wav: ${label(model)} is not a stream model; give its inputs with inputs`);
  const report = await verifyStages(label(model), stages, vopts, tsEngines);
  let c: CTargetRow[] = [];
  if (cTargets.length) {
    // The same seeded feeds as the TS engines; the C output bytes are compared with the TS int8 simulator's.
    const feeds = { ...randomFeeds(stages.float, options.seed ?? 0), ...loadFeedsPartial(stages.float, vopts.inputs) };
    c = await verifyC(stages, { targets: cTargets, steps: [feeds], model: label(model) });
  }
  return { ...report, c };
}
