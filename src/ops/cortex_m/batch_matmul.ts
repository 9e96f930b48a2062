// cortex_m.quantized_batch_matmul → arm_batch_matmul_s8: per batch, every
// row of lhs [M, K] times every row of the transposed rhs [N, K] (the kernel
// takes the right operand transposed, "row × row"), one per-tensor
// requantization, no bias. Operands: [lhs, rhs transposed, scratch]. The MVE
// build keeps N int32 row sums of rhs in its ctx buffer; the others take none.
import { IRError } from "../../ir/errors.js";
import { makeType, type Node, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { Activation } from "../../kernels/types.js";
import { activationAttr, fail, intAttr, operand } from "./decode.js";
import { need } from "./shapes.js";

export interface BatchMatmulParams {
  /** Matrices (every dim but the last two, flattened), rows of lhs, rows of rhs (= output columns), the shared depth. */
  batches: number;
  m: number;
  n: number;
  k: number;
  lhsOffset: number;
  rhsOffset: number;
  outputOffset: number;
  activation: Activation;
  multiplier: number;
  shift: number;
  operands: { lhs: Value; rhs: Value; scratch: Value | null };
}

/** [..., M, K] × [..., N, K] → [..., M, N] with equal leading dims. */
function outShape(lhs: readonly number[], rhs: readonly number[]): number[] | string {
  if (lhs.length < 2 || lhs.length !== rhs.length) return `needs two operands of one rank ≥ 2, got [${lhs}] and [${rhs}]`;
  const r = lhs.length;
  if (lhs.slice(0, r - 2).join() !== rhs.slice(0, r - 2).join()) return `batch dims differ: [${lhs}] and [${rhs}]`;
  if (lhs[r - 1] !== rhs[r - 1]) return `depths differ: [${lhs}] and [${rhs}] (rhs is transposed: [..., N, K])`;
  return [...lhs.slice(0, r - 1), rhs[r - 2]!];
}

function decodeBatchMatmul(node: Node): BatchMatmulParams {
  const lhs = operand(node, 0, "lhs", "i8");
  const rhs = operand(node, 1, "rhs (transposed)", "i8");
  const shape = outShape(lhs.shape, rhs.shape);
  if (typeof shape === "string") fail(node, shape);
  if (node.output.shape.join() !== shape.join()) fail(node, `output [${node.output.shape}] is not [${shape}]`);
  const r = lhs.rank;
  const m = lhs.shape[r - 2]!;
  const k = lhs.shape[r - 1]!;
  const n = rhs.shape[r - 2]!;
  const scratch = node.inputs[2] ?? null;
  return {
    batches: m * k === 0 ? 0 : lhs.numel / (m * k), m, n, k,
    lhsOffset: intAttr(node, "lhs_offset"),
    rhsOffset: intAttr(node, "rhs_offset"),
    outputOffset: intAttr(node, "output_offset"),
    activation: activationAttr(node),
    multiplier: intAttr(node, "multiplier"),
    shift: intAttr(node, "shift"),
    operands: { lhs, rhs, scratch },
  };
}

export const QUANTIZED_BATCH_MATMUL = defineOp<BatchMatmulParams>({
  name: "cortex_m.quantized_batch_matmul",
  infer: ([a, b]) => {
    const at = need(a, "lhs");
    const bt = need(b, "rhs");
    const shape = outShape(at.shape, bt.shape);
    if (typeof shape === "string") throw new IRError(`cortex_m.quantized_batch_matmul ${shape}`);
    return [makeType("i8", shape)];
  },
  decode: decodeBatchMatmul,
});
