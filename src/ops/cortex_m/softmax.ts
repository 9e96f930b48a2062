// cortex_m.softmax → arm_softmax_s8 over rows of the last logical dim; the
// output is on the fixed grid scale 1/256, zero point -128.
import { makeType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { fail, intAttr, operand } from "./decode.js";
import { need } from "./shapes.js";

export interface SoftmaxParams {
  /** Rows (every dim but the last, flattened) and their length. */
  rows: number;
  rowSize: number;
  /** Input scale as a Q31 multiplier and shift (5 integer bits), and the smallest difference that still counts. */
  multiplier: number;
  shift: number;
  diffMin: number;
  operands: { input: Value };
}

export const SOFTMAX = defineOp<SoftmaxParams>({
  name: "cortex_m.softmax",
  infer: ([x]) => {
    const t = need(x, "x");
    return [makeType(t.dtype, t.shape, t.dimOrder)];
  },
  decode: (node) => {
    const input = operand(node, 0, "input", "i8");
    if (node.output.dtype !== "i8") fail(node, `output must be i8, got ${node.output.dtype}`);
    const r = input.rank;
    const rowSize = r === 0 ? 1 : input.shape[r - 1]!;
    return {
      rows: rowSize === 0 ? 0 : input.numel / rowSize,
      rowSize,
      multiplier: intAttr(node, "multiplier"),
      shift: intAttr(node, "shift"),
      diffMin: intAttr(node, "diff_min"),
      operands: { input },
    };
  },
});
