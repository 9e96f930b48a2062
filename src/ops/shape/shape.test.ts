import { test } from "node:test";
import assert from "node:assert/strict";
import { run, run1, t } from "../../../test/support/op_run.js";
import { getOp } from "../../ir/registry.js";
import { makeType } from "../../ir/graph.js";

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

test("pad reflect of [1,2,3,4] by (2,2) and constant with value", () => {
  const r = run1("aten.pad", [t([4], [1, 2, 3, 4])], { pads: [2, 2], mode: "reflect", value: 0 });
  assert.deepEqual([...r.data], [3, 2, 1, 2, 3, 4, 3, 2]);
  const c = run1("aten.pad", [t([1, 2], [1, 2])], { pads: [0, 1, 1, 0], mode: "constant", value: 9 });
  assert.deepEqual(c.shape, [2, 3]);
  assert.deepEqual([...c.data], [9, 1, 2, 9, 9, 9]);
  assert.throws(() => getOp("aten.pad").infer([makeType("f32", [4])], { pads: [4, 0], mode: "reflect" }), /reflect/);
});

test("slice with steps", () => {
  assert.deepEqual([...run1("aten.slice_copy", [t([10], iota(10))], { dim: 0, start: 1, end: 8, step: 3 }).data], [1, 4, 7]);
  const s = run1("aten.slice_copy", [t([2, 5], iota(10))], { dim: 1, start: 0, end: 5, step: 2 });
  assert.deepEqual(s.shape, [2, 3]);
  assert.deepEqual([...s.data], [0, 2, 4, 5, 7, 9]);
  assert.deepEqual(run1("aten.slice_copy", [t([4], iota(4))], { dim: 0, start: 3, end: 2, step: 1 }).shape, [0]);
});

test("view_copy with -1, permute_copy, clone", () => {
  const v = run1("aten.view_copy", [t([2, 3], iota(6))], { size: [3, -1] });
  assert.deepEqual(v.shape, [3, 2]);
  const p = run1("aten.permute_copy", [t([2, 3], iota(6))], { dims: [1, 0] });
  assert.deepEqual(p.shape, [3, 2]);
  assert.deepEqual([...p.data], [0, 3, 1, 4, 2, 5]);
  const p3 = run1("aten.permute_copy", [t([1, 2, 3], iota(6))], { dims: [0, 2, 1] });
  assert.deepEqual([...p3.data], [0, 3, 1, 4, 2, 5]);
  assert.deepEqual([...run1("aten.clone", [t([2], [5, 6], "i8")]).data], [5, 6]);
  assert.throws(() => getOp("aten.view_copy").infer([makeType("f32", [2, 3])], { size: [4, -1] }), /cannot view/);
});

test("cat and split_with_sizes_copy along dim 1", () => {
  const c = run1("aten.cat", [t([2, 1], [1, 2]), t([2, 2], [3, 4, 5, 6])], { dim: 1 });
  assert.deepEqual(c.shape, [2, 3]);
  assert.deepEqual([...c.data], [1, 3, 4, 2, 5, 6]);
  const [a, b] = run("aten.split_with_sizes_copy", [c], { split_sizes: [2, 1], dim: 1 });
  assert.deepEqual([...a!.data], [1, 3, 2, 5]);
  assert.deepEqual([...b!.data], [4, 6]);
});

test("index_select with i64 indices (negative allowed)", () => {
  const y = run1("aten.index_select", [t([3, 2], iota(6)), t([2], [2, -3], "i64")], { dim: 0 });
  assert.deepEqual([...y.data], [4, 5, 0, 1]);
  assert.throws(() => getOp("aten.index_select").infer([makeType("f32", [3]), makeType("f32", [1])], { dim: 0 }), /integer/);
});

test("_to_copy truncates toward zero and maps to bool", () => {
  const i = run1("aten._to_copy", [t([3], [1.7, -1.7, 0.2])], { dtype: "i64" });
  assert.equal(i.dtype, "i64");
  assert.deepEqual([...i.data], [1, -1, 0]);
  assert.deepEqual([...run1("aten._to_copy", [t([3], [1.7, 0, -2])], { dtype: "bool" }).data], [1, 0, 1]);
  assert.deepEqual([...run1("aten._to_copy", [t([2], [3, 4], "i64")], { dtype: "f32" }).data], [3, 4]);
});
