// Which float kernel (clg_unary_op / clg_binary_op) computes which op, and its
// float parameters: one table for the simulator and the C emitter.
type Attrs = Record<string, unknown>;

export interface UnaryRow {
  kernel: string;
  params?: (attrs: Attrs) => [number, number];
}

export const FLOAT_UNARY_OPS: Readonly<Record<string, UnaryRow>> = {
  "aten.abs": { kernel: "CLG_ABS" },
  "aten.neg": { kernel: "CLG_NEG" },
  "aten.exp": { kernel: "CLG_EXP" },
  "aten.log": { kernel: "CLG_LOG" },
  "aten.sqrt": { kernel: "CLG_SQRT" },
  "aten.relu": { kernel: "CLG_RELU" },
  "aten.sigmoid": { kernel: "CLG_SIGMOID" },
  "aten.tanh": { kernel: "CLG_TANH" },
  "aten.silu": { kernel: "CLG_SILU" },
  "aten.hardswish": { kernel: "CLG_HARDSWISH" },
  "aten.hardsigmoid": { kernel: "CLG_HARDSIGMOID" },
  "aten.leaky_relu": { kernel: "CLG_LEAKY_RELU", params: (a) => [(a.negative_slope as number | undefined) ?? 0.01, 0] },
  "aten.hardtanh": { kernel: "CLG_HARDTANH", params: (a) => [(a.min_val as number | undefined) ?? -1, (a.max_val as number | undefined) ?? 1] },
};

/** The unary kernel's parameters as floats (the C takes floats). */
export function unaryParams(op: string, attrs: Attrs): [number, number] {
  const p = FLOAT_UNARY_OPS[op]!.params?.(attrs) ?? [0, 0];
  return [Math.fround(p[0]), Math.fround(p[1])];
}

export const FLOAT_BINARY_OPS: Readonly<Record<string, string>> = {
  "aten.add": "CLG_ADD", "aten.sub": "CLG_SUB", "aten.mul": "CLG_MUL", "aten.div": "CLG_DIV",
  "aten.pow": "CLG_POW", "aten.maximum": "CLG_MAXIMUM", "aten.minimum": "CLG_MINIMUM",
};
