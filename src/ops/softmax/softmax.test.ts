import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";

test("softmax along dim 1 sums to 1 and matches exp(x)/sum(exp(x))", () => {
  const x = [1, 2, 3, -1, 0, 1000, 0.5, 0.5];
  // shape [2,2,2], dim 1: groups (i, k) over j
  const y = run1("aten.softmax", [t([2, 2, 2], x)], { dim: 1 });
  for (let i = 0; i < 2; i++) for (let k = 0; k < 2; k++) {
    const a = x[i * 4 + k]!, b = x[i * 4 + 2 + k]!;
    const m = Math.max(a, b);
    const ea = Math.exp(a - m), eb = Math.exp(b - m);
    assertClose([y.data[i * 4 + k]!, y.data[i * 4 + 2 + k]!], [ea / (ea + eb), eb / (ea + eb)]);
    assert.ok(Math.abs(y.data[i * 4 + k]! + y.data[i * 4 + 2 + k]! - 1) < 1e-6);
  }
});

test("log_softmax equals log of softmax", () => {
  const y = run1("aten.log_softmax", [t([3], [1, 2, 3])], { dim: 0 });
  const s = Math.exp(1) + Math.exp(2) + Math.exp(3);
  assertClose(y.data, [1 - Math.log(s), 2 - Math.log(s), 3 - Math.log(s)]);
});
