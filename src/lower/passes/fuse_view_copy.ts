import type { Node } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import { shapeEq } from "../../ir/tensor.js";
import { sameLayout } from "../../ir/layout.js";
import { isUnaryElementwise, onlyUser, reinfer, VIEW } from "./view_chain.js";

function sameSizes(a: unknown, b: unknown): boolean {
  return a === b || (Array.isArray(a) && Array.isArray(b) && shapeEq(a as number[], b as number[]));
}

/**
 * FuseViewCopy: in a single-user chain of view_copy and unary elementwise ops
 * (clones and quantize/dequantize included), every view takes the last view's
 * shape, so the earlier views become no-ops for RemoveNoopViewCopy.
 *   view(x, [N,C,L]) → view(·, [N,C,L,1])  ⇒  view(x, [N,C,L,1]) → view(·, [N,C,L,1])
 */
export const fuseViewCopy: Pass = {
  name: "FuseViewCopy",
  run(g) {
    let changed = false;
    const seen = new Set<Node>();
    for (const start of [...g.nodes]) {
      if (start.op !== VIEW || seen.has(start)) continue;
      const chain: Node[] = [start];
      for (let u = onlyUser(g, start.output); u && (u.op === VIEW || isUnaryElementwise(u)); u = onlyUser(g, u.output)) chain.push(u);
      const views = chain.filter((n) => n.op === VIEW);
      views.forEach((v) => seen.add(v));
      if (views.length < 2) continue;
      const last = views[views.length - 1]!;
      const chainEnd = chain.indexOf(last);
      const saved = chain.map((n) => ({ attrs: { ...n.attrs }, types: n.outputs.map((o) => o.type) }));
      const size = last.attrs.size as number[];
      let ok = true;
      for (const n of chain.slice(0, chainEnd + 1)) {
        if (n.op === VIEW) n.attrs = { ...n.attrs, size: [...size] };
        if (!reinfer(n)) {
          ok = false;
          break;
        }
      }
      if (!ok) {
        chain.forEach((n, i) => {
          n.attrs = saved[i]!.attrs;
          n.outputs.forEach((o, j) => (o.type = saved[i]!.types[j]!));
        });
        continue;
      }
      // A chain fused on an earlier run already carries the last shape: rewriting it again is no change.
      if (chain.some((n, i) => !sameSizes(n.attrs.size, saved[i]!.attrs.size) || n.outputs.some((o, j) => !sameLayout(o.type, saved[i]!.types[j]!)))) changed = true;
    }
    return { changed };
  },
};
