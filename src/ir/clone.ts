import { Graph, type TensorType, type Value } from "./graph.js";

function copyType(t: TensorType): TensorType {
  const c: TensorType = { dtype: t.dtype, shape: [...t.shape], dimOrder: [...t.dimOrder] };
  if (t.qparams) c.qparams = { ...t.qparams, scale: [...t.qparams.scale], zeroPoint: [...t.qparams.zeroPoint] };
  return c;
}

/**
 * A deep copy of the graph structure (nodes, values, attributes, meta);
 * constant data arrays are shared, since no pass writes into constant data.
 */
export function cloneGraph(g: Graph): Graph {
  const out = new Graph(g.name);
  const map = new Map<Value, Value>();
  for (const v of g.inputs) map.set(v, out.addInput(v.name, copyType(v.type)));
  for (const c of g.constants) {
    const v = out.addConst(c.name, c.dtype, [...c.shape], c.data!);
    v.type = copyType(c.type);
    map.set(c, v);
  }
  for (const n of g.nodes) {
    const n2 = out.addNode(n.op, n.inputs.map((v) => (v ? map.get(v)! : null)), structuredClone(n.attrs), {
      name: n.name,
      outputTypes: n.outputs.map((o) => copyType(o.type)),
      outputNames: n.outputs.map((o) => o.name),
    });
    n2.meta = { ...n.meta };
    n.outputs.forEach((o, i) => map.set(o, n2.outputs[i]!));
  }
  out.outputs = g.outputs.map((v) => map.get(v)!);
  return out;
}
