// Streaming audio through a stateful model frame by frame (Silero VAD): the
// one frame loop behind `verify --wav`, `run --wav` and the library's stream().
import { UserError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import type { BuiltinModel } from "../models/types.js";
import { streamSource } from "../quantize/calibrate.js";

export type Feeds = Record<string, Tensor>;
export type StreamSpec = NonNullable<BuiltinModel["stream"]>;

/** Run `clip` frame by frame (context + frame samples per step, state outputs fed back); one output set per frame. */
export async function streamFrames(g: Graph, stream: StreamSpec, clip: Float32Array, run: (f: Feeds) => Feeds | Promise<Feeds>): Promise<Feeds[]> {
  const gen = streamSource([clip], stream).feeds(g);
  const frames: Feeds[] = [];
  let step = gen.next();
  while (!step.done) {
    const outs = await run(step.value);
    frames.push(outs);
    step = gen.next(outs);
  }
  return frames;
}

/** The speech probability of each frame. */
export function probsOf(stream: StreamSpec, frames: Feeds[]): number[] {
  return frames.map((outs) => {
    const p = outs[stream.probOutput];
    if (!p) throw new UserError(`stream model: output ${stream.probOutput} not produced`);
    return p.data[0]!;
  });
}
