// The integer LSTM's parameters (lstm_quant.ts): the fixed scales TFLite's scheme prescribes, the effective
// biases against a hand computation, and the quality of the integer kernel against the float reference on a
// random LSTM streamed frame by frame with the state carried through float, as a model carries it.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Tensor } from "../../ir/tensor.js";
import { lstmForward } from "./lstm.js";
import { cellPowerFor, lstmBorderFor, lstmIntegerForward, lstmIntegerParams, type LstmPrecision, type LstmQuantConfig } from "./lstm_quant.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const t32 = (shape: number[], data: ArrayLike<number>): Tensor => ({ dtype: "f32", shape, data: Float32Array.from(data) });

test("fixed scales: forget→cell 2^-15, input→cell 2^(-30-p), output 2^-30/s_h, gates Q3.12", () => {
  const I = 2, H = 1;
  // W rows i, o, f, c: scale of each block is max|w|/127 = 1/127 here, so input multiplier = s_x·(1/127)·2^12.
  const W = [1, -0.5, 1, 0.25, 1, 0, -1, 0.5];
  const R = [0.5, 0.5, 0.5, 0.5];
  const p = lstmIntegerParams(W, R, null, { steps: 1, batch: 1, input: I, hidden: H },
    { precision: "s8", input: { scale: 1 / 64, zeroPoint: 3 }, hidden: { scale: 1 / 128, zeroPoint: -2 }, cellPower: -11 });
  assert.deepEqual([p.forgetToCellMultiplier, p.forgetToCellShift], [2 ** 30, -14]);
  assert.deepEqual([p.inputToCellMultiplier, p.inputToCellShift], [2 ** 30, -18]); // 2^-19
  assert.deepEqual([p.outputMultiplier, p.outputShift, p.outputOffset], [2 ** 30, -22, -2], "2^-30·128 = 2^-23, + z_h");
  // input multiplier: (1/64)·(1/127)·4096 = 64/127 = 0.50394 → mantissa 0.50394·2^31, shift 0
  assert.equal(p.inputGate.inputShift, 0);
  assert.equal(p.inputGate.inputMultiplier, Math.round((64 / 127) * 2 ** 31));
  // Weights: row [1, -0.5] at scale 1/127 → [127, -64] (half away); effective bias = −z_x·Σw = −3·63.
  assert.deepEqual(Array.from(p.inputGate.inputWeights), [127, -64]);
  assert.deepEqual(p.inputGate.inputEffectiveBias, [-3 * 63]);
  // Hidden effective bias: −z_h·Σr = 2·127 (R block scale 0.5/127).
  assert.deepEqual(p.inputGate.hiddenEffectiveBias, [2 * 127]);
  assert.equal(p.cellGate.activation, "tanh");
  assert.deepEqual(Array.from(p.cellGate.inputWeights), [-127, 64]);
});

test("bias: (Wb + Rb) / (s_x·s_W), both halves of ONNX's B summed", () => {
  const W = [0.5, 0.5, 0.5, 0.5];
  const R = [1, 1, 1, 1];
  const B = [0.1, 0.2, 0.3, 0.4, 0.01, 0.02, 0.03, 0.04];
  const p = lstmIntegerParams(W, R, B, { steps: 1, batch: 1, input: 1, hidden: 1 },
    { precision: "s16", input: { scale: 2 ** -10, zeroPoint: 0 }, hidden: { scale: 2 ** -12, zeroPoint: 0 }, cellPower: -11 });
  const sW = 0.5 / 127;
  assert.deepEqual(p.inputGate.inputEffectiveBias, [Math.round(0.11 / (2 ** -10 * sW))]);
  assert.deepEqual(p.forgetGate.inputEffectiveBias, [Math.round(0.33 / (2 ** -10 * sW))]);
  assert.deepEqual(p.forgetGate.hiddenEffectiveBias, [0]);
});

test("cell power: the smallest power of two whose int16 grid holds max|c|", () => {
  assert.equal(cellPowerFor(16), -10); // 32767·2^-11 = 15.9995 < 16
  assert.equal(cellPowerFor(15.99), -11);
  assert.equal(cellPowerFor(1), -14); // 32767·2^-15 < 1
  assert.equal(cellPowerFor(0.99), -15);
  assert.equal(cellPowerFor(0), -15);
});

/** A random LSTM streamed `frames` single steps with the state carried as float between frames. */
function stream(precision: LstmPrecision | null, cfg: LstmQuantConfig | null, I: number, H: number, frames: number, seed: number) {
  const r = rng(seed);
  const W = Array.from({ length: 4 * H * I }, () => (r() - 0.5) * 1.2);
  const R = Array.from({ length: 4 * H * H }, () => (r() - 0.5) * 1.2);
  const B = Array.from({ length: 8 * H }, () => (r() - 0.5) * 0.5);
  const attrs = { hidden_size: H };
  const xs = Array.from({ length: frames }, (_, f) => Array.from({ length: I }, (_, k) => Math.sin(0.3 * f + k) * 2 + (r() - 0.5)));
  const params = precision && cfg ? lstmIntegerParams(W, R, B, { steps: 1, batch: 1, input: I, hidden: H }, cfg) : null;
  let h = t32([1, 1, H], new Float32Array(H));
  let c = t32([1, 1, H], new Float32Array(H));
  const hs: Float32Array[] = [], cs: Float32Array[] = [];
  for (const x of xs) {
    const ins = [t32([1, 1, I], x), t32([1, 4 * H, I], W), t32([1, 4 * H, H], R), t32([1, 8 * H], B), h, c];
    const [, yh, yc] = params ? lstmIntegerForward(ins, attrs, params, cfg!) : lstmForward(ins, attrs);
    h = yh!; c = yc!;
    hs.push(Float32Array.from(h.data)); cs.push(Float32Array.from(c.data));
  }
  return { xs, hs, cs };
}

test("integer LSTM vs float, 200 frames with the state carried through float: s16 finer than s8", () => {
  const I = 16, H = 12, frames = 200;
  const ref = stream(null, null, I, H, frames, 7);
  const all = (a: number[][] | Float32Array[]) => a.flatMap((v) => Array.from(v));
  const xv = all(ref.xs), hv = all(ref.hs), cv = all(ref.cs);
  const range = (v: number[]) => [Math.min(...v), Math.max(...v)] as const;
  const results: Record<string, { maxDh: number; sqnr: number }> = {};
  for (const precision of ["s8", "s16"] as const) {
    const cfg: LstmQuantConfig = {
      precision,
      input: lstmBorderFor(precision, ...range(xv)),
      hidden: lstmBorderFor(precision, ...range(hv)),
      cellPower: cellPowerFor(Math.max(...cv.map(Math.abs))),
    };
    const q = stream(precision, cfg, I, H, frames, 7);
    let maxDh = 0, sig = 0, err = 0;
    for (let f = 0; f < frames; f++) {
      for (let j = 0; j < H; j++) {
        const d = q.hs[f]![j]! - ref.hs[f]![j]!;
        maxDh = Math.max(maxDh, Math.abs(d));
        sig += ref.hs[f]![j]! ** 2; err += d * d;
      }
    }
    results[precision] = { maxDh, sqnr: 10 * Math.log10(sig / err) };
    console.log(`integer LSTM ${precision} vs float (I=${I}, H=${H}, ${frames} frames, state carried): max |Δh| = ${maxDh.toFixed(4)}, SQNR = ${results[precision]!.sqnr.toFixed(1)} dB`);
  }
  assert.ok(results.s8!.sqnr > 20, `s8 SQNR ${results.s8!.sqnr}`);
  assert.ok(results.s16!.sqnr > 40, `s16 SQNR ${results.s16!.sqnr}`);
  // Both keep int8 weights (the 16x8 scheme), which bound the gain of int16 activations.
  assert.ok(results.s16!.sqnr > results.s8!.sqnr, "s16 is finer than s8");
});

test("a state that left the integer LSTM re-enters it exactly (float state round trip is lossless)", () => {
  const I = 4, H = 5;
  const r = rng(3);
  const W = Array.from({ length: 4 * H * I }, () => r() - 0.5);
  const R = Array.from({ length: 4 * H * H }, () => r() - 0.5);
  for (const precision of ["s8", "s16"] as const) {
    const cfg: LstmQuantConfig = { precision, input: lstmBorderFor(precision, -1, 1), hidden: lstmBorderFor(precision, -0.7, 0.8), cellPower: -12 };
    const params = lstmIntegerParams(W, R, null, { steps: 1, batch: 1, input: I, hidden: H }, cfg);
    const x = t32([1, 1, I], [0.3, -0.2, 0.9, -1]);
    const [, h1, c1] = lstmIntegerForward([x, t32([1, 4 * H, I], W), t32([1, 4 * H, H], R), null, null, null], { hidden_size: H }, params, cfg);
    // Feeding the outputs back as state: a second identical step from that state, and the state re-quantized, are
    // what the integer kernel would have with its own int state.
    const [, h2] = lstmIntegerForward([x, t32([1, 4 * H, I], W), t32([1, 4 * H, H], R), null, h1!, c1!], { hidden_size: H }, params, cfg);
    const [, h2b] = lstmIntegerForward([x, t32([1, 4 * H, I], W), t32([1, 4 * H, H], R), null, t32([1, 1, H], h1!.data), t32([1, 1, H], c1!.data)], { hidden_size: H }, params, cfg);
    assert.deepEqual(Array.from(h2!.data), Array.from(h2b!.data));
    for (const v of c1!.data) assert.equal(Number.isInteger(v / 2 ** -12), true, "cell on its 2^p grid");
    const zh = precision === "s8" ? cfg.hidden.zeroPoint : 0;
    for (const v of h1!.data) {
      const q = v / cfg.hidden.scale + zh;
      assert.ok(Math.abs(q - Math.round(q)) < 1e-3, `${precision}: hidden on the output grid`);
    }
  }
});
