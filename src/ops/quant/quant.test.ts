import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";
import { roundHalfEven } from "./rounding.js";

const Q = "quantized_decomposed.quantize_per_tensor";
const DQ = "quantized_decomposed.dequantize_per_tensor";
const DQC = "quantized_decomposed.dequantize_per_channel";

test("roundHalfEven ties to even", () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49, 2.51].map(roundHalfEven).map((v) => v + 0), [0, 2, 2, 0, -2, -2, 0, 3]);
});

test("quantize_per_tensor rounds x/scale half-to-even, adds zp, clamps", () => {
  const a = { scale: 1, zero_point: 0, quant_min: -128, quant_max: 127, dtype: "i8" };
  const y = run1(Q, [t([6], [0.5, 1.5, 2.5, -0.5, 300, -300])], a);
  assert.equal(y.dtype, "i8");
  assert.deepEqual([...y.data], [0, 2, 2, 0, 127, -128]);
  // scale 0.5, zp 3: 0.25/0.5 = 0.5 -> 0 -> 3 ; 0.75/0.5 = 1.5 -> 2 -> 5
  const z = run1(Q, [t([2], [0.25, 0.75])], { ...a, scale: 0.5, zero_point: 3 });
  assert.deepEqual([...z.data], [3, 5]);
});

test("dequantize per tensor and per channel", () => {
  const a = { scale: 0.5, zero_point: -2, quant_min: -128, quant_max: 127, dtype: "i8" };
  const y = run1(DQ, [t([3], [-2, 0, 10], "i8")], a);
  assert.equal(y.dtype, "f32");
  assertClose(y.data, [0, 1, 6]);
  const c = run1(DQC, [t([2, 2], [1, 2, 3, 4], "i8")], { scales: [0.5, 2], zero_points: [0, 1], axis: 0, quant_min: -127, quant_max: 127, dtype: "i8" });
  assertClose(c.data, [0.5, 1, 4, 6]);
});
