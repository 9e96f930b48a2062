import type { Pass } from "../../ir/pass.js";
import { DEQUANTIZE_PER_TENSOR, DEQUANTIZE_SOFTMAX } from "../../ops/cortex_m/quant.js";
import { SOFTMAX } from "../../ops/softmax/softmax.js";

/**
 * A float softmax that reads the dequantize of an int8 tensor →
 * cortex_m.dequantize_softmax, which takes its exponentials from a 256-entry
 * table indexed by (row max − code) instead of calling exp per element (YOLO's
 * DFL softmax: most of its cost on a soft-float core). Semantics: the
 * difference s·(q_k − q_max) is rounded once, where softmax(dequantize(q))
 * would subtract two rounded values — within an ulp of it per exponent.
 */
export const fuseDequantizeSoftmax: Pass = {
  name: "FuseDequantizeSoftmax",
  run(g) {
    let changed = false;
    for (const node of [...g.nodes]) {
      if (node.op !== SOFTMAX.name || node.output.dtype !== "f32") continue;
      const dq = node.input(0).producer;
      if (!dq || dq.op !== DEQUANTIZE_PER_TENSOR.name || dq.input(0).dtype !== "i8") continue;
      const attrs = { dim: node.attrs.dim as number, scale: dq.attrs.scale as number, zero_point: dq.attrs.zero_point as number };
      const y = g.op(DEQUANTIZE_SOFTMAX.name, [dq.input(0)], attrs, { before: node, name: node.name });
      g.replaceAllUses(node.output, y);
      changed = true;
    }
    if (changed) g.dce();
    return { changed };
  },
};
