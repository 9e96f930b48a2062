import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";
import { erf } from "../activation/erf.js";
import { getOp } from "../../ir/registry.js";
import { makeType } from "../../ir/graph.js";

test("add broadcasts [2,1,3] + [4,1] -> [2,4,3]", () => {
  const a = [1, 2, 3, 4, 5, 6];
  const b = [10, 20, 30, 40];
  const y = run1("aten.add", [t([2, 1, 3], a), t([4, 1], b)]);
  assert.deepEqual(y.shape, [2, 4, 3]);
  const exp: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) exp.push(a[i * 3 + k]! + b[j]!);
  assertClose(y.data, exp);
});

test("binary table: sub/mul/div/pow/maximum/minimum with a rank-0 operand", () => {
  const x = t([3], [1, -2, 4]);
  const s = t([], [2]);
  assertClose(run1("aten.sub", [x, s]).data, [-1, -4, 2]);
  assertClose(run1("aten.mul", [x, s]).data, [2, -4, 8]);
  assertClose(run1("aten.div", [x, s]).data, [0.5, -1, 2]);
  assertClose(run1("aten.pow", [x, s]).data, [1, 4, 16]);
  assertClose(run1("aten.maximum", [x, t([], [0])]).data, [1, 0, 4]);
  assertClose(run1("aten.minimum", [x, t([], [0])]).data, [0, -2, 0]);
});

test("integer div truncates toward zero (i64 shape arithmetic)", () => {
  const y = run1("aten.div", [t([2], [7, -7], "i64"), t([1], [2], "i64")]);
  assert.equal(y.dtype, "i64");
  assert.deepEqual([...y.data], [3, -3]);
});

test("eq / logical_not / where", () => {
  const e = run1("aten.eq", [t([3], [1, 2, 3], "i64"), t([], [2], "i64")]);
  assert.equal(e.dtype, "bool");
  assert.deepEqual([...e.data], [0, 1, 0]);
  assert.deepEqual([...run1("aten.logical_not", [e]).data], [1, 0, 1]);
  const w = run1("aten.where", [e, t([3], [7, 8, 9], "i64"), t([], [-1], "i64")]);
  assert.deepEqual([...w.data], [-1, 8, -1]);
});

test("unary table: abs neg exp log sqrt", () => {
  assertClose(run1("aten.abs", [t([2], [-1.5, 2])]).data, [1.5, 2]);
  assertClose(run1("aten.neg", [t([2], [-1.5, 2])]).data, [1.5, -2]);
  assertClose(run1("aten.exp", [t([2], [0, 1])]).data, [1, 2.718281828]);
  assertClose(run1("aten.log", [t([2], [1, Math.E])]).data, [0, 1]);
  assertClose(run1("aten.sqrt", [t([2], [4, 2])]).data, [2, 1.41421356]);
});

test("shape rule rejects non-broadcastable shapes", () => {
  assert.throws(() => getOp("aten.add").infer([makeType("f32", [2, 3]), makeType("f32", [4])], {}), /do not broadcast/);
});

test("erf matches tabulated values", () => {
  // Abramowitz & Stegun table 7.1 values
  assertClose([erf(0), erf(0.5), erf(1), erf(2), erf(3), erf(-1.5)], [0, 0.5204998778, 0.8427007929, 0.9953222650, 0.9999779095, -0.9661051465], 1e-9);
});

test("lt / le / logical_and / logical_or broadcast to bool", () => {
  const x = t([2, 2], [2, 2, 3, 4]);
  const s = t([2], [2, 3]);
  const lt = run1("aten.lt", [x, s]);
  assert.equal(lt.dtype, "bool");
  assert.deepEqual([...lt.data], [0, 1, 0, 0]);
  assert.deepEqual([...run1("aten.le", [x, s]).data], [1, 1, 0, 0]);
  assert.deepEqual([...run1("aten.logical_and", [t([4], [0, 1, 1, 0], "bool"), t([], [1], "bool")]).data], [0, 1, 1, 0]);
  assert.deepEqual([...run1("aten.logical_or", [t([4], [0, 1, 1, 0], "bool"), t([1], [0], "bool")]).data], [0, 1, 1, 0]);
});

test("erf and sum (the catalog's float64 references)", () => {
  assertClose(run1("aten.erf", [t([3], [0, 1, -0.5])]).data, [0, erf(1), -erf(0.5)], 1e-7);
  const y = run1("aten.sum", [t([2, 3], [1, 2, 3, 4, 5, 6])], { dims: [1], keepdim: false });
  assert.deepEqual(y.shape, [2]);
  assertClose(y.data, [6, 15]);
});
