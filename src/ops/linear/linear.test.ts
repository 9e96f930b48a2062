import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";

test("linear y = x·wᵀ + b over the last dim", () => {
  const y = run1("aten.linear", [t([2, 3], [1, 2, 3, 4, 5, 6]), t([2, 3], [1, 0, -1, 0.5, 0.5, 0.5]), t([2], [10, 0])]);
  assert.deepEqual(y.shape, [2, 2]);
  assertClose(y.data, [8, 3, 8, 7.5]);
});

test("matmul batched broadcast [2,2,3]@[3,1] and rank-1 operands", () => {
  const a = Array.from({ length: 12 }, (_, i) => i);
  const y = run1("aten.matmul", [t([2, 2, 3], a), t([3, 1], [1, 1, 1])]);
  assert.deepEqual(y.shape, [2, 2, 1]);
  assertClose(y.data, [3, 12, 21, 30]);
  const v = run1("aten.matmul", [t([3], [1, 2, 3]), t([3, 2], [1, 0, 0, 1, 1, 1])]);
  assert.deepEqual(v.shape, [2]);
  assertClose(v.data, [4, 5]);
  const d = run1("aten.matmul", [t([3], [1, 2, 3]), t([3], [4, 5, 6])]);
  assert.deepEqual(d.shape, []);
  assertClose(d.data, [32]);
});
