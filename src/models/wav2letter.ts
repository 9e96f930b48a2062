// torchaudio.models.Wav2Letter(num_classes=4096, input_type="waveform", num_features=1):
// twelve Conv1d + ReLU layers, then log_softmax over the class (channel) dim.
import { GAIN_RELU, ModelBuilder } from "../builder/index.js";
import { UserError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { resolveInputShapes, type LoadOptions } from "./shapes.js";
import type { BuiltinModel } from "./types.js";

/** (in → out, kernel, stride, padding) as in torchaudio's waveform acoustic model. */
const LAYERS: ReadonlyArray<[number, number, number, number, number]> = [
  [1, 250, 250, 160, 45],
  [250, 250, 48, 2, 23],
  [250, 250, 7, 1, 3],
  [250, 250, 7, 1, 3],
  [250, 250, 7, 1, 3],
  [250, 250, 7, 1, 3],
  [250, 250, 7, 1, 3],
  [250, 250, 7, 1, 3],
  [250, 250, 7, 1, 3],
  [250, 2000, 32, 1, 16],
  [2000, 2000, 1, 1, 0],
  [2000, 4096, 1, 1, 0],
];

const DEFAULT_SHAPES = { input: [10, 1, 700] };

/**
 * Mean number of kernel taps that land inside the sequence (not in zero padding).
 * At the default length most k7/k32/k48 taps read padding (lengths 2–4), so plain He
 * init would shrink activations ~2× per layer; scaling the gain by √(k / taps seen)
 * keeps them O(1) to the logits. Computed for the default length so the weights do
 * not depend on the input-shape override.
 */
function meanTapsInside(len: number, k: number, stride: number, pad: number): { taps: number; outLen: number } {
  const outLen = Math.floor((len + 2 * pad - k) / stride) + 1;
  let sum = 0;
  for (let o = 0; o < outLen; o++) {
    const first = o * stride - pad;
    sum += Math.min(first + k, len) - Math.max(first, 0);
  }
  return { taps: sum / outLen, outLen };
}

export function buildWav2Letter(opts: LoadOptions = {}, seed = 1): Graph {
  const shapes = resolveInputShapes("wav2letter", DEFAULT_SHAPES, opts.inputShapes);
  const shape = shapes["input"]!;
  if (shape[1] !== 1) throw new UserError(`wav2letter: input must have 1 channel (waveform), got [${shape}]`);
  // He gain (adjusted for padding, above) keeps activations O(1) through 12 ReLU layers.
  const b = new ModelBuilder("wav2letter", seed, { gain: GAIN_RELU, biasScale: 0.1 });
  let x = b.input("input", shape);
  let refLen = DEFAULT_SHAPES.input[2]!;
  LAYERS.forEach(([, out, k, stride, pad], i) => {
    const { taps, outLen } = meanTapsInside(refLen, k, stride, pad);
    refLen = outLen;
    const gain = GAIN_RELU * Math.sqrt(k / taps);
    x = b.scope(`acoustic_model.${2 * i}`, () => b.conv1d(x, { out, k, stride, pad, gain }));
    x = b.relu(x);
  });
  b.output(b.logSoftmax(x, 1), "output");
  return b.build();
}

export const wav2letter: BuiltinModel = {
  name: "wav2letter",
  description: "torchaudio Wav2Letter (waveform, 4096 classes): 12 × Conv1d+ReLU, log_softmax; seeded weights",
  defaultInputShapes: DEFAULT_SHAPES,
  load: (opts) => buildWav2Letter(opts),
};
