import type { TensorType } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import { CLONE } from "./view_chain.js";

/** Physical order of the dims larger than 1: what decides where each byte lives. */
function bytePath(t: TensorType): number[] {
  return t.dimOrder.filter((d) => t.shape[d] !== 1);
}

/**
 * RemoveNoopDimOrderClone (beyond the reference): a _clone_dim_order that moves
 * no byte — its non-unit dims keep their physical order, e.g. NCHW↔NHWC of a
 * [1,C,1,1] or [N,1,H,W] tensor — is dropped; readers take its input, which
 * holds the same bytes.
 */
export const removeNoopDimOrderClone: Pass = {
  name: "RemoveNoopDimOrderClone",
  run(g) {
    let changed = false;
    for (const n of [...g.nodes]) {
      if (n.op !== CLONE) continue;
      const x = n.input(0);
      if (bytePath(x.type).join() !== bytePath(n.output.type).join()) continue;
      if (g.outputs.includes(n.output) && g.inputs.includes(x)) continue;
      g.replaceAllUses(n.output, x);
      g.eraseNode(n);
      changed = true;
    }
    return { changed };
  },
};
