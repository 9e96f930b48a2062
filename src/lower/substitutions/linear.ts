import type { Graph, Node } from "../../ir/graph.js";
import { perTensor } from "../../ir/quant.js";
import { matchQuantized, replacePattern } from "../match.js";
import type { LowerOptions } from "../options.js";
import { quantizeMultiplier } from "../qmath.js";
import { localName } from "../../ir/registry.js";
import { registerSubstitution } from "./registry.js";
import { clampTails, foldTail } from "./tails.js";
import { LINEAR_OP } from "../../ops/linear/linear.js";
import { QUANTIZED_LINEAR } from "../../ops/cortex_m/linear.js";
import { lowerLinearS16, readsInt16 } from "./s16.js";

/**
 * Quantized aten.linear → cortex_m.quantized_linear (arm_fully_connected_s8).
 * The MVE kernel reads bias + input_offset·Σw ("kernel sums") from its ctx
 * buffer and ignores `bias`; pure C / DSP use `bias` and ignore ctx. Both are
 * passed, so one program is right on every build.
 */
function lowerLinear(g: Graph, node: Node, opts: LowerOptions): string | null {
  if (readsInt16(node)) return lowerLinearS16(g, node);
  const m = matchQuantized(g, node, [0], clampTails());
  if (!m) return "not a quantized int8 pattern (no dequantize → linear → quantize)";
  const x = m.inputs[0]!;
  const w = m.inputs[1];
  const b = m.inputs[2] ?? null;
  if (!w || !w.value.data || w.value.dtype !== "i8" || w.value.rank !== 2) return "weight is not a constant 2-D int8 tensor";
  if (w.q.scheme !== "per_tensor" || w.q.zeroPoint[0] !== 0) return "per-channel or asymmetric linear weights are not lowered";
  if (node.inputs[2] && (!b || !b.value.data || b.value.dtype !== "i32")) return "bias is not a constant int32 tensor";
  const folded = foldTail(m.tail?.op ?? null, m.tail?.attrs ?? {}, m.outQ);
  const { multiplier, shift } = quantizeMultiplier((x.q.scale[0]! * w.q.scale[0]!) / folded.scale);
  const [o, k] = w.value.shape as [number, number];
  const inputOffset = -x.q.zeroPoint[0]!;
  const wd = w.value.data as Int8Array;
  const bd = b ? (b.value.data as Int32Array) : null;
  let kernelSum: ReturnType<Graph["addConst"]> | null = null;
  if (opts.targetClass === "mve") {
    const sums = new Int32Array(o);
    for (let r = 0; r < o; r++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += wd[r * k + j]!;
      sums[r] = (bd ? bd[r]! : 0) + inputOffset * s;
    }
    kernelSum = g.addConst(`${node.name}_kernel_sum`, "i32", [o], sums);
  }
  const y = g.op(QUANTIZED_LINEAR.name, [x.value, w.value, b?.value ?? null, kernelSum], {
    input_offset: inputOffset,
    filter_offset: 0,
    output_offset: folded.zeroPoint,
    multiplier,
    shift,
    activation_min: folded.activationMin,
    activation_max: folded.activationMax,
    ...(m.tail ? { fused_tail: localName(m.tail.op) } : {}),
  }, { before: node, name: node.name });
  y.type.qparams = perTensor(m.outQ.scale[0]!, m.outQ.zeroPoint[0]!, "i8", m.outQ.qmin, m.outQ.qmax);
  replacePattern(g, m, y);
  return null;
}

registerSubstitution(LINEAR_OP, lowerLinear);
