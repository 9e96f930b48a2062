// cortex_m.quantized_linear → arm_fully_connected_s8 over rows = numel / K.
// Operands: [input, weight [O, K], bias | null, kernel sums | null]. The MVE
// kernel reads bias + input_offset·Σw ("kernel sums", made by the lowering for
// MVE builds) from its ctx and ignores bias; pure C / DSP read bias.
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { Activation } from "../../kernels/types.js";
import { activationAttr, fail, intAttr, operand, optionalOperand } from "./decode.js";
import { need } from "./shapes.js";

export interface LinearParams {
  /** Rows of K inputs (every dim but the last, flattened). */
  rows: number;
  k: number;
  /** Output features. */
  o: number;
  inputOffset: number;
  filterOffset: number;
  outputOffset: number;
  activation: Activation;
  /** Per-tensor requantization. */
  multiplier: number;
  shift: number;
  operands: { input: Value; weight: Value; bias: Value | null; kernelSums: Value | null };
}

function decodeLinear(node: Node): LinearParams {
  const x = operand(node, 0, "input", "i8");
  const w = operand(node, 1, "weight", "i8");
  if (x.rank < 1) fail(node, "input must have at least one dim");
  const k = x.shape[x.rank - 1]!;
  if (w.rank !== 2 || w.shape[1] !== k) fail(node, `weight [${w.shape}] does not match input [${x.shape}]`);
  const o = w.shape[0]!;
  const y = node.output;
  const rows = k === 0 ? 0 : x.numel / k;
  if (y.numel !== rows * o) fail(node, `output [${y.shape}] does not hold ${rows} rows of ${o}`);
  const bias = optionalOperand(node, 2, "bias", "i32");
  if (bias && bias.numel !== o) fail(node, `needs ${o} bias values, has ${bias.numel}`);
  const kernelSums = optionalOperand(node, 3, "kernel sums", "i32");
  if (kernelSums && kernelSums.numel !== o) fail(node, `needs ${o} kernel sums, has ${kernelSums.numel}`);
  return {
    rows, k, o,
    inputOffset: intAttr(node, "input_offset"),
    filterOffset: intAttr(node, "filter_offset"),
    outputOffset: intAttr(node, "output_offset"),
    activation: activationAttr(node),
    multiplier: intAttr(node, "multiplier"),
    shift: intAttr(node, "shift"),
    operands: { input: x, weight: w, bias, kernelSums },
  };
}

export const QUANTIZED_LINEAR = defineOp<LinearParams>({
  name: "cortex_m.quantized_linear",
  infer: ([x, w]) => {
    const xt = need(x, "input");
    const wt = need(w, "weight");
    const k = xt.shape[xt.shape.length - 1];
    if (wt.shape.length !== 2 || wt.shape[1] !== k) throw new IRError(`linear weight [${wt.shape}] does not match input [${xt.shape}]`);
    return [makeType("i8", [...xt.shape.slice(0, -1), wt.shape[0]!])];
  },
  decode: decodeLinear,
});
