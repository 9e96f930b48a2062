// Activation functions as a table of scalar formulas (PyTorch definitions).
import { defineUnary, type UnaryFn } from "../elementwise/unary.js";
import type { Attrs } from "../../ir/graph.js";
import { attrNum, attrNumOrNull } from "../common.js";
import { erf } from "./erf.js";

const sigmoid: UnaryFn = (x) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

const PLAIN: Record<string, UnaryFn> = {
  "aten.relu": (x) => (x > 0 ? x : 0),
  "aten.sigmoid": sigmoid,
  "aten.tanh": Math.tanh,
  "aten.silu": (x) => x * sigmoid(x),
  // hardswish(x) = x * relu6(x + 3) / 6
  "aten.hardswish": (x) => (x * clamp(x + 3, 0, 6)) / 6,
  // hardsigmoid(x) = clamp(x/6 + 1/2, 0, 1)
  "aten.hardsigmoid": (x) => clamp(x / 6 + 0.5, 0, 1),
  "aten.gelu": (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
};

for (const [name, f] of Object.entries(PLAIN)) defineUnary(name, () => f);

const WITH_ATTRS: Record<string, (a: Attrs) => UnaryFn> = {
  "aten.leaky_relu": (a) => {
    const s = attrNum("aten.leaky_relu", a, "negative_slope", 0.01);
    return (x) => (x >= 0 ? x : x * s);
  },
  "aten.hardtanh": (a) => {
    const lo = attrNum("aten.hardtanh", a, "min_val", -1);
    const hi = attrNum("aten.hardtanh", a, "max_val", 1);
    return (x) => clamp(x, lo, hi);
  },
  "aten.clamp": (a) => {
    const lo = attrNumOrNull("aten.clamp", a, "min") ?? -Infinity;
    const hi = attrNumOrNull("aten.clamp", a, "max") ?? Infinity;
    return (x) => (Number.isNaN(x) ? x : Math.min(Math.max(x, lo), hi));
  },
};

for (const [name, make] of Object.entries(WITH_ATTRS)) defineUnary(name, make);
