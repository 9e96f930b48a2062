import type { Attrs } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../../ops/cortex_m/quant.js";
import { DQ, DQC, Q, markSource, qparamsOfNode } from "../match.js";

/**
 * Quantize/dequantize left at float borders → cortex_m.quantize_per_tensor /
 * dequantize_per_tensor; a per-channel dequantize of a constant (weights of an
 * op that stays float) is folded into a float constant.
 */
export const replaceQuantNodes: Pass = {
  name: "ReplaceQuantNodes",
  run(g) {
    let changed = false;
    for (const node of [...g.nodes]) {
      if (node.op !== Q && node.op !== DQ && node.op !== DQC) continue;
      if (node.outputs[0]!.uses.length === 0 && !g.outputs.includes(node.output)) continue;
      const x = node.input(0);
      if (node.op === DQC || (node.op === DQ && x.isConst())) {
        const scales = node.op === DQC ? (node.attrs.scales as number[]) : [node.attrs.scale as number];
        const zps = node.op === DQC ? ((node.attrs.zero_points as number[] | undefined) ?? scales.map(() => 0)) : [node.attrs.zero_point as number];
        const axis = node.op === DQC ? (node.attrs.axis as number) : 0;
        const inner = x.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
        const n = x.shape[axis] ?? 1;
        const src = x.data!;
        const out = new Float32Array(src.length);
        for (let i = 0; i < src.length; i++) {
          const c = scales.length === 1 ? 0 : Math.floor(i / inner) % n;
          out[i] = (src[i]! - zps[c]!) * scales[c]!;
        }
        const f = g.addConst(`${x.name}_f32`, "f32", [...x.shape], out);
        g.replaceAllUses(node.output, f);
        changed = true;
        continue;
      }
      if (node.op === DQ && x.dtype !== "i8" && x.dtype !== "i16") continue;
      const q = qparamsOfNode(node);
      const attrs: Attrs = node.op === Q
        ? { scale: q.scale[0]!, zero_point: q.zeroPoint[0]!, quant_min: q.qmin, quant_max: q.qmax, ...(q.dtype === "i16" ? { dtype: "i16" } : {}) }
        : { scale: q.scale[0]!, zero_point: q.zeroPoint[0]! };
      const op = (node.op === Q ? QUANTIZE_PER_TENSOR : DEQUANTIZE_PER_TENSOR).name;
      const y = g.op(op, [x], attrs, { before: node, name: node.name });
      if (node.op === Q) {
        y.type.qparams = q;
        markSource(y, node.output.name);
      }
      g.replaceAllUses(node.output, y);
      changed = true;
    }
    if (changed) g.dce();
    return { changed };
  },
};
