import type { Graph, Node, Value } from "../../ir/graph.js";
import type { Pass } from "../../ir/pass.js";
import { CHANNELS_LAST, contiguous, reshapeKeepsBytes, samePlacement, storesRowMajor, type Layout } from "../../ir/layout.js";
import { getOp, traitsOf } from "../../ir/registry.js";
import { PERMUTE_COPY } from "../../ops/shape/permute.js";
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

const PERMUTE = PERMUTE_COPY.name;

/**
 * The producer's bytes read as the row-major reshape of `seen` to `shape`:
 * the layout of that shape holding them. Found when the bytes are row-major
 * or when the reshape only adds or drops size-1 dims; null otherwise.
 */
function viewedAs(seen: Layout, shape: readonly number[]): Layout | null {
  if (storesRowMajor(seen)) return { shape, dimOrder: contiguous(shape.length) };
  const kept = (s: readonly number[]): number[] => s.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const from = kept(seen.shape);
  const to = kept(shape);
  if (from.length !== to.length || from.some((d, k) => seen.shape[d] !== shape[to[k]!])) return null;
  // The non-unit dims keep their physical order; size-1 dims go outermost (they move no byte).
  const units = shape.map((_, i) => i).filter((i) => shape[i] === 1);
  const order = [...units, ...seen.dimOrder.filter((d) => seen.shape[d] !== 1).map((d) => to[from.indexOf(d)]!)];
  const t = { shape, dimOrder: order };
  return reshapeKeepsBytes(seen, t) ? t : null;
}

/** The producer's bytes read through permute_copy(·, dims): output dim j is input dim dims[j]. */
function permutedAs(seen: Layout, dims: readonly number[]): Layout {
  return { shape: dims.map((d) => seen.shape[d]!), dimOrder: seen.dimOrder.map((d) => dims.indexOf(d)) };
}

/**
 * Forward: the furthest value of a single-reader view/clone chain from `v`
 * that holds v's bytes. A permute_copy may be a link too (a lowering moves a
 * reduced dim last with one): the chain then tracks the layout in which v's
 * bytes hold its current logical value, and an end stored that way holds
 * v's bytes (the permute moved the dim v already stores innermost).
 */
function furthestSameBytesAfter(g: Graph, v: Value): { end: Value; chain: Node[] } | null {
  const chain: Node[] = [];
  let best: { end: Value; chain: Node[] } | null = null;
  let seen: Layout | null = v.type;
  let permuted = false;
  for (let cur = v, u = onlyUser(g, cur); u && (LAYOUT.has(u.op) || u.op === PERMUTE); cur = u.output, u = onlyUser(g, cur)) {
    chain.push(u);
    if (u.op === VIEW) seen = seen && viewedAs(seen, u.output.shape);
    else if (u.op === PERMUTE) seen = seen && permutedAs(seen, u.attrs.dims as number[]);
    permuted ||= u.op === PERMUTE;
    const same = permuted ? !!seen && samePlacement(seen, u.output.type) : reshapeKeepsBytes(v.type, u.output.type);
    if (same) best = { end: u.output, chain: [...chain] };
    if (permuted && !seen) break;
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

/** The op's shape rule accepts `t` as its declared output (each spec says which byte-equal shapes it takes). */
function declarable(p: Node, t: Layout): boolean {
  try {
    getOp(p.op).infer(p.inputs.map((v) => v?.type ?? null), { ...p.attrs, output_shape: [...t.shape], output_dim_order: [...t.dimOrder] });
    return true;
  } catch {
    return false;
  }
}

/**
 * FoldReinterpretView (beyond the reference): a chain of view_copy /
 * _clone_dim_order ops that ends on the same bytes it started from moves
 * nothing, so a conv or pool reads its source, or writes its result, as that
 * shape directly. Covers conv1d Nx1 → 1xN (clone → view [N,C,L,1]→[N,C,1,L] →
 * clone), [N,C,1,1] → [N,C] before a linear, channels-last model inputs
 * [N,C,L]{0,2,1} feeding a conv1d, and a conv1d's channels moved last by a
 * permute (clone → view [N,C,L] → permute [0,2,1]: the NHWC bytes themselves).
 */
export const foldReinterpretView: Pass = {
  name: "FoldReinterpretView",
  run(g) {
    let changed = false;
    for (const p of [...g.nodes]) {
      if (!isReinterpretable(p) || !g.nodes.includes(p) || !p.attrs.output_dims) continue;
      // Output side: declare the far end's shape on the producer itself.
      const fwd = furthestSameBytesAfter(g, p.output);
      if (fwd && !(g.outputs.includes(fwd.end) && g.inputs.includes(p.output)) && declarable(p, fwd.end.type)) {
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
