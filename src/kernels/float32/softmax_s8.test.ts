// The table softmax of int8 codes (softmaxS8F32) against values worked out
// independently: exact cases by hand, and float64 softmax of s·(q − q_max).
import { test } from "node:test";
import assert from "node:assert/strict";
import { softmaxExpTable, softmaxF32, softmaxS8F32 } from "./kernels.js";

test("softmaxS8F32: all-equal rows give 1/len, a row of one gives 1, a code 255 below the max gives exp(-255 s)", () => {
  const table = softmaxExpTable(0.02);
  for (const len of [1, 2, 4, 8, 16]) {
    const q = new Array<number>(len).fill(-5);
    const y = new Float32Array(len);
    softmaxS8F32(q, table, y, 1, len, 1);
    for (let k = 0; k < len; k++) assert.equal(y[k], 1 / len, `len ${len} [${k}]`);
  }
  assert.equal(table[0], 1);
  assert.ok(Math.abs(table[255]! - Math.exp(-255 * 0.02)) <= 1e-7 * Math.exp(-255 * 0.02) * 10);
  const y = new Float32Array(2);
  softmaxS8F32([127, -128], table, y, 1, 2, 1);
  const e = Math.exp(-5.1);
  assert.ok(Math.abs(y[0]! - 1 / (1 + e)) < 1e-6 && Math.abs(y[1]! - e / (1 + e)) < 1e-6, `${y}`);
});

test("softmaxS8F32 is within float rounding of float64 softmax and of softmaxF32 on the dequantized codes (strided rows)", () => {
  const [outer, len, inner, s, zp] = [3, 16, 7, 0.0177498, 14];
  const q = Array.from({ length: outer * len * inner }, (_, i) => (((i * 113 + 29) % 256) - 128));
  const y = new Float32Array(q.length);
  softmaxS8F32(q, softmaxExpTable(s), y, outer, len, inner);
  const deq = Float32Array.from(q, (c) => (c - zp) * s);
  const viaFloat = new Float32Array(q.length);
  softmaxF32(deq, viaFloat, outer, len, inner, false);
  let worst = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (k: number) => o * len * inner + k * inner + i;
      const qm = Math.max(...Array.from({ length: len }, (_, k) => q[at(k)]!));
      const ex = Array.from({ length: len }, (_, k) => Math.exp(s * (q[at(k)]! - qm)));
      const sum = ex.reduce((a, b) => a + b, 0);
      for (let k = 0; k < len; k++) {
        const want = ex[k]! / sum;
        assert.ok(Math.abs(y[at(k)]! - want) <= 1e-6 * Math.max(want, 1e-3), `row ${o},${i} [${k}]: ${y[at(k)]} vs ${want}`);
        worst = Math.max(worst, Math.abs(y[at(k)]! - viaFloat[at(k)]!));
      }
    }
  }
  assert.ok(worst < 1e-6, `largest difference from softmax(dequantize) ${worst}`);
});
