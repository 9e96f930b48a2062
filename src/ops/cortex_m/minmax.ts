// cortex_m.quantized_maximum / quantized_minimum → arm_maximum_s8 / arm_minimum_s8.
// Neither kernel requantizes: both operands and the result carry one parameter
// set (the quantizer's shared-parameter role for aten.maximum / minimum), so
// comparing bytes compares values. Operands: [a, b] of the output's shape, or
// b with one element (a constant floor / ceiling) — the two cases the real
// library broadcasts correctly (test/vectors/minmax_s8 records one it does not).
import { IRError } from "../../ir/errors.js";
import { makeType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { Dims } from "../../kernels/types.js";
import { fail, operand } from "./decode.js";
import { need } from "./shapes.js";

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
