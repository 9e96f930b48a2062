import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelBuilder } from "./builder.js";
import { foldBatchNorm, kaimingBound } from "./init.js";
import { Rng } from "../ir/prng.js";
import { UserError } from "../ir/errors.js";
import { verifyGraph } from "../ir/verify.js";
import { makeTensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";

test("Rng is deterministic per seed and uniform in [0,1)", () => {
  const a = new Rng(42), b = new Rng(42), c = new Rng(43);
  const xa = Array.from({ length: 1000 }, () => a.next());
  const xb = Array.from({ length: 1000 }, () => b.next());
  assert.deepEqual(xa, xb);
  assert.notEqual(xa[0], c.next());
  assert.ok(xa.every((x) => x >= 0 && x < 1));
  const mean = xa.reduce((s, x) => s + x, 0) / xa.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  const n = new Rng(7).normalArray(20000);
  const m = n.reduce((s, x) => s + x, 0) / n.length;
  const v = n.reduce((s, x) => s + (x - m) ** 2, 0) / n.length;
  assert.ok(Math.abs(m) < 0.03 && Math.abs(v - 1) < 0.05, `normal mean ${m} var ${v}`);
});

test("kaimingBound: PyTorch default (a=√5) is 1/√fan_in, He gain √2 is √(6/fan_in)", () => {
  assert.ok(Math.abs(kaimingBound(100, Math.sqrt(1 / 3)) - 0.1) < 1e-12);
  assert.ok(Math.abs(kaimingBound(24, Math.SQRT2) - 0.5) < 1e-12);
});

test("foldBatchNorm matches conv output followed by BatchNorm", () => {
  // 1×1 conv, 2 outputs × 3 inputs: y_o = Σ w_oi x_i + b_o, then BN.
  const w = Float32Array.of(1, 2, 3, -1, 0.5, 0.25);
  const b = Float32Array.of(0.1, -0.2);
  const bn = { gamma: Float32Array.of(2, 0.5), beta: Float32Array.of(0.3, -0.1), mean: Float32Array.of(1, -1), variance: Float32Array.of(4, 0.25), eps: 0 };
  const x = [0.5, -1, 2];
  const f = foldBatchNorm(w, b, 2, bn);
  for (let o = 0; o < 2; o++) {
    const conv = w[o * 3]! * x[0]! + w[o * 3 + 1]! * x[1]! + w[o * 3 + 2]! * x[2]! + b[o]!;
    const expected = (bn.gamma[o]! * (conv - bn.mean[o]!)) / Math.sqrt(bn.variance[o]!) + bn.beta[o]!;
    const folded = f.weight[o * 3]! * x[0]! + f.weight[o * 3 + 1]! * x[1]! + f.weight[o * 3 + 2]! * x[2]! + f.bias[o]!;
    assert.ok(Math.abs(folded - expected) < 1e-5, `channel ${o}: ${folded} vs ${expected}`);
  }
  // Hand values: channel 0 scale 2/2 = 1, bias (0.1 − 1)·1 + 0.3 = −0.6.
  assert.ok(Math.abs(f.bias[0]! - -0.6) < 1e-6);
  assert.ok(Math.abs(f.weight[3]! - -1) < 1e-6); // channel 1 scale 0.5/0.5 = 1
});

test("conv with bn: parameter counts track fused and unfused forms", () => {
  const b = new ModelBuilder("t", 1);
  const x = b.input("x", [1, 3, 8, 8]);
  const y = b.conv2d(x, { out: 16, k: 3, stride: 2, pad: 1, bias: false, bn: { eps: 1e-3 } });
  assert.deepEqual(y.shape, [1, 16, 4, 4]);
  assert.equal(b.paramCount, 16 * 3 * 9 + 16); // weight + folded bias
  assert.equal(b.unfusedParamCount, 16 * 3 * 9 + 2 * 16); // weight + γ, β (YOLO layer 0: 464)
  assert.equal(b.unfusedParamCount, 464);
});

test("shape helpers: view(-1), unsqueeze/squeeze, torch pad order, slice clamping, chunk", () => {
  const b = new ModelBuilder("t", 1);
  const x = b.input("x", [2, 3, 4]);
  assert.deepEqual(b.view(x, [2, -1]).shape, [2, 12]);
  assert.deepEqual(b.unsqueeze(x, -1).shape, [2, 3, 4, 1]);
  assert.deepEqual(b.squeeze(b.unsqueeze(x, 1), 1).shape, [2, 3, 4]);
  const p = b.pad(x, [1, 2], "reflect");
  assert.deepEqual(p.shape, [2, 3, 7]);
  assert.deepEqual(p.producer!.attrs["pads"], [0, 0, 1, 0, 0, 2]);
  const s = b.slice(x, -1, -3, 100);
  assert.deepEqual(s.producer!.attrs, { dim: 2, start: 1, end: 4, step: 1 });
  assert.deepEqual(b.chunk(x, 2, 2).map((v) => v.shape), [[2, 3, 2], [2, 3, 2]]);
  assert.deepEqual(b.stack([x, x], 0).shape, [2, 2, 3, 4]);
  assert.throws(() => b.view(x, [5, -1]), UserError);
  assert.throws(() => b.squeeze(x, 0), UserError);
  b.output(b.relu(x), "y");
  verifyGraph(b.build());
});

test("output of a graph input gets an identity node and the requested name", () => {
  const b = new ModelBuilder("t", 1);
  const x = b.input("x", [2]);
  const o = b.output(x, "y");
  assert.equal(o.name, "y");
  assert.equal(o.producer?.op, "aten.clone");
});

test("lstmCell follows PyTorch LSTMCell (gate order i, f, g, o)", () => {
  const H = 3, I = 2;
  const b = new ModelBuilder("lstm", 5);
  const x = b.input("x", [1, I]);
  const h = b.input("h", [1, H]);
  const c = b.input("c", [1, H]);
  const out = b.lstmCell(x, h, c, { hidden: H });
  b.output(out.h, "h1");
  b.output(out.c, "c1");
  const g = b.build();
  verifyGraph(g);
  const param = (name: string) => g.constants.find((v) => v.name === name)!.data as Float32Array;
  const wih = param("lstm_cell.ih.weight"), bih = param("lstm_cell.ih.bias");
  const whh = param("lstm_cell.hh.weight"), bhh = param("lstm_cell.hh.bias");
  for (const a of [wih, bih, whh, bhh]) assert.ok(a.every((v) => Math.abs(v) <= 1 / Math.sqrt(H)));
  const xv = [0.3, -0.7], hv = [0.1, 0.2, -0.3], cv = [0.5, -0.5, 1];
  // Reference written from the LSTMCell equations.
  const gate = (r: number) => {
    let s = bih[r]! + bhh[r]!;
    for (let k = 0; k < I; k++) s += wih[r * I + k]! * xv[k]!;
    for (let k = 0; k < H; k++) s += whh[r * H + k]! * hv[k]!;
    return s;
  };
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const res = runFloat(g, { x: makeTensor("f32", [1, I], xv), h: makeTensor("f32", [1, H], hv), c: makeTensor("f32", [1, H], cv) });
  for (let j = 0; j < H; j++) {
    const i = sig(gate(j)), f = sig(gate(H + j)), gg = Math.tanh(gate(2 * H + j)), o = sig(gate(3 * H + j));
    const c1 = f * cv[j]! + i * gg;
    const h1 = o * Math.tanh(c1);
    assert.ok(Math.abs(res["c1"]!.data[j]! - c1) < 1e-5, `c1[${j}]`);
    assert.ok(Math.abs(res["h1"]!.data[j]! - h1) < 1e-5, `h1[${j}]`);
  }
});

test("conv options: groups, dilation, no bias, asymmetric padding", () => {
  const b = new ModelBuilder("t", 3);
  const x = b.input("x", [1, 8, 10]);
  const y = b.conv1d(x, { out: 8, k: 3, groups: 4, dilation: 2, pad: 2, padEnd: 1, bias: false });
  assert.deepEqual(y.shape, [1, 8, 9]); // 10 + 2 + 1 − 2·2 − 1 + 1
  assert.equal(y.producer!.inputs[2], null);
  assert.deepEqual(y.producer!.inputs[1]!.shape, [8, 2, 3]);
  const z = b.depthwise1d(x, { k: 5, pad: 2 });
  assert.equal(z.producer!.attrs["groups"], 8);
  assert.throws(() => b.conv1d(x, { out: 6, k: 1, groups: 4 }), UserError);
});

test("trained weights: linear and conv1d use the given values (outputs computed by hand)", () => {
  const b = new ModelBuilder("trained", 0);
  const x = b.input("x", [1, 1, 3]);
  // conv1d k=2, weight [1, 1, 2] = [2, -1], bias 0.5: y[t] = 2·x[t] − x[t+1] + 0.5
  const c = b.conv1d(x, { out: 1, k: 2, weight: Float32Array.of(2, -1), biasValues: Float32Array.of(0.5) });
  // linear over the 2 conv outputs: W [2, 2] = [[1, 1], [0.5, -2]], bias [0, 1]
  const y = b.linear(b.flatten(c), { out: 2, weight: Float32Array.of(1, 1, 0.5, -2), biasValues: Float32Array.of(0, 1) });
  b.output(y, "y");
  const out = runFloat(b.build(), { x: makeTensor("f32", [1, 1, 3], [1, 2, 4]) });
  // conv: [2 − 2 + 0.5, 4 − 4 + 0.5] = [0.5, 0.5]; linear: [1, 0.25 − 1 + 1] = [1, 0.25]
  assert.deepEqual([...out.y!.data], [1, 0.25]);
});

test("trained BatchNorm parameters are folded; seeded ones are refused next to a trained weight", () => {
  const b = new ModelBuilder("bn", 0);
  const x = b.input("x", [1, 1, 1]);
  const bn = { gamma: Float32Array.of(2), beta: Float32Array.of(1), mean: Float32Array.of(0.5), variance: Float32Array.of(3), eps: 1 };
  b.output(b.conv1d(x, { out: 1, k: 1, weight: Float32Array.of(3), bias: false, bn }), "y");
  // BN(3·x) = 2·(3x − 0.5)/√(3 + 1) + 1 = 3x + 0.5; at x = 1: 3.5
  assert.deepEqual([...runFloat(b.build(), { x: makeTensor("f32", [1, 1, 1], [1]) }).y!.data], [3.5]);
  const c = new ModelBuilder("bad", 0);
  const xi = c.input("x", [1, 1, 1]);
  assert.throws(() => c.conv1d(xi, { out: 1, k: 1, weight: Float32Array.of(3), bn: true }), (e: Error) => e instanceof UserError && /give bn its trained parameters/.test(e.message));
  assert.throws(() => c.conv1d(xi, { out: 1, k: 1, weight: Float32Array.of(3), bn: { ...bn, gamma: Float32Array.of(1, 2) } }), /bn\.gamma has 2 values, expected 1/);
});

test("trained weights of the wrong size, or a bias with bias: false, are UserErrors naming the layer", () => {
  const b = new ModelBuilder("sizes", 0);
  const x = b.input("x", [1, 3]);
  assert.throws(() => b.linear(x, { out: 2, weight: new Float32Array(5), name: "fc" }), (e: Error) => e instanceof UserError && e.message === "builder: fc weight has 5 values, shape [2,3] needs 6");
  assert.throws(() => b.linear(x, { out: 2, weight: new Float32Array(6), biasValues: new Float32Array(3), name: "fc" }), /fc bias has 3 values, expected 2/);
  assert.throws(() => b.linear(x, { out: 2, bias: false, biasValues: new Float32Array(2), name: "fc" }), /fc has biasValues and bias: false/);
  const h = b.input("h", [1, 2]);
  const cc = b.input("c", [1, 2]);
  assert.throws(() => b.lstmCell(x, h, cc, { hidden: 2, weightIh: new Float32Array(3) }), /ih weight has 3 values, shape \[8,3\] needs 24/);
});

test("lstmCell with trained weights: zero weights and a bias give the gates by hand", () => {
  const b = new ModelBuilder("lstm", 0);
  const x = b.input("x", [1, 1]);
  const h = b.input("h", [1, 1]);
  const c = b.input("c", [1, 1]);
  // Gates i, f, g, o = biases only: σ(0)=0.5, σ(0)=0.5, tanh(0)=0, σ(0)=0.5 → c' = 0.5·c, h' = 0.5·tanh(c').
  const z = new Float32Array(4);
  const r = b.lstmCell(x, h, c, { hidden: 1, weightIh: z, weightHh: z, biasIh: z, biasHh: z });
  b.output(r.c, "c2");
  const out = runFloat(b.build(), { x: makeTensor("f32", [1, 1], [1]), h: makeTensor("f32", [1, 1], [1]), c: makeTensor("f32", [1, 1], [0.5]) });
  assert.deepEqual([...out.c2!.data], [0.25]);
});
