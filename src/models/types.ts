// The descriptor every built-in model exports for the registry in ./index.ts.
import type { Graph } from "../ir/graph.js";

export interface BuiltinModel {
  /** Registry key, e.g. 'silero-vad'. */
  name: string;
  description: string;
  /** Shapes used for inputs the caller does not give (dynamic dims resolved). */
  defaultInputShapes: Record<string, number[]>;
  load(opts?: { inputShapes?: Record<string, number[]>; bind?: Record<string, number | number[]> }): Graph;
  /** For stateful audio models: how frames are fed and state carried. */
  stream?: {
    sampleRate: number;
    /** Graph input that receives the samples of one step: `context` old samples then `frame` new ones. */
    audioInput: string;
    frame: number;
    context: number;
    /** Each state output is fed back to its input on the next step (zeros on the first). */
    state: Array<{ input: string; output: string }>;
    /** Output holding the speech probability of the step. */
    probOutput: string;
  };
}
