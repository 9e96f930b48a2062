// dftBasis recognizes Silero VAD's STFT weights (a periodic Hann window, 256-point real DFT, −sin rows) and
// nothing that is merely close to one: a single weight moved by 1e-3, a random conv, a wrong shape or
// row count, a grouped or dilated conv, a nonzero window-free basis.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../../models/index.js";
import type { Tensor } from "../../ir/tensor.js";
import { dftBasis } from "./dft_basis.js";

const SILERO_STFT = "If_0_then_branch__Inline_0__/stft/Conv";

function sileroConv(): { w: Tensor; attrs: Record<string, unknown> } {
  const { graph } = loadModel("silero-vad");
  const conv = graph.nodes.find((n) => n.name === SILERO_STFT)!;
  const w = conv.inputs[1]!;
  return { w: { dtype: "f32", shape: [...w.shape], data: w.data! }, attrs: conv.attrs };
}

/** A basis written here in double, rounded to float: window·cos rows, then sign·window·sin rows. */
function basis(n: number, sign: 1 | -1, window: (i: number) => number): Float32Array {
  const bins = n / 2 + 1;
  const w = new Float32Array(2 * bins * n);
  for (let k = 0; k < bins; k++) {
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * k * i) / n;
      w[k * n + i] = window(i) * Math.cos(a);
      w[(bins + k) * n + i] = sign * window(i) * Math.sin(a);
    }
  }
  return w;
}

const conv1d = { stride: [128], padding: [0], padding_end: [0], dilation: [1], groups: 1, transposed: false, output_padding: [0] };

test("dftBasis: Silero VAD's stft.forward_basis_buffer is a 256-point Hann-windowed DFT, hop 128, −sin rows", () => {
  const { w, attrs } = sileroConv();
  const b = dftBasis(w, attrs as never);
  assert.ok(b, "Silero's basis is not recognized");
  assert.deepEqual([b.n, b.bins, b.imagSign, b.spatial, b.hop, b.padBegin, b.padEnd], [256, 129, -1, 1, 128, 0, 0]);
  // The window is row 0 exactly, and it is the periodic Hann window.
  assert.deepEqual(Array.from(b.window), Array.from(w.data.subarray(0, 256)));
  for (let i = 0; i < 256; i++) assert.ok(Math.abs(b.window[i]! - 0.5 * (1 - Math.cos((2 * Math.PI * i) / 256))) < 1e-7, `window[${i}]`);
});

test("dftBasis: rejects a perturbed basis, a random conv, wrong shapes and attributes", () => {
  const { w, attrs } = sileroConv();
  const moved = (at: number): Tensor => {
    const d = Float32Array.from(w.data as Float32Array);
    d[at] = d[at]! + 1e-3;
    return { ...w, data: d };
  };
  // One weight each in the window row, a cos row, a sin row and the last (Nyquist) sin row.
  for (const at of [100, 37 * 256 + 5, 200 * 256 + 77, 257 * 256 + 255]) assert.equal(dftBasis(moved(at), attrs as never), null, `weight ${at} moved by 1e-3`);
  let s = 1;
  const random = Float32Array.from({ length: w.data.length }, () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5);
  assert.equal(dftBasis({ ...w, data: random }, attrs as never), null, "random weights");
  assert.equal(dftBasis({ ...w, shape: [129, 2, 256] }, attrs as never), null, "two input channels");
  assert.equal(dftBasis({ ...w, shape: [258, 256] }, attrs as never), null, "rank 2");
  const short = w.data.subarray(0, 257 * 256);
  assert.equal(dftBasis({ dtype: "f32", shape: [257, 1, 256], data: short }, attrs as never), null, "257 rows");
  assert.equal(dftBasis({ dtype: "i8", shape: w.shape, data: Int8Array.from(w.data as Float32Array) }, attrs as never), null, "int8 weights");
  assert.equal(dftBasis(w, { ...attrs, groups: 2 } as never), null, "groups 2");
  assert.equal(dftBasis(w, { ...attrs, dilation: [2] } as never), null, "dilation 2");
  assert.equal(dftBasis(w, { ...attrs, transposed: true } as never), null, "transposed");
  assert.equal(dftBasis({ ...w, data: new Float32Array(w.data.length) }, attrs as never), null, "all zeros");
  // A 48-point frame is not a power of two (the same construction, otherwise a valid basis).
  assert.equal(dftBasis({ dtype: "f32", shape: [50, 1, 48], data: basis(48, -1, () => 1) }, conv1d), null, "N = 48");
});

test("dftBasis: +sin rows, a 2-D [O, 1, 1, N] weight, padding and another window", () => {
  const hamming = (i: number): number => 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / 64);
  const plus = dftBasis({ dtype: "f32", shape: [66, 1, 64], data: basis(64, 1, hamming) }, { ...conv1d, stride: [16], padding: [32], padding_end: [32] });
  assert.ok(plus);
  assert.deepEqual([plus.n, plus.imagSign, plus.hop, plus.padBegin, plus.padEnd], [64, 1, 16, 32, 32]);
  const twoD = dftBasis({ dtype: "f32", shape: [34, 1, 1, 32], data: basis(32, -1, () => 0.25) },
    { stride: [1, 8], padding: [0, 4], padding_end: [0, 4], dilation: [1, 1], groups: 1, transposed: false, output_padding: [0, 0] });
  assert.ok(twoD);
  assert.deepEqual([twoD.n, twoD.spatial, twoD.hop, twoD.padBegin], [32, 2, 8, 4]);
  // Along H the conv must be the identity: stride 2 there is not an STFT of each row.
  assert.equal(dftBasis({ dtype: "f32", shape: [34, 1, 1, 32], data: basis(32, -1, () => 0.25) },
    { stride: [2, 8], padding: [0, 0], padding_end: [0, 0], dilation: [1, 1], groups: 1, transposed: false, output_padding: [0, 0] }), null);
});
