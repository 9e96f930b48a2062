import type { Graph, Node, Value } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import { CHANNELS_LAST, reshapeKeepsBytes } from "../../ir/layout.js";
import { traitsOf } from "../../ir/registry.js";
import { CLONE, onlyUser, VIEW } from "./view_chain.js";

// Ops whose cmsis_nn_dims are attributes (input_dims / output_dims), so the
// values they read and write may be declared with any shape holding the same
// bytes: the specs' reinterpretable trait.
const isReinterpretable = (n: Node): boolean => traitsOf(n.op).reinterpretable === true;
const LAYOUT = new Set([VIEW, CLONE]);

function nhwcOf(node: Node, attr: "input_dims" | "output_dims") {
  const [n, h, w, c] = node.attrs[attr] as number[];
  return { shape: [n!, c!, h!, w!], dimOrder: CHANNELS_LAST };
}

/** Forward: the furthest value of a single-reader view/clone chain from `v` that holds v's bytes. */
function furthestSameBytesAfter(g: Graph, v: Value): { end: Value; chain: Node[] } | null {
  const chain: Node[] = [];
  let best: { end: Value; chain: Node[] } | null = null;
  for (let cur = v, u = onlyUser(g, cur); u && LAYOUT.has(u.op); cur = u.output, u = onlyUser(g, cur)) {
    chain.push(u);
    if (reshapeKeepsBytes(v.type, u.output.type)) best = { end: u.output, chain: [...chain] };
  }
  return best;
}

/** Backward: the furthest source of a view/clone chain (each link read only by the next) holding `want`'s bytes. */
function furthestSameBytesBefore(g: Graph, v: Value, want: { shape: number[]; dimOrder: number[] }): Value | null {
  let best: Value | null = null;
  for (let cur = v; cur.producer && LAYOUT.has(cur.producer.op); ) {
    const src = cur.producer.input(0);
    if (onlyUser(g, cur) === null && cur !== v) break;
    if (g.outputs.includes(cur)) break;
    cur = src;
    if (reshapeKeepsBytes(cur.type, want)) best = cur;
    if (onlyUser(g, cur) === null) break;
  }
  return best;
}

/**
 * FoldReinterpretView (beyond the reference): a chain of view_copy /
 * _clone_dim_order ops that ends on the same bytes it started from moves
 * nothing, so a conv or pool reads its source, or writes its result, as that
 * shape directly. Covers conv1d Nx1 → 1xN (clone → view [N,C,L,1]→[N,C,1,L] →
 * clone), [N,C,1,1] → [N,C] before a linear, and channels-last model inputs
 * [N,C,L]{0,2,1} feeding a conv1d.
 */
export const foldReinterpretView: Pass = {
  name: "FoldReinterpretView",
  run(g) {
    let changed = false;
    for (const p of [...g.nodes]) {
      if (!isReinterpretable(p) || !g.nodes.includes(p) || !p.attrs.output_dims) continue;
      // Output side: declare the far end's shape on the producer itself.
      const fwd = furthestSameBytesAfter(g, p.output);
      if (fwd && !(g.outputs.includes(fwd.end) && g.inputs.includes(p.output))) {
        const t = fwd.end.type;
        p.attrs = { ...p.attrs, output_shape: [...t.shape], output_dim_order: [...t.dimOrder] };
        p.output.type = { ...p.output.type, shape: [...t.shape], dimOrder: [...t.dimOrder] };
        const wasOutput = g.outputs.indexOf(fwd.end);
        g.replaceAllUses(fwd.end, p.output);
        if (wasOutput >= 0) p.output.name = fwd.end.name;
        for (const n of [...fwd.chain].reverse()) g.eraseNode(n);
        changed = true;
      }
      // Input side: read the chain's source directly.
      if (p.attrs.input_dims) {
        const src = furthestSameBytesBefore(g, p.input(0), nhwcOf(p, "input_dims"));
        if (src && src !== p.input(0)) {
          g.setInput(p, 0, src);
          changed = true;
        }
      }
    }
    if (changed) g.dce();
    return { changed };
  },
};
