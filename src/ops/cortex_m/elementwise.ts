// Elementwise int8 ops of the cortex_m dialect: quantized_add / quantized_mul
// (arm_elementwise_add_s8 / _mul_s8), quantized_maximum / _minimum (arm_maximum_s8
// / arm_minimum_s8), clamp and the 256-entry lookup-table activation. They run over the output's physical order on equal shapes, so
// their results do not depend on layout and may overwrite an input in place.
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { defineOp, type OpTraits } from "../../ir/registry.js";
import type { Activation, AddS8Params, Dims, MulS8Params } from "../../kernels/index.js";
import { activationAttr, fail, intAttr, operand } from "./decode.js";
import { need } from "./shapes.js";

const same = (t: TensorType): TensorType => makeType(t.dtype, t.shape, t.dimOrder);

/** Two int8 operands of the output's shape (no broadcasting in these kernels). */
function binaryOperands(node: Node): { a: Value; b: Value; size: number } {
  const a = operand(node, 0, "first input", "i8");
  const b = operand(node, 1, "second input", "i8");
  const y = node.output;
  if (a.shape.join() !== y.shape.join() || b.shape.join() !== y.shape.join()) {
    fail(node, `needs equal shapes, got [${a.shape}], [${b.shape}] → [${y.shape}]`);
  }
  return { a, b, size: y.numel };
}

function binaryShape(name: string) {
  return ([a, b]: (TensorType | null)[]): TensorType[] => {
    const at = need(a, "a");
    const bt = need(b, "b");
    if (at.shape.join() !== bt.shape.join()) throw new IRError(`${name} needs equal shapes, got [${at.shape}] and [${bt.shape}]`);
    return [same(at)];
  };
}

const BINARY_TRAITS: OpTraits = { inPlace: [0, 1], layoutAgnostic: [0, 1] };
const UNARY_TRAITS: OpTraits = { inPlace: [0], layoutAgnostic: [0], fusableUnary: true };

/** The record of a two-input kernel: its parameter block, the element count (block_size), the operands. */
export interface BinaryParams<K> {
  kernel: K;
  size: number;
  operands: { a: Value; b: Value };
}
export type AddParams = BinaryParams<AddS8Params>;
export type MulParams = BinaryParams<MulS8Params>;

/** An equal-shape int8 binary op whose parameter block is read by `block` (activation range checked here). */
function binarySpec<K>(name: string, block: (int: (key: string) => number, act: Activation) => K) {
  return defineOp<BinaryParams<K>>({
    name,
    traits: BINARY_TRAITS,
    infer: binaryShape(name),
    decode: (node) => {
      const { a, b, size } = binaryOperands(node);
      return { kernel: block((k) => intAttr(node, k), activationAttr(node)), size, operands: { a, b } };
    },
  });
}

export const QUANTIZED_ADD = binarySpec<AddS8Params>("cortex_m.quantized_add", (n, act) => ({
  input1Offset: n("input1_offset"), input1Mult: n("input1_multiplier"), input1Shift: n("input1_shift"),
  input2Offset: n("input2_offset"), input2Mult: n("input2_multiplier"), input2Shift: n("input2_shift"),
  leftShift: n("left_shift"),
  outOffset: n("output_offset"), outMult: n("output_multiplier"), outShift: n("output_shift"),
  outActivationMin: act.min, outActivationMax: act.max,
}));

export const QUANTIZED_MUL = binarySpec<MulS8Params>("cortex_m.quantized_mul", (n, act) => ({
  input1Offset: n("input1_offset"), input2Offset: n("input2_offset"),
  outOffset: n("output_offset"), outMult: n("output_multiplier"), outShift: n("output_shift"),
  outActivationMin: act.min, outActivationMax: act.max,
}));

export interface ClampParams {
  activation: Activation;
  size: number;
  /** int8, or int16 (a clamp after an int16 producer, e.g. relu after an s16 LSTM in an integer-only build). */
  dtype: "i8" | "i16";
  operands: { input: Value };
}

/** An int8 or int16 clamp on one grid (input and output share their parameters). */
export const CLAMP = defineOp<ClampParams>({
  name: "cortex_m.clamp",
  unaryElementwise: true,
  traits: UNARY_TRAITS,
  infer: ([x]) => [same(need(x, "x"))],
  decode: (node) => {
    const dtype = node.inputs[0]?.dtype === "i16" ? "i16" : "i8";
    return {
      activation: activationAttr(node, dtype),
      size: node.output.numel,
      dtype,
      operands: { input: operand(node, 0, "input", dtype) },
    };
  },
});

export interface LutParams {
  /** The float function the table was built from (for reports). */
  fn: string;
  size: number;
  operands: { input: Value; table: Value };
}

/** y[i] = table[x[i] + 128]: a unary function tabulated at compile time (LUT_FUNCTIONS in the lowering). */
export const QUANTIZED_ACTIVATION = defineOp<LutParams>({
  name: "cortex_m.quantized_activation",
  unaryElementwise: true,
  traits: UNARY_TRAITS,
  infer: ([x]) => [same(need(x, "x"))],
  decode: (node) => {
    const input = operand(node, 0, "input", "i8");
    const table = operand(node, 1, "table", "i8");
    if (table.numel !== 256) fail(node, `the table must hold 256 entries, has ${table.numel}`);
    const fn = node.attrs.function;
    if (fn !== undefined && typeof fn !== "string") fail(node, `attribute function must be a string, got ${JSON.stringify(fn)}`);
    return { fn: fn ?? "table", size: node.output.numel, operands: { input, table } };
  },
});

// cortex_m.quantized_maximum / quantized_minimum → arm_maximum_s8 / arm_minimum_s8.
// Neither kernel requantizes: both operands and the result carry one parameter
// set (the quantizer's shared-parameter role for aten.maximum / minimum), so
// comparing bytes compares values. Operands: [a, b] of the output's shape, or
// b with one element (a constant floor / ceiling) — the two cases the real
// library broadcasts correctly (test/vectors/minmax_s8 records one it does not).
export interface MinMaxParams {
  kernel: "arm_maximum_s8" | "arm_minimum_s8";
  max: boolean;
  /** Flat [1,1,1,n] dims: equal shapes need no geometry, a one-element b is [1,1,1,1]. */
  input1: Dims;
  input2: Dims;
  output: Dims;
  operands: { a: Value; b: Value };
}

const flat = (n: number): Dims => ({ n: 1, h: 1, w: 1, c: n });

function minMaxSpec(name: string, max: boolean) {
  return defineOp<MinMaxParams>({
    name,
    // Elementwise in its first operand (the second has its shape or one element, see infer): view chains may be
    // reshaped through it, which keeps a conv1d → max → conv1d chain free of layout ops.
    unaryElementwise: true,
    // Input 0 is read in the output's order (b is relaid, or is one element), so the op keeps any layout; the
    // result may overwrite an operand of its own size and layout (the planner checks both).
    traits: { layoutAgnostic: [0], fusableUnary: true, inPlace: [0, 1] },
    infer: ([a, b]) => {
      const at = need(a, "a");
      const bt = need(b, "b");
      const nb = bt.shape.reduce((x, y) => x * y, 1);
      if (nb !== 1 && at.shape.join() !== bt.shape.join()) {
        throw new IRError(`${name} needs equal shapes or a one-element second operand, got [${at.shape}] and [${bt.shape}]`);
      }
      return [makeType(at.dtype, at.shape, at.dimOrder)];
    },
    decode: (node) => {
      const a = operand(node, 0, "first input", "i8");
      const b = operand(node, 1, "second input", "i8");
      const y = node.output;
      if (y.dtype !== "i8") fail(node, `output must be i8, got ${y.dtype}`);
      if (a.numel !== y.numel) fail(node, `first input [${a.shape}] does not fill the output [${y.shape}]`);
      if (b.numel !== y.numel && b.numel !== 1) fail(node, `second input [${b.shape}] is neither the output's size nor one element`);
      return {
        kernel: max ? "arm_maximum_s8" : "arm_minimum_s8", max,
        input1: flat(a.numel), input2: flat(b.numel), output: flat(y.numel),
        operands: { a, b },
      };
    },
  });
}

export const QUANTIZED_MAXIMUM = minMaxSpec("cortex_m.quantized_maximum", true);
export const QUANTIZED_MINIMUM = minMaxSpec("cortex_m.quantized_minimum", false);
