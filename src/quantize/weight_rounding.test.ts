// Error-feedback rounding (weight_rounding.ts) against round-to-nearest, the
// output error computed here by hand-written loops (not by the layer's float
// reference the rounding uses): on strongly correlated inputs (a smooth
// signal, as audio patches are) pushing each rounding error onto the
// neighbouring columns cancels most of it at the output. The integers stay on
// the given scales and in range; a layer it cannot handle gets null.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import { mulberry32 } from "../ir/prng.js";
import type { Tensor } from "../ir/tensor.js";
import { quantizeWeightPerChannel, quantizeWeightPerTensor } from "./scheme.js";
import { errorFeedbackRound } from "./weight_rounding.js";

const CIN = 4;
const COUT = 6;
const K = 5;
const L = 40;
const STRIDE = 2;

/** Smooth random signals: a random walk low-passed, so neighbouring samples (and channels) are correlated. */
function smooth(rnd: () => number, n: number): Float32Array {
  const x = new Float32Array(n);
  let v = 0;
  let u = 0;
  for (let i = 0; i < n; i++) {
    u = 0.9 * u + (rnd() - 0.5);
    v = 0.8 * v + 0.2 * u;
    x[i] = v;
  }
  return x;
}

/** Σ over samples, output channels and positions of (conv(x, w) − conv(x, q·s))², by direct loops (valid conv, stride 2). */
function convOutputError(xs: Float32Array[], w: Float32Array, q: Int8Array, scales: readonly number[]): number {
  let e = 0;
  const out = Math.floor((L - K) / STRIDE) + 1;
  for (const x of xs) {
    for (let co = 0; co < COUT; co++) {
      for (let t = 0; t < out; t++) {
        let d = 0;
        for (let ci = 0; ci < CIN; ci++) {
          for (let k = 0; k < K; k++) {
            const i = (co * CIN + ci) * K + k;
            d += (w[i]! - q[i]! * scales[co]!) * x[ci * L + t * STRIDE + k]!;
          }
        }
        e += d * d;
      }
    }
  }
  return e;
}

test("error-feedback rounding: a strided conv1d's output error on its calibration inputs falls well below round-to-nearest", () => {
  const rnd = mulberry32(11);
  const w = Float32Array.from({ length: COUT * CIN * K }, () => rnd() * 2 - 1);
  const b = new ModelBuilder("wround", 1);
  const x = b.input("x", [1, CIN, L]);
  b.output(b.conv1d(x, { out: COUT, k: K, stride: STRIDE, weight: w, bias: false, name: "conv" }), "y");
  const g = b.build();
  const conv = g.nodes.find((n) => n.op === "aten.convolution")!;
  const xs = Array.from({ length: 12 }, () => smooth(rnd, CIN * L));
  const samples: Tensor[] = xs.map((d) => ({ dtype: "f32", shape: [1, CIN, L], data: d }));
  const shape = [COUT, CIN, K];
  const nearest = quantizeWeightPerChannel(w, shape, 0, "maxabs");
  const fed = errorFeedbackRound(conv, 0, 1, w, shape, nearest, samples);
  assert.ok(fed, "conv1d with groups 1 is handled");
  assert.deepEqual([...fed.qparams.scale], [...nearest.qparams.scale], "scales kept");
  assert.ok(fed.data.every((v) => v >= -127 && v <= 127));
  assert.ok(fed.data.some((v, i) => v !== nearest.data[i]), "some integers moved");
  const eNear = convOutputError(xs, w, nearest.data, nearest.qparams.scale);
  const eFed = convOutputError(xs, w, fed.data, fed.qparams.scale);
  assert.ok(eFed < 0.5 * eNear, `error feedback ${eFed} vs nearest ${eNear}`);
  // Not a layer of its form: per-tensor weights, or no inputs to fit.
  assert.equal(errorFeedbackRound(conv, 0, 1, w, shape, quantizeWeightPerTensor(w), samples), null);
  assert.equal(errorFeedbackRound(conv, 0, 1, w, shape, nearest, []), null);
});
