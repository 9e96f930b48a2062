import { test } from "node:test";
import assert from "node:assert/strict";
import { run1, t } from "../../../test/support/op_run.js";
import { getOp } from "../../ir/registry.js";
import { makeType } from "../../ir/graph.js";

const OP = "dim_order_ops._clone_dim_order";

test("_clone_dim_order sets the output dim_order and keeps logical values", () => {
  const [ty] = getOp(OP).infer([makeType("f32", [1, 2, 3, 4])], { dim_order: [0, 2, 3, 1] });
  assert.deepEqual(ty!.dimOrder, [0, 2, 3, 1]);
  assert.deepEqual(ty!.shape, [1, 2, 3, 4]);
  assert.equal(ty!.qparams, undefined);
  const y = run1(OP, [t([1, 2, 1, 1], [7, 8])], { dim_order: [0, 2, 3, 1] });
  assert.deepEqual([...y.data], [7, 8]);
  assert.throws(() => getOp(OP).infer([makeType("f32", [1, 2])], { dim_order: [0, 0] }), /permutation/);
  assert.ok(getOp(OP).unaryElementwise && getOp(OP).dataMovement);
});
