// Activation functions: one spec each, the scalar formula (PyTorch
// definitions) plus how quantization and lowering treat the op.
import { defineUnary, type UnaryFn } from "../elementwise/unary.js";
import type { Attrs, Node } from "../../ir/graph.js";
import type { OpTraits } from "../../ir/registry.js";
import { attrNum, attrNumOrNull } from "../common.js";
import { erf, erfForTables } from "./erf.js";

const sigmoid: UnaryFn = (x) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/**
 * One-input, layout-blind: the layout clean-up keeps channels-last through an
 * activation, so it does not end a wrap/unwrap chain between convolutions.
 */
const ACTIVATION: OpTraits = { fusableUnary: true };

/** A LUT-lowered activation: any input range maps to an observed output range. */
const lutPattern = (name: string) => ({ name, inputs: ["act"], output: "observed", tails: [] } as const);

// Fixed output ranges of the TFLite int8 logistic / tanh kernels.
const SIGMOID_OUTPUT = { scale: 1 / 256, zeroPoint: -128 };
const TANH_OUTPUT = { scale: 1 / 128, zeroPoint: 0 };

// Clamps: a producer's requantization absorbs them as its activation tail
// (fused act_min/act_max); alone, they keep their input's grid.
export const RELU = defineUnary("aten.relu", () => (x) => (x > 0 ? x : 0), {
  traits: ACTIVATION,
  quant: { tail: { bounds: () => [0, null] }, sharesInputParams: true },
});

export const HARDTANH = defineUnary("aten.hardtanh", (a) => {
  const lo = attrNum("aten.hardtanh", a, "min_val", -1);
  const hi = attrNum("aten.hardtanh", a, "max_val", 1);
  return (x) => clamp(x, lo, hi);
}, {
  traits: ACTIVATION, // relu6 = hardtanh(0, 6)
  quant: { tail: { bounds: (a) => [a.min_val as number, a.max_val as number] }, sharesInputParams: true },
});

export const CLAMP = defineUnary("aten.clamp", (a) => {
  const lo = attrNumOrNull("aten.clamp", a, "min") ?? -Infinity;
  const hi = attrNumOrNull("aten.clamp", a, "max") ?? Infinity;
  return (x) => (Number.isNaN(x) ? x : Math.min(Math.max(x, lo), hi));
}, {
  traits: ACTIVATION,
  quant: {
    tail: {
      when: (n: Node) => typeof n.attrs["min"] === "number" || typeof n.attrs["max"] === "number",
      bounds: (a) => [(a.min as number | null) ?? null, (a.max as number | null) ?? null],
    },
    sharesInputParams: true,
  },
});

// hardsigmoid(x) = clamp(x/6 + 1/2, 0, 1): as a tail the producer requantizes
// to scale 6·s with a shifted zero point; alone, a lookup table.
export const HARDSIGMOID = defineUnary("aten.hardsigmoid", () => (x) => clamp(x / 6 + 0.5, 0, 1), {
  traits: ACTIVATION,
  quant: {
    tail: { bounds: () => [0, 1], affine: { divisor: 6, offset: 0.5 } },
    patterns: [lutPattern("hardsigmoid")],
    lut: () => (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  },
});

/** Every activation tail, in the order patterns list them (a requantizing producer absorbs each). */
export const ACTIVATION_TAILS: readonly string[] = [RELU.name, HARDTANH.name, HARDSIGMOID.name, CLAMP.name];
/** The tails that are a plain clamp (no affine part): producers that cannot move their scale absorb only these. */
export const CLAMP_TAILS: readonly string[] = [RELU.name, HARDTANH.name, CLAMP.name];

export const SIGMOID = defineUnary("aten.sigmoid", () => sigmoid, {
  traits: ACTIVATION,
  quant: {
    patterns: [{ name: "sigmoid", inputs: ["act"], output: { fixed: SIGMOID_OUTPUT }, tails: [] }],
    lut: () => (x) => 1 / (1 + Math.exp(-x)),
  },
});

export const TANH = defineUnary("aten.tanh", () => Math.tanh, {
  traits: ACTIVATION,
  quant: { patterns: [{ name: "tanh", inputs: ["act"], output: { fixed: TANH_OUTPUT }, tails: [] }], lut: () => Math.tanh },
});

export const SILU = defineUnary("aten.silu", () => (x) => x * sigmoid(x), {
  traits: ACTIVATION,
  quant: { patterns: [lutPattern("silu")], lut: () => (x) => x / (1 + Math.exp(-x)) },
});

// hardswish(x) = x * relu6(x + 3) / 6
export const HARDSWISH = defineUnary("aten.hardswish", () => (x) => (x * clamp(x + 3, 0, 6)) / 6, {
  traits: ACTIVATION,
  quant: { patterns: [lutPattern("hardswish")], lut: () => (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6 },
});

export const GELU = defineUnary("aten.gelu", () => (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)), {
  traits: ACTIVATION,
  quant: { patterns: [lutPattern("gelu")], lut: () => (x) => 0.5 * x * (1 + erfForTables(x / Math.SQRT2)) },
});

// ONNX Erf alone (exporters write GELU as x/2·(1 + erf(x/√2)) when they do not fuse it).
export const ERF = defineUnary("aten.erf", () => (x) => erf(x), {
  traits: ACTIVATION,
  quant: { patterns: [lutPattern("erf")], lut: () => (x) => erfForTables(x) },
});

// One formula for the float op and its table: x, or x times the node's slope below 0.
const leaky = (a: Attrs): UnaryFn => {
  const s = attrNum("aten.leaky_relu", a, "negative_slope", 0.01);
  return (x) => (x >= 0 ? x : x * s);
};
export const LEAKY_RELU = defineUnary("aten.leaky_relu", leaky, {
  traits: ACTIVATION,
  // The table samples the slope of this node, and the lowered node keeps it (lutAttrs).
  quant: { patterns: [lutPattern("leaky_relu")], lut: leaky, lutAttrs: ["negative_slope"] },
});
