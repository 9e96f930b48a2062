import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";

const x = t([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 9]);

test("mean over [2,3] keepdim (GlobalAveragePool)", () => {
  const y = run1("aten.mean", [x], { dims: [2, 3], keepdim: true });
  assert.deepEqual(y.shape, [1, 2, 1, 1]);
  assertClose(y.data, [2.5, 6.75]);
});

test("amax over dim 1 without keepdim; mean over the last dim", () => {
  const y = run1("aten.amax", [x], { dims: [1], keepdim: false });
  assert.deepEqual(y.shape, [1, 2, 2]);
  assertClose(y.data, [5, 6, 7, 9]);
  assertClose(run1("aten.mean", [x], { dims: [3], keepdim: false }).data, [1.5, 3.5, 5.5, 8]);
});
