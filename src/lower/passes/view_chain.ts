import type { Graph, Node, Value } from "../../ir/graph.js";
import { getOp } from "../../ir/registry.js";

export const VIEW = "aten.view_copy";
export const CLONE = "dim_order_ops._clone_dim_order";

/** The only reader of `v` when exactly one node reads it once and it is not a graph output. */
export function onlyUser(g: Graph, v: Value): Node | null {
  if (g.outputs.includes(v) || v.uses.length !== 1) return null;
  return v.uses[0]!.node;
}

export function isUnaryElementwise(n: Node): boolean {
  return getOp(n.op).unaryElementwise === true && n.outputs.length === 1;
}

/** Recompute the output shape of `n` from its shape rule, keeping dtype, dim order (when rank allows) and qparams. */
export function reinfer(n: Node): boolean {
  let t;
  try {
    t = getOp(n.op).infer(n.inputs.map((v) => v?.type ?? null), n.attrs);
  } catch {
    return false;
  }
  n.outputs.forEach((o, i) => {
    const e = t[i]!;
    const keepOrder = o.type.dimOrder.length === e.shape.length && n.op !== CLONE;
    o.type = { ...o.type, shape: e.shape, dimOrder: keepOrder ? o.type.dimOrder : e.dimOrder };
  });
  return true;
}
