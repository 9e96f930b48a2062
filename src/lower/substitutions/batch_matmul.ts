// Quantized aten.matmul of two activations (YOLO11n's C2PSA attention: q·kᵀ
// and v·attnᵀ) → cortex_m.quantized_batch_matmul (arm_batch_matmul_s8). The
// kernel multiplies rows by rows, so the right operand [..., K, N] is
// transposed to [..., N, K] first: by an int8 permute (a byte move) for
// an activation, at compile time for a constant. Only in an integer-only build
// for now: a default build keeps the float matmul between its dequantize and
// quantize, which measured no worse (see the commit that added this).
import type { Graph, Node, Value } from "../../ir/graph.js";
import { perTensor } from "../../ir/quant.js";
import { MATMUL_OP } from "../../ops/linear/linear.js";
import { QUANTIZED_BATCH_MATMUL } from "../../ops/cortex_m/batch_matmul.js";
import { permuted } from "./permuted.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import { matchQuantized, replacePattern } from "../match.js";
import type { LowerOptions } from "../options.js";
import { quantizeMultiplier } from "../qmath.js";
import { registerSubstitution } from "./registry.js";

/** [..., K, N] → [..., N, K] for a constant: the transposed copy, same parameters. */
function transposedConstant(g: Graph, c: Value, name: string): Value {
  const r = c.rank;
  const [k, n] = [c.shape[r - 2]!, c.shape[r - 1]!];
  const src = c.data as Int8Array;
  const dst = new Int8Array(src.length);
  for (let b = 0; b < src.length / (k * n); b++)
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) dst[b * k * n + j * k + i] = src[b * k * n + i * n + j]!;
  return g.addConst(name, "i8", [...c.shape.slice(0, r - 2), n, k], dst, c.type.qparams);
}

function lowerMatmul(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (!opts.integerOnly) return "runs in float between its dequantize and quantize outside --integer-only (there: arm_batch_matmul_s8)";
  const m = matchQuantized(g, node, [0, 1]);
  if (!m) return "not a quantized int8 pattern";
  const [a, b] = [m.inputs[0]!, m.inputs[1]!];
  if (a.q.scheme !== "per_tensor" || b.q.scheme !== "per_tensor") return "per-channel matmul operands are not lowered";
  const [as, bs] = [a.value.shape, b.value.shape];
  const r = as.length;
  if (r < 2 || bs.length !== r || as.slice(0, r - 2).join() !== bs.slice(0, r - 2).join()) {
    return `matmul [${as}] @ [${bs}]: only equal batch dims of rank ≥ 2 are lowered`;
  }
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  let rhs: Value;
  if (b.value.data) {
    rhs = transposedConstant(g, b.value, `${node.name}_rhs_t`);
  } else {
    rhs = permuted(g, b.value, perm, node, `${node.name}_rhs_t`);
  }
  const n = bs[r - 1]!;
  const scratch = g.op(SCRATCH.name, [], { bytes: opts.targetClass === "mve" ? 4 * n : 0 }, { before: node, name: `${node.name}_scratch` });
  const { multiplier, shift } = quantizeMultiplier((a.q.scale[0]! * b.q.scale[0]!) / m.outQ.scale[0]!);
  const y = g.op(QUANTIZED_BATCH_MATMUL.name, [a.value, rhs, scratch], {
    lhs_offset: -a.q.zeroPoint[0]!, rhs_offset: -b.q.zeroPoint[0]!, output_offset: m.outQ.zeroPoint[0]!,
    multiplier, shift, activation_min: m.outQ.qmin, activation_max: m.outQ.qmax,
  }, { before: node, name: node.name });
  y.type.qparams = perTensor(m.outQ.scale[0]!, m.outQ.zeroPoint[0]!, "i8", m.outQ.qmin, m.outQ.qmax);
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(MATMUL_OP, lowerMatmul);
