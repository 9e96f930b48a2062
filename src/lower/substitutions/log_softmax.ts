// log_softmax in an integer-only build (its quant pattern is integerOnly):
// cortex_m.log_softmax, an own integer loop that subtracts each row's
// log-sum-exp (from compile-time Q16 tables, src/kernels/log_softmax_s8.ts)
// from the scaled differences to the row's max. arm_softmax_s8 followed by a
// log table would be all CMSIS-NN but cannot serve: its probabilities are on
// a 1/256 grid, so a wide row (Wav2Letter's 4096 classes, p ≈ 1/4096 each)
// reads p = 0 everywhere and every log-probability becomes one clamped value.
//
// The loop works on rows of the last dim. Over another dim (Wav2Letter: dim
// 1, the classes of an NCW output) the reduced dim is moved last by a
// permute_copy and moved back after. Those permutes are byte moves the
// layout clean-up removes when the producer already stores the dim
// innermost: a conv's channels-last output holds exactly the bytes of the
// first permute (FoldReinterpretView follows permutes), so the loop reads the
// conv's result in place and only the permute back to the caller's order is
// left, the relayout a float build does at the same place.
import type { Graph, Node } from "../../ir/graph.js";
import { logSoftmaxTables } from "../../kernels/log_softmax_s8.js";
import { LOG_SOFTMAX } from "../../ops/softmax/softmax.js";
import { LOG_SOFTMAX as CORTEX_M_LOG_SOFTMAX } from "../../ops/cortex_m/log_softmax.js";
import { PERMUTE_COPY } from "../../ops/shape/permute.js";
import { matchQuantized, replacePattern } from "../match.js";
import { registerSubstitution } from "./registry.js";

function lowerLogSoftmax(g: Graph, node: Node): string | null {
  const m = matchQuantized(g, node, [0]);
  if (!m) return "no int8 kernel outside --integer-only (there: an integer log-sum-exp loop); runs in float";
  const x = m.inputs[0]!;
  const rank = x.value.rank;
  const dim = normDim(node.attrs.dim as number, rank);
  if (dim === null) return `log_softmax over dim ${node.attrs.dim} of a rank-${rank} tensor`;
  const t = logSoftmaxTables(x.q.scale[0]!, m.outQ.scale[0]!);
  // The loop's int32 bounds (checked again by the op's decode): an output scale this fine stays float.
  if (t.log2Step > 2 ** 26) return `output scale ${m.outQ.scale[0]} is too fine for the integer log-sum-exp`;
  // Rows of the reduced dim: the dim moved last (swapped with the last: the permutation is its own inverse).
  const perm = Array.from({ length: rank }, (_, i) => (i === dim ? rank - 1 : i === rank - 1 ? dim : i));
  const moved = dim !== rank - 1;
  let rows = x.value;
  if (moved) {
    rows = g.op(PERMUTE_COPY.name, [x.value], { dims: perm }, { before: node, name: `${node.name}_to_last` });
    rows.type.qparams = x.q;
  }
  const tables = [
    g.addConst(`${node.name}_exp_q16`, "i32", [256], t.exp),
    g.addConst(`${node.name}_diff_q16`, "i32", [256], t.diff),
    g.addConst(`${node.name}_log_q16`, "i32", [t.log.length], t.log),
  ];
  const y = g.op(CORTEX_M_LOG_SOFTMAX.name, [rows, ...tables], { log2_step: t.log2Step, zero_point: m.outQ.zeroPoint[0]! },
    { before: node, name: moved ? `${node.name}_rows` : node.name });
  if (!moved) {
    replacePattern(g, m, y);
    return null;
  }
  y.type.qparams = m.outQ;
  const back = g.op(PERMUTE_COPY.name, [y], { dims: perm }, { before: node, name: `${node.name}_from_last` });
  replacePattern(g, m, back);
  return null;
}

/** `dim` in [0, rank) (negative counts from the end), or null when out of range. */
function normDim(dim: number, rank: number): number | null {
  const d = dim < 0 ? dim + rank : dim;
  return Number.isInteger(d) && d >= 0 && d < rank ? d : null;
}

registerSubstitution(LOG_SOFTMAX, lowerLogSoftmax);
