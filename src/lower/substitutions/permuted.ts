// An int8 permute made by a substitution (to move a softmax dim last, to
// transpose a matmul's right operand), composed with a permute that already
// produces its input: the bytes move once, or not at all when the two undo
// each other (YOLO's attn·vᵀ: the model transposes attn, the kernel wants it back).
import type { Graph, Node, Value } from "../../ir/graph.js";
import { PERMUTE_COPY } from "../../ops/shape/permute.js";

/** `v` permuted by `perm` (output dim i = input dim perm[i]), inserted before `before`, with v's parameters. */
export function permuted(g: Graph, v: Value, perm: readonly number[], before: Node, name: string): Value {
  let src = v;
  let p = [...perm];
  const prev = v.producer;
  if (prev && prev.op === PERMUTE_COPY.name) {
    const inner = prev.attrs.dims as number[];
    src = prev.input(0);
    p = p.map((d) => inner[d]!);
  }
  if (p.every((d, i) => d === i)) return src;
  const y = g.op(PERMUTE_COPY.name, [src], { dims: p }, { before, name });
  y.type.qparams = v.type.qparams ?? src.type.qparams;
  return y;
}
