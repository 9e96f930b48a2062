// One way to run a model for `run`, `run --wav` and the library: the float
// reference interpreter on the imported graph, or the bit-exact int8
// simulator on the compiled program (outputs under the model's own names).
import { UserError } from "../ir/errors.js";
import type { Value } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { loadModel, type LoadedModel, type ModelSource } from "../models/index.js";
import { buildStages, type BuildOptions } from "./stages.js";
import { streamFrames, type Feeds } from "./stream.js";
import { ENGINES } from "./verify.js";

export type RunEngine = "float" | "int8";

export interface Runner {
  loaded: LoadedModel;
  run(feeds: Feeds): Feeds | Promise<Feeds>;
}

export async function makeRunner(source: ModelSource, engine: RunEngine, o: Omit<BuildOptions, "stage">): Promise<Runner> {
  if (engine === "int8") {
    const stages = await buildStages(source, { ...o, stage: "final" });
    const e = await ENGINES.get("int8")!(stages);
    return { loaded: stages.model, run: (f) => e.run(f) };
  }
  if (engine !== "float") throw new UserError(`--engine: '${engine}' is not float or int8`);
  const loaded = loadModel(source, { inputShapes: o.inputShapes ?? {}, bind: o.bind ?? {}, ...(o.dataShapes ? { dataShapes: o.dataShapes } : {}) });
  // Nodes that read only constants are evaluated once, not once per run (a stream runs every frame).
  const folded = new Map<Value, Tensor>();
  return { loaded, run: (f) => runFloat(loaded.graph, f, { folded }) };
}

export interface StreamRun {
  sampleRate: number;
  /** New samples per frame. */
  frame: number;
  frames: Feeds[];
}

/** A stateful audio model over `clip` (at the model's rate), frame by frame, state carried. */
export async function streamRun(r: Runner, what: string, clip: Float32Array): Promise<StreamRun> {
  const s = r.loaded.builtin?.stream;
  if (!s) throw new UserError(`${what}: not a stream model (streaming needs a stateful audio model such as silero-vad)`);
  if (clip.length < s.frame) throw new UserError(`${what}: ${clip.length} samples, fewer than one frame of ${s.frame} samples at ${s.sampleRate} Hz`);
  return { sampleRate: s.sampleRate, frame: s.frame, frames: await streamFrames(r.loaded.graph, s, clip, (f) => r.run(f)) };
}
