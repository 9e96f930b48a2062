import { test } from "node:test";
import assert from "node:assert/strict";
import { dequantizeTable, dequantizeValue, quantizeArray, quantizeValue } from "./rounding.js";
import { mulberry32 } from "../../ir/prng.js";

test("quantizeArray equals quantizeValue element for element (ties, NaN, ±Inf, huge, tiny)", () => {
  const n = 200_000;
  const src = new Float32Array(n);
  const r = mulberry32(1);
  for (let i = 0; i < n; i++) {
    const k = r();
    src[i] = k < 0.3 ? (Math.round(r() * 600 - 300) + 0.5) * 0.01 : k < 0.35 ? [NaN, Infinity, -Infinity, 1e30, -1e30][i % 5]! : (r() * 2 - 1) * 10 ** (r() * 8 - 4);
  }
  for (const [scale, zp, lo, hi] of [[0.01, 0, -128, 127], [0.00390625, -128, -128, 127], [0.17, 5, -127, 127], [1e-6, 3, -128, 127]] as const) {
    const out = new Int8Array(n);
    quantizeArray(src, out, n, scale, zp, lo, hi);
    let bad = 0;
    for (let i = 0; i < n; i++) if (out[i] !== quantizeValue(src[i]!, scale, zp, lo, hi)) bad++;
    assert.equal(bad, 0, `scale ${scale} zp ${zp}`);
  }
});

test("dequantizeTable gives dequantizeValue for every int8 code", () => {
  for (const [scale, zp] of [[0.01, 0], [0.00390625, -128], [0.17, 5], [3.3e-7, 127]] as const) {
    const t = dequantizeTable(scale, zp);
    for (let q = -128; q < 128; q++) assert.ok(Object.is(t[q + 128], dequantizeValue(q, scale, zp)), `scale ${scale} zp ${zp} q ${q}`);
  }
});
