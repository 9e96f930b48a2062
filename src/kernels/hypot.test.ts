// The integer magnitude kernel (cortex_m.quantized_hypot's TS twin): its rounded square root
// against the defining inequality, and its outputs against float hypot quantized by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hypotS, sqrtRoundQ15 } from "./hypot.js";
import { quantizeMultiplier } from "./requantize.js";

test("sqrtRoundQ15: known values and (q − ½)² ≤ s·2^30 < (q + ½)² on edge and random sums", () => {
  assert.equal(sqrtRoundQ15(0), 0);
  assert.equal(sqrtRoundQ15(1), 32768);
  assert.equal(sqrtRoundQ15(4), 65536);
  assert.equal(sqrtRoundQ15(2), 46341); // √2·2^15 = 46340.95
  assert.equal(sqrtRoundQ15(2 * 32768 * 32768), 1518500250); // the int16 corner: √2·2^30 = 1518500249.99
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const sums = [3, 5, 255 * 255 * 2, 2 ** 31, 2 ** 32 - 1, ...Array.from({ length: 2000 }, () => Math.floor(rand() * 2 ** 32))];
  for (const s of sums) {
    const q = BigInt(sqrtRoundQ15(s));
    const n4 = BigInt(s) << 32n; // 4·s·2^30
    assert.ok((2n * q - 1n) ** 2n <= n4 && n4 < (2n * q + 1n) ** 2n, `s = ${s}: q = ${q}`);
  }
});

test("hypotS: int8 and int16 outputs within one step of round(hypot(a, b) / s_out) + zp, almost all exact", () => {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const [inBits, outBits, sIn, sOut, zpIn, zpOut] of [
    [8, 8, 0.0293, 0.0178, 15, -128], [8, 8, 0.01, 0.05, -3, -100], [16, 16, 3e-4, 2.1e-4, 0, 0], [16, 8, 1e-3, 0.04, 0, -128], [8, 16, 0.02, 4e-4, 7, 0],
  ] as const) {
    const n = 4000;
    const [lo, hi] = inBits === 8 ? [-128, 127] : [-32768, 32767];
    const mk = () => (inBits === 8 ? new Int8Array(n) : new Int16Array(n)).map(() => lo + Math.floor(rand() * (hi - lo + 1)));
    const a = mk();
    const b = mk();
    const [omin, omax] = outBits === 8 ? [-128, 127] : [-32768, 32767];
    const out = outBits === 8 ? new Int8Array(n) : new Int16Array(n);
    const { multiplier, shift } = quantizeMultiplier(sIn / (sOut * 2 ** 15));
    hypotS(a, b, { inputOffset: -zpIn, outputOffset: zpOut, multiplier, shift, activationMin: omin, activationMax: omax }, out, n);
    let exact = 0;
    for (let i = 0; i < n; i++) {
      const want = Math.min(omax, Math.max(omin, Math.round(Math.hypot((a[i]! - zpIn) * sIn, (b[i]! - zpIn) * sIn) / sOut) + zpOut));
      assert.ok(Math.abs(out[i]! - want) <= 1, `${inBits}→${outBits} #${i}: ${out[i]} vs ${want}`);
      if (out[i] === want) exact++;
    }
    assert.ok(exact / n > 0.99, `${inBits}→${outBits}: ${exact}/${n} exact`);
  }
});
