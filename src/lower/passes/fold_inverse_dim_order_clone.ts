import type { Pass } from "../../ir/pass.js";
import { sameDimOrder } from "../../ir/layout.js";
import { CLONE, onlyUser } from "./view_chain.js";

/**
 * FoldInverseDimOrderClone: clone B reading clone A, where A has no other
 * reader and B restores A's input order, is the identity: B's readers take A's
 * input. Fan-out (A read elsewhere) and non-inverse pairs are left alone.
 *   clone(clone(x, [0,1,2,3]), [0,2,3,1]) with x in [0,2,3,1]  ⇒  x
 */
export const foldInverseDimOrderClone: Pass = {
  name: "FoldInverseDimOrderClone",
  run(g) {
    let changed = false;
    for (const b of [...g.nodes]) {
      if (b.op !== CLONE || !g.nodes.includes(b)) continue;
      const a = b.input(0).producer;
      if (!a || a.op !== CLONE || onlyUser(g, a.output) !== b) continue;
      const x = a.input(0);
      if (!sameDimOrder(b.attrs.dim_order as number[], x.type.dimOrder)) continue;
      if (g.outputs.includes(b.output) && g.inputs.includes(x)) continue;
      g.replaceAllUses(b.output, x);
      g.eraseNode(b);
      g.eraseNode(a);
      changed = true;
    }
    return { changed };
  },
};
