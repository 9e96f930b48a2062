// The integer log_softmax loop against log_softmax computed in double on the
// dequantized input (an independent definition, not the kernel's tables):
// within one output code everywhere above the output's clamp, including the
// tail far below log(1/512) that a 1/256 probability grid cannot reach.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logSoftmaxS8, logSoftmaxTables } from "./log_softmax_s8.js";
import { Status } from "./types.js";

/** Deterministic int8 rows (a small LCG) with a spread set by `span`. */
function rows(n: number, span: number, seed: number): Int8Array {
  const out = new Int8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = Math.max(-128, Math.min(127, Math.round(((s / 2 ** 32) * 2 - 1) * span)));
  }
  return out;
}

/** log_softmax of each row of the dequantized input, quantized to (sOut, zp) with clamping. */
function expected(x: Int8Array, rowsN: number, rowSize: number, sIn: number, zpIn: number, sOut: number, zp: number): Int8Array {
  const y = new Int8Array(x.length);
  for (let r = 0; r < rowsN; r++) {
    const v = Array.from(x.subarray(r * rowSize, (r + 1) * rowSize), (q) => (q - zpIn) * sIn);
    const m = Math.max(...v);
    const lse = m + Math.log(v.reduce((a, b) => a + Math.exp(b - m), 0));
    v.forEach((a, j) => (y[r * rowSize + j] = Math.max(-128, Math.min(127, Math.round((a - lse) / sOut) + zp))));
  }
  return y;
}

for (const [rowSize, sIn, sOut, span] of [[4096, 0.0134, 0.035, 60], [29, 0.1, 0.06, 127], [10, 0.02, 0.004, 127], [1000, 0.05, 0.1, 100]] as const) {
  test(`log_softmax_s8: ${rowSize}-wide rows, s_in ${sIn}, s_out ${sOut}: within one code of the exact value`, () => {
    const nRows = 5;
    const x = rows(nRows * rowSize, span, rowSize);
    const zp = 127; // log-probabilities are ≤ 0: the top code is 0
    const got = new Int8Array(x.length);
    assert.equal(logSoftmaxS8(x, nRows, rowSize, logSoftmaxTables(sIn, sOut), zp, got), Status.SUCCESS);
    const want = expected(x, nRows, rowSize, sIn, -3, sOut, zp);
    let worst = 0, exact = 0;
    for (let i = 0; i < x.length; i++) {
      worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      if (got[i] === want[i]) exact++;
    }
    assert.ok(worst <= 1, `worst difference ${worst} codes`);
    assert.ok(exact / x.length > 0.9, `${exact}/${x.length} exact`);
  });
}

test("log_softmax_s8: a uniform row is log(1/n) everywhere; a dominant element is ≈ 0 and the rest far below", () => {
  const sOut = 0.05;
  const t = logSoftmaxTables(0.1, sOut);
  const flat = new Int8Array(4096).fill(7);
  const y = new Int8Array(4096);
  logSoftmaxS8(flat, 1, 4096, t, 127, y);
  // log(1/4096) = −8.318 → −166.4 codes → 127 − 166 = −39 (below log(1/512): the probability-grid route gave the clamp here).
  assert.ok(y.every((v) => v === -39), `got ${y[0]}`);
  const t2 = logSoftmaxTables(0.1, 0.02);
  const few = Int8Array.from([100, 0, -50, 100]);
  const y2 = new Int8Array(4);
  logSoftmaxS8(few, 1, 4, t2, 127, y2);
  // Two maxima share the mass: log(1/2) = −0.693 → 127 − 35 = 92; x = 0 is 10 below: −10.69 → clamped.
  assert.deepEqual(Array.from(y2), [92, -128, -128, 92]);
});
