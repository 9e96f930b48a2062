// Small helpers for op unit tests (not a test file itself).
import "../../src/ops/index.js";
import assert from "node:assert/strict";
import type { Attrs } from "../../src/ir/graph.js";
import { makeType } from "../../src/ir/graph.js";
import type { DType } from "../../src/ir/dtype.js";
import { getOp } from "../../src/ir/registry.js";
import { makeTensor, type Tensor } from "../../src/ir/tensor.js";

export function t(shape: number[], data: ArrayLike<number>, dtype: DType = "f32"): Tensor {
  return makeTensor(dtype, shape, data);
}

/** Run an op's eval and check it against its own shape rule. */
export function run(op: string, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor[] {
  const def = getOp(op);
  const types = def.infer(inputs.map((x) => (x ? makeType(x.dtype, x.shape) : null)), attrs);
  const outs = def.eval!(inputs, attrs);
  assert.equal(outs.length, types.length, `${op}: eval/infer output counts`);
  outs.forEach((o, i) => {
    assert.deepEqual(o.shape, types[i]!.shape, `${op}: eval shape vs shape rule`);
    assert.equal(o.dtype, types[i]!.dtype, `${op}: eval dtype vs shape rule`);
  });
  return outs;
}

export function run1(op: string, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor {
  return run(op, inputs, attrs)[0]!;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, msg = ""): void {
  assert.equal(actual.length, expected.length, `${msg} length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (!(Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)))) assert.fail(`${msg} [${i}]: got ${a}, expected ${e}`);
  }
}
