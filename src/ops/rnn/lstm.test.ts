import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run, t } from "../../../test/support/op_run.js";

const sig = (v: number) => 1 / (1 + Math.exp(-v));

test("lstm I=1 H=1 two steps with B, h0, c0 matches the ONNX formula (gate order i,o,f,c)", () => {
  const [wi, wo, wf, wc] = [0.5, -0.3, 0.8, 0.2];
  const [ri, ro, rf, rc] = [0.1, 0.4, -0.2, 0.7];
  const Wb = [0.01, 0.02, 0.03, 0.04], Rb = [0.1, -0.1, 0.2, -0.2];
  const xs = [1, -2];
  let h = 0.3, c = -0.5;
  const hs: number[] = [];
  for (const x of xs) {
    const i = sig(wi * x + ri * h + Wb[0]! + Rb[0]!);
    const o = sig(wo * x + ro * h + Wb[1]! + Rb[1]!);
    const f = sig(wf * x + rf * h + Wb[2]! + Rb[2]!);
    const g = Math.tanh(wc * x + rc * h + Wb[3]! + Rb[3]!);
    c = f * c + i * g;
    h = o * Math.tanh(c);
    hs.push(h);
  }
  const [Y, Yh, Yc] = run("aten.lstm", [
    t([2, 1, 1], xs), t([1, 4, 1], [wi, wo, wf, wc]), t([1, 4, 1], [ri, ro, rf, rc]),
    t([1, 8], [...Wb, ...Rb]), t([1, 1, 1], [0.3]), t([1, 1, 1], [-0.5]),
  ], { hidden_size: 1 });
  assert.deepEqual(Y!.shape, [2, 1, 1, 1]);
  assertClose(Y!.data, hs);
  assertClose(Yh!.data, [h]);
  assertClose(Yc!.data, [c]);
});

test("lstm without B/h0/c0, batch 2, H 2: zero state step", () => {
  // W all 0 except cell-gate rows; R ignored at t=0 since h0 = 0
  const H = 2, I = 1;
  const W = new Array(4 * H * I).fill(0);
  W[6] = 1; W[7] = -1; // c gate rows (3H..4H)
  const [Y] = run("aten.lstm", [t([1, 2, 1], [1, 2]), t([1, 8, 1], W), t([1, 8, 2], new Array(16).fill(0.3)), null, null, null], { hidden_size: 2 });
  // i=o=f=0.5; c = 0.5*tanh(w*x); h = 0.5*tanh(c)
  const e = [1 * 1, -1 * 1, 1 * 2, -1 * 2].map((z) => 0.5 * Math.tanh(0.5 * Math.tanh(z)));
  assertClose(Y!.data, e);
});
