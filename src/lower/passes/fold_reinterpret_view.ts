import type { Pass } from "../../ir/pass.js";
import { CHANNELS_LAST } from "../../ops/cortex_m/shapes.js";
import { CLONE, onlyUser, sameOrder, VIEW } from "./view_chain.js";

// Producers whose output dims CMSIS-NN derives itself, so the value may be
// declared with any shape holding the same NHWC bytes.
const REINTERPRETABLE = new Set([
  "cortex_m.quantized_conv2d", "cortex_m.quantized_depthwise_conv2d",
  "cortex_m.quantized_avg_pool2d", "cortex_m.quantized_max_pool2d",
]);

/**
 * FoldReinterpretView (beyond the reference): between a conv1d laid out Nx1
 * and one laid out 1xN the chain is clone(NCHW) → view [N,C,L,1]→[N,C,1,L] →
 * clone(NHWC). Both ends hold the same NHWC bytes, so the producer declares
 * the consumer's shape directly and the three layout ops disappear.
 */
export const foldReinterpretView: Pass = {
  name: "FoldReinterpretView",
  run(g) {
    let changed = false;
    for (const a of [...g.nodes]) {
      if (a.op !== CLONE || !g.nodes.includes(a)) continue;
      const x = a.input(0);
      const p = x.producer;
      if (!p || !REINTERPRETABLE.has(p.op) || onlyUser(g, x) !== a || !sameOrder(x.type.dimOrder, CHANNELS_LAST)) continue;
      const v = onlyUser(g, a.output);
      if (!v || v.op !== VIEW) continue;
      const b = onlyUser(g, v.output);
      if (!b || b.op !== CLONE || !sameOrder(b.attrs.dim_order as number[], CHANNELS_LAST)) continue;
      const [n, c, h, w] = x.shape as [number, number, number, number];
      const to = v.attrs.size as number[];
      const bytesSame = to.length === 4 && to[0] === n && to[1] === c && to[2]! * to[3]! === h * w &&
        (h === 1 || w === 1) && (to[2] === 1 || to[3] === 1);
      if (!bytesSame) continue;
      p.attrs = { ...p.attrs, output_shape: [...to] };
      x.type = { ...x.type, shape: [...to] };
      g.replaceAllUses(b.output, x);
      g.eraseNode(b);
      g.eraseNode(v);
      g.eraseNode(a);
      changed = true;
    }
    return { changed };
  },
};
