import { test } from "node:test";
import { assertClose, run1, t } from "../../../test/support/op_run.js";

const x = t([5], [-4, -1, 0, 1, 4]);

test("relu / sigmoid / tanh / silu", () => {
  assertClose(run1("aten.relu", [x]).data, [0, 0, 0, 1, 4]);
  assertClose(run1("aten.sigmoid", [x]).data, [0.01798621, 0.26894142, 0.5, 0.73105858, 0.98201379]);
  assertClose(run1("aten.tanh", [x]).data, [-0.99932930, -0.76159416, 0, 0.76159416, 0.99932930]);
  assertClose(run1("aten.silu", [x]).data, [-0.07194484, -0.26894142, 0, 0.73105858, 3.92805516]);
});

test("hardswish / hardsigmoid (PyTorch definitions)", () => {
  // hardswish: x*relu6(x+3)/6 ; hardsigmoid: clamp(x/6+0.5, 0, 1)
  assertClose(run1("aten.hardswish", [x]).data, [0, -1 / 3, 0, 2 / 3, 4]);
  assertClose(run1("aten.hardsigmoid", [x]).data, [0, 1 / 3, 0.5, 2 / 3, 1]);
});

test("gelu exact (erf) form", () => {
  assertClose(run1("aten.gelu", [x]).data, [-0.00012669, -0.15865525, 0, 0.84134475, 3.99987331]);
});

test("leaky_relu / hardtanh / clamp attributes", () => {
  assertClose(run1("aten.leaky_relu", [x], { negative_slope: 0.1 }).data, [-0.4, -0.1, 0, 1, 4]);
  assertClose(run1("aten.hardtanh", [x], { min_val: 0, max_val: 2 }).data, [0, 0, 0, 1, 2]);
  assertClose(run1("aten.clamp", [x], { min: null, max: 0.5 }).data, [-4, -1, 0, 0.5, 0.5]);
  assertClose(run1("aten.clamp", [x], { min: -2, max: null }).data, [-2, -1, 0, 1, 4]);
});
