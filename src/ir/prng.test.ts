import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32, Rng } from "./prng.js";

/** mulberry32 written again with BigInt arithmetic mod 2^32 (no Math.imul, no >>> tricks): an independent reference. */
function reference(seed: number, n: number): number[] {
  const M = 1n << 32n;
  const mul = (a: bigint, b: bigint): bigint => (a * b) % M;
  let state = BigInt(seed >>> 0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    state = (state + 0x6d2b79f5n) % M;
    let t = mul(state ^ (state >> 15n), state | 1n);
    t = (t ^ ((t + mul(t ^ (t >> 7n), t | 61n)) % M)) % M;
    out.push(Number(t ^ (t >> 14n)) / 2 ** 32);
  }
  return out;
}

test("the one PRNG is mulberry32: next(), mulberry32() and uniformArray() give the reference stream", () => {
  for (const seed of [0, 1, 42, 0xffffffff]) {
    const want = reference(seed, 64);
    const rng = new Rng(seed);
    assert.deepEqual(want.map(() => rng.next()), want, `Rng(${seed}).next`);
    const f = mulberry32(seed);
    assert.deepEqual(want.map(() => f()), want, `mulberry32(${seed})`);
    const arr = new Rng(seed).uniformArray(64, -3, 5);
    want.forEach((u, i) => assert.equal(arr[i], Math.fround(-3 + 8 * u), `uniformArray(${seed})[${i}]`));
  }
});

test("values stay in [0, 1) and streams of different seeds differ", () => {
  const a = mulberry32(7);
  const b = mulberry32(8);
  let same = 0;
  for (let i = 0; i < 10_000; i++) {
    const x = a();
    assert.ok(x >= 0 && x < 1);
    if (x === b()) same++;
  }
  assert.equal(same, 0);
});
