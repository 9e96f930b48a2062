// The eager SileroVAD16k re-implementation (lowering.md §12.3): the v5 16 kHz
// branch without the ONNX If-plumbing. One call = one 512-sample frame plus 64
// samples of context; the LSTM state [h, c] is carried between calls.
import { ModelBuilder, type ConvOptions } from "../builder/index.js";
import { UserError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { resolveInputShapes, type LoadOptions } from "./shapes.js";
import type { BuiltinModel } from "./types.js";

const N_FFT = 256;
const HOP = 128;
const BINS = N_FFT / 2 + 1; // 129
const HIDDEN = 128;
const DEFAULT_SHAPES = { x: [1, 576], state: [2, 1, HIDDEN] };

/**
 * The STFT-as-Conv1d basis: a periodic Hann window times cos (rows 0..128) and −sin
 * (rows 129..257), so the conv output holds the real and imaginary parts of each bin.
 */
export function stftBasis(): Float32Array {
  const w = new Float32Array(2 * BINS * N_FFT);
  for (let k = 0; k < BINS; k++) {
    for (let n = 0; n < N_FFT; n++) {
      const win = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT);
      const ph = (2 * Math.PI * k * n) / N_FFT;
      w[k * N_FFT + n] = win * Math.cos(ph);
      w[(k + BINS) * N_FFT + n] = -win * Math.sin(ph);
    }
  }
  return w;
}

/** (in → out, stride) of the four k3 p1 encoder convs. */
const ENCODER: ReadonlyArray<[number, number]> = [
  [128, 1],
  [64, 2],
  [64, 2],
  [128, 1],
];

export function buildSileroVad16k(opts: LoadOptions = {}, seed = 16): Graph {
  const shapes = resolveInputShapes("silero-vad-16k", DEFAULT_SHAPES, opts.inputShapes);
  const [batch, len] = shapes["x"] as [number, number];
  const st = shapes["state"]!;
  if (st[0] !== 2 || st[1] !== batch || st[2] !== HIDDEN) {
    throw new UserError(`silero-vad-16k: state must be [2,${batch},${HIDDEN}] for x [${batch},${len}], got [${st}]`);
  }
  if (len < 192 || len > 576) throw new UserError(`silero-vad-16k: x must hold 192..576 samples (one frame plus context), got ${len}`);

  const b = new ModelBuilder("silero_vad_16k", seed);
  const x = b.input("x", [batch, len]);
  const state = b.input("state", st);

  // STFT magnitude.
  let s = b.pad(x, [0, 64], "reflect");
  s = b.unsqueeze(s, 1);
  s = b.scope("stft", () => b.conv1d(s, { out: 2 * BINS, k: N_FFT, stride: HOP, bias: false, weight: stftBasis(), name: "forward_basis" }));
  // The basis is fixed, not learned: keep it out of the parameter count like the buffer it is.
  b.paramCount -= 2 * BINS * N_FFT;
  b.unfusedParamCount -= 2 * BINS * N_FFT;
  const [re, im] = b.split(s, [BINS, BINS], 1) as [typeof s, typeof s];
  let e = b.sqrt(b.add(b.pow(re, 2), b.pow(im, 2)));

  // Encoder: 4 × (Conv1d k3 p1 + ReLU).
  ENCODER.forEach(([out, stride], i) => {
    const o: ConvOptions = { out, k: 3, stride, pad: 1 };
    e = b.scope(`encoder.${i}`, () => b.conv1d(e, o));
    e = b.relu(e);
  });
  e = b.squeeze(e, -1);

  // Decoder: LSTMCell on the carried state, then a 1×1 conv to one logit.
  const h0 = b.select(state, 0, 0);
  const c0 = b.select(state, 0, 1);
  const { h, c } = b.scope("decoder", () => b.lstmCell(e, h0, c0, { hidden: HIDDEN, name: "rnn" }));
  const newState = b.stack([h, c], 0);
  let d = b.unsqueeze(b.relu(h), -1);
  d = b.scope("decoder", () => b.conv1d(d, { out: 1, k: 1, name: "conv" }));
  d = b.sigmoid(d);
  const prob = b.mean(b.squeeze(d, 1), [1], true);

  b.output(prob, "prob");
  b.output(newState, "new_state");
  return b.build();
}

export const sileroVad16k: BuiltinModel = {
  name: "silero-vad-16k",
  description: "eager SileroVAD16k (STFT conv, 4-conv encoder, LSTMCell decoder); seeded weights, one 512-sample frame + 64 context",
  defaultInputShapes: DEFAULT_SHAPES,
  load: (opts) => buildSileroVad16k(opts),
  stream: { sampleRate: 16000, audioInput: "x", frame: 512, context: 64, state: [{ input: "state", output: "new_state" }], probOutput: "prob" },
};
