// The FFT kernel of cortex_m.stft_f32 against the conv it replaces: Silero VAD's real basis, the float
// interpreter's aten.convolution (the reference, computed without any FFT) on the same input. Inputs: 1-LSB
// 16-bit dither (the silence Silero sees), loud speech-like harmonics with noise, uniform noise, full-scale
// clipping, and the same basis with padding (frames reaching past both ends), and a 2-D weight over rows.
// Every output must be within 1e-5 of its frame's max |out| (the FFT rounds ~log2 N times per value; the
// direct conv's 256-term sums round as often again).
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import { getOp } from "../../ir/registry.js";
import type { Attrs } from "../../ir/graph.js";
import type { Tensor } from "../../ir/tensor.js";
import { loadModel } from "../../models/index.js";
import { dftBasis } from "../../ops/conv/dft_basis.js";
import { stftF32, stftTables, type StftGeometry } from "./stft.js";
import { dftWeights } from "../../../test/support/dft_basis.js";

const SILERO_STFT = "If_0_then_branch__Inline_0__/stft/Conv";

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
}

/** Speech-like: a 140 Hz voice with 12 harmonics falling off, an envelope, a little noise; peak near 0.9. */
function speech(len: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: len }, (_, i) => {
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin((2 * Math.PI * 140 * h * i) / 16000 + h) / h;
    return 0.3 * v * (0.6 + 0.4 * Math.sin(i / 90)) + 0.02 * (r() - 0.5);
  });
}

/** The largest |stft − conv| over a frame's outputs, relative to that frame's largest |conv| output. */
function worstRelative(conv: Float32Array, fft: Float32Array, channels: number, frames: number): number {
  let worst = 0;
  for (let t = 0; t < frames; t++) {
    let peak = 0, err = 0;
    for (let c = 0; c < channels; c++) {
      peak = Math.max(peak, Math.abs(conv[c * frames + t]!));
      err = Math.max(err, Math.abs(conv[c * frames + t]! - fft[c * frames + t]!));
    }
    worst = Math.max(worst, peak > 0 ? err / peak : err);
  }
  return worst;
}

function runBoth(w: Tensor, attrs: Attrs, x: Tensor): { rel: number; conv: Float32Array; fft: Float32Array } {
  const b = dftBasis(w, attrs);
  assert.ok(b, "not a DFT basis");
  const conv = getOp("aten.convolution").eval!([x, w, null], attrs)[0]!;
  const rows = x.shape.length === 4 ? x.shape[2]! : 1;
  const frames = conv.shape[conv.shape.length - 1]!;
  const g: StftGeometry = { n: b.n, hop: b.hop, padBegin: b.padBegin, len: x.shape[x.shape.length - 1]!, frames, rows, batch: x.shape[0]!, imagSign: b.imagSign };
  const fft = new Float32Array(conv.data.length);
  stftF32(x.data, b.window, stftTables(b.n), fft, new Float32Array(b.n), g);
  // Per (batch, row): the conv's output is [B, O, rows, frames]; compare each row's frames as one signal.
  let rel = 0;
  const O = 2 * b.bins;
  for (let bi = 0; bi < x.shape[0]!; bi++) {
    for (let h = 0; h < rows; h++) {
      const pick = (d: ArrayLike<number>) => Float32Array.from({ length: O * frames }, (_, i) => d[((bi * O + Math.floor(i / frames)) * rows + h) * frames + (i % frames)]!);
      rel = Math.max(rel, worstRelative(pick(conv.data), pick(fft), O, frames));
    }
  }
  return { rel, conv: conv.data as Float32Array, fft };
}

const silero = (() => {
  const { graph } = loadModel("silero-vad");
  const conv = graph.nodes.find((n) => n.name === SILERO_STFT)!;
  const w = conv.inputs[1]!;
  return { w: { dtype: "f32", shape: [...w.shape], data: w.data! } as Tensor, attrs: conv.attrs };
})();

test("stftF32 equals Silero's STFT conv within 1e-5 of each frame's peak (dither, speech, noise, clipping, padding)", () => {
  const r = rng(7);
  const inputs: [string, Float32Array][] = [
    ["1-LSB dither", Float32Array.from({ length: 640 }, () => Math.round(2 * r() - 1) / 32768)],
    ["loud speech-like", speech(640, 3)],
    ["uniform noise", Float32Array.from({ length: 640 }, () => 2 * r() - 1)],
    ["full-scale square", Float32Array.from({ length: 640 }, (_, i) => (Math.floor(i / 40) % 2 ? 1 : -1))],
  ];
  const lines: string[] = [];
  for (const [name, data] of inputs) {
    const { rel } = runBoth(silero.w, silero.attrs, { dtype: "f32", shape: [1, 1, 640], data });
    lines.push(`${name}: ${rel.toExponential(2)}`);
    assert.ok(rel <= 1e-5, `${name}: max relative error ${rel}`);
  }
  // Frames reaching into zero padding on both sides (the substitution takes any padding), batch 2.
  const padded = { ...silero.attrs, padding: [200], padding_end: [70] };
  const two = new Float32Array(2 * 640);
  two.set(speech(640, 5));
  two.set(inputs[2]![1], 640);
  const { rel, conv } = runBoth(silero.w, padded, { dtype: "f32", shape: [2, 1, 640], data: two });
  assert.equal(conv.length, 2 * 258 * 6); // floor((640 + 270 − 256) / 128) + 1 frames
  lines.push(`padded 200/70, batch 2: ${rel.toExponential(2)}`);
  assert.ok(rel <= 1e-5, `padded: max relative error ${rel}`);
  console.log(`stft_f32 vs Silero's direct conv, max |Δ| / frame max |out|: ${lines.join("; ")}`);
});

test("stftF32: a 2-D [O, 1, 1, N] basis over 3 rows, +sin rows, equals the conv", () => {
  const n = 64;
  const w = dftWeights(n, 1);
  const attrs = { stride: [1, 16], padding: [0, 8], padding_end: [0, 3], dilation: [1, 1], groups: 1, transposed: false, output_padding: [0, 0] };
  const r = rng(11);
  const x = Float32Array.from({ length: 3 * 150 }, () => r() - 0.5);
  const { rel } = runBoth({ dtype: "f32", shape: [n + 2, 1, 1, n], data: w }, attrs, { dtype: "f32", shape: [1, 1, 3, 150], data: x });
  assert.ok(rel <= 1e-5, `max relative error ${rel}`);
});
