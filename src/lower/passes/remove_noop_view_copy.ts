import type { Pass } from "../../ir/pass.js";
import { shapeEq } from "../../ir/tensor.js";
import { sameDimOrder } from "../../ir/layout.js";
import { VIEW } from "./view_chain.js";

/** RemoveNoopViewCopy: a view_copy that changes neither shape nor dim order is dropped. */
export const removeNoopViewCopy: Pass = {
  name: "RemoveNoopViewCopy",
  run(g) {
    let changed = false;
    for (const n of [...g.nodes]) {
      if (n.op !== VIEW) continue;
      const x = n.input(0);
      if (!shapeEq(x.shape, n.output.shape) || !sameDimOrder(x.type.dimOrder, n.output.type.dimOrder)) continue;
      if (g.outputs.includes(n.output) && g.inputs.includes(x)) continue;
      g.replaceAllUses(n.output, x);
      g.eraseNode(n);
      changed = true;
    }
    return { changed };
  },
};
