import { test } from "node:test";
import assert from "node:assert/strict";
import { liveBytesPerStep, lowerBound } from "./lower_bound.js";

test("live bytes per step count aligned footprints of the buffers live at each step", () => {
  const bufs = [
    { id: 1, size: 10, first: 0, last: 1 }, // 16
    { id: 2, size: 32, first: 1, last: 3 }, // 32
    { id: 3, size: 33, first: 3, last: 3 }, // 48
    { id: 4, size: 5, first: 2, last: 2, align: 4 }, // 8
  ];
  assert.deepEqual(liveBytesPerStep(bufs), { firstStep: 0, bytes: [16, 48, 40, 80] });
  assert.deepEqual(lowerBound(bufs), { bytes: 80, step: 3 });
});

test("lower bound of no buffers is 0; steps may start after 0", () => {
  assert.deepEqual(lowerBound([]), { bytes: 0, step: 0 });
  assert.deepEqual(liveBytesPerStep([{ id: 1, size: 16, first: 4, last: 5 }]), { firstStep: 4, bytes: [16, 16] });
});
