import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

test("max_pool2d x=[1,1,4,4] k=2 s=2", () => {
  const y = run1("aten.max_pool2d", [t([1, 1, 4, 4], iota(16))], { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceil_mode: false });
  assert.deepEqual([...y.data], [5, 7, 13, 15]);
});

test("max_pool2d ceil_mode adds a partial window; padding never wins", () => {
  const x = t([1, 1, 5, 5], iota(25).map((v) => -v));
  const f = run1("aten.max_pool2d", [x], { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ceil_mode: false });
  assert.deepEqual(f.shape, [1, 1, 2, 2]);
  const c = run1("aten.max_pool2d", [x], { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0], ceil_mode: true });
  assert.deepEqual(c.shape, [1, 1, 3, 3]);
  assert.equal(c.data[8], -24);
  const p = run1("aten.max_pool2d", [x], { kernel_size: [3, 3], stride: [1, 1], padding: [1, 1], ceil_mode: false });
  assert.equal(p.data[0]! + 0, 0); // -0 from negating 0
  assert.equal(p.data[24], -18);
});

test("avg_pool1d k=3 s=1 p=1 with and without count_include_pad", () => {
  const x = t([1, 1, 3], [1, 2, 3]);
  const inc = run1("aten.avg_pool1d", [x], { kernel_size: [3], stride: [1], padding: [1], ceil_mode: false, count_include_pad: true });
  assertClose(inc.data, [1, 2, 5 / 3]);
  const exc = run1("aten.avg_pool1d", [x], { kernel_size: [3], stride: [1], padding: [1], ceil_mode: false, count_include_pad: false });
  assertClose(exc.data, [1.5, 2, 2.5]);
});

test("avg_pool2d 2x2 and max_pool1d", () => {
  assertClose(run1("aten.avg_pool2d", [t([1, 1, 2, 2], [1, 2, 3, 4])], { kernel_size: [2, 2], stride: [2, 2], padding: [0, 0] }).data, [2.5]);
  assertClose(run1("aten.max_pool1d", [t([1, 1, 4], [1, 5, 2, 0])], { kernel_size: [2], stride: [2], padding: [0], dilation: [1] }).data, [5, 2]);
});
