// The float reference interpreter: runs a graph node by node in schedule order
// using each op's `eval` on logical-order tensors. Used as the accuracy
// oracle for lowered int8 graphs and by the importer for constant folding.
import "../ops/index.js";
import { UserError, IRError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { getOp } from "../ir/registry.js";
import { fmtShape, numel, shapeEq, type Tensor } from "../ir/tensor.js";

export interface RunFloatOptions {
  /** Called for every graph input, constant used, and node output as it is produced. */
  onValue?: (v: Value, t: Tensor) => void;
  /** Called for every node output before it is stored; a returned tensor replaces it (teacher forcing). */
  replace?: (v: Value, t: Tensor) => Tensor | undefined;
  /**
   * Outputs of nodes that read only constants (e.g. dequantized weights), kept by the caller
   * across runs of the same, unmodified graph so they are computed once, not on every run.
   */
  folded?: Map<Value, Tensor>;
}

/** True when every input of `n` is absent, a constant, or itself folded. */
function readsOnlyConstants(n: Node, folded: Map<Value, Tensor>): boolean {
  return n.inputs.every((v) => !v || v.isConst() || folded.has(v));
}

/** Evaluate one node on given input tensors (constant folding, single-op tests). */
export function evalNode(node: Node, inputs: (Tensor | null)[]): Tensor[] {
  const def = getOp(node.op);
  if (!def.eval) throw new IRError(`op ${node.op} (node ${node.name}) has no float reference`);
  const outs = def.eval(inputs, node.attrs);
  if (outs.length !== node.outputs.length) {
    throw new IRError(`node ${node.name} (${node.op}) produced ${outs.length} outputs, expected ${node.outputs.length}`);
  }
  outs.forEach((t, i) => {
    const v = node.outputs[i]!;
    if (!shapeEq(t.shape, v.shape) || t.dtype !== v.dtype) {
      throw new IRError(`node ${node.name} (${node.op}) output ${v.name}: eval gave ${t.dtype}${fmtShape(t.shape)}, type says ${v.dtype}${fmtShape(v.shape)}`);
    }
  });
  return outs;
}

/** Check a feed against a graph input; throws a UserError naming the input. */
export function checkFeed(v: Value, t: Tensor | undefined): Tensor {
  const want = `${v.dtype}${fmtShape(v.shape)}`;
  if (!t) throw new UserError(`missing input ${v.name}: expected ${want}`);
  if (t.dtype !== v.dtype || !shapeEq(t.shape, v.shape)) {
    throw new UserError(`input ${v.name}: got ${t.dtype}${fmtShape(t.shape)}, expected ${want}`);
  }
  if (t.data.length !== numel(t.shape)) throw new UserError(`input ${v.name}: ${t.data.length} elements for ${fmtShape(t.shape)}`);
  return t;
}

/**
 * Run `g` on `feeds` (one tensor per graph input, by name) and return the
 * graph outputs by name. Tensors are released once their last reader ran.
 */
export function runFloat(g: Graph, feeds: Record<string, Tensor>, opts: RunFloatOptions = {}): Record<string, Tensor> {
  const known = new Set(g.inputs.map((v) => v.name));
  for (const k of Object.keys(feeds)) {
    if (!known.has(k)) throw new UserError(`unknown input ${k}: the graph's inputs are ${[...known].join(", ") || "(none)"}`);
  }
  const env = new Map<Value, Tensor>();
  const remaining = new Map<Value, number>();
  for (const n of g.nodes) for (const v of n.inputs) if (v) remaining.set(v, (remaining.get(v) ?? 0) + 1);
  const keep = new Set(g.outputs);

  for (const v of g.inputs) {
    const t = checkFeed(v, feeds[v.name]);
    env.set(v, t);
    opts.onValue?.(v, t);
  }
  const constTensor = (v: Value): Tensor => {
    let t = env.get(v);
    if (!t) {
      if (!v.data) throw new IRError(`value ${v.name} is read before it is defined`);
      t = { dtype: v.dtype, shape: [...v.shape], data: v.data };
      env.set(v, t);
      opts.onValue?.(v, t);
    }
    return t;
  };
  for (const c of g.constants) if (keep.has(c)) constTensor(c);

  const folded = opts.folded;
  const constOrFolded = (v: Value): Tensor => folded?.get(v) ?? constTensor(v);
  for (const n of g.nodes) {
    let outs: Tensor[];
    if (folded && n.outputs.length > 0 && n.outputs.every((v) => folded.has(v))) {
      outs = n.outputs.map((v) => folded.get(v)!);
    } else {
      outs = evalNode(n, n.inputs.map((v) => (v ? constOrFolded(v) : null)));
      if (folded && readsOnlyConstants(n, folded)) n.outputs.forEach((v, i) => folded.set(v, outs[i]!));
    }
    if (opts.replace) outs.forEach((t, i) => (outs[i] = opts.replace!(n.outputs[i]!, t) ?? t));
    n.outputs.forEach((v, i) => {
      env.set(v, outs[i]!);
      opts.onValue?.(v, outs[i]!);
    });
    // Free inputs whose last reader this was (big models hold a few tensors only).
    for (const v of n.inputs) {
      if (!v) continue;
      const left = (remaining.get(v) ?? 1) - 1;
      remaining.set(v, left);
      if (left === 0 && !keep.has(v)) env.delete(v);
    }
  }
  const result: Record<string, Tensor> = {};
  for (const o of g.outputs) {
    const t = env.get(o) ?? (o.data ? constTensor(o) : undefined);
    if (!t) throw new IRError(`graph output ${o.name} was not computed`);
    result[o.name] = t;
  }
  return result;
}
