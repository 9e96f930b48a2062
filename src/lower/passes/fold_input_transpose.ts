import type { Node, Value } from "../../ir/graph.js";
import { storedLayout } from "../../ir/layout.js";
import type { Pass } from "../../ir/pass.js";
import { traitsOf } from "../../ir/registry.js";
import { PERMUTE_COPY } from "../../ops/shape/permute.js";
import { CLONE } from "./view_chain.js";

/** The logical dims of `v` (larger than 1) in the order its bytes are stored, outermost first. */
function bytePath(v: Value): number[] {
  const t = storedLayout(v);
  return t.dimOrder.filter((d) => t.shape[d] !== 1);
}

/**
 * The source whose stored bytes `v` = clone(permute(x, perm), d) already holds,
 * or null. The clone's k-th physical dim is the permute's output dim d[k],
 * which is x's dim perm[d[k]]: the bytes agree when that sequence (over dims
 * larger than 1) is x's own stored order.
 */
function sameBytesThroughPermute(v: Value): Value | null {
  const c = v.producer;
  if (!c || c.op !== CLONE) return null;
  const t = c.input(0).producer;
  if (!t || t.op !== PERMUTE_COPY.name) return null;
  const x = t.input(0);
  const perm = t.attrs.dims as number[];
  if (x.dtype !== v.dtype || perm.length !== v.rank) return null;
  const through = v.type.dimOrder.filter((k) => v.shape[k] !== 1).map((k) => perm[k]!);
  return through.join() === bytePath(x).join() ? x : null;
}

/**
 * FoldInputTranspose (beyond the reference): a model that takes NHWC input
 * and transposes it to NCHW for its first conv (permute [0,3,1,2]) gets the
 * lowering's channels-last clone after that transpose: permute then clone
 * restores the very bytes the input had. A conv or pool (whose cmsis_nn_dims
 * are attributes, the reinterpretable trait) reads the transpose's source
 * instead, and the pair goes when nothing else reads it. Works for any
 * permute/clone pair that is the identity on bytes, not just at inputs.
 */
export const foldInputTranspose: Pass = {
  name: "FoldInputTranspose",
  run(g) {
    let changed = false;
    for (const p of [...g.nodes] as Node[]) {
      if (traitsOf(p.op).reinterpretable !== true || !p.attrs.input_dims || !p.inputs[0]) continue;
      const src = sameBytesThroughPermute(p.input(0));
      if (!src) continue;
      g.setInput(p, 0, src);
      changed = true;
    }
    if (changed) g.dce();
    return { changed };
  },
};
