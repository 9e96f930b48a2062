// A deep copy of a graph's structure (same names, types, schedule), so
// quantization never mutates the float graph it was given. Constant data is
// shared: no quantizer step writes into a constant's array (it makes new ones).
import { Graph, type Node, type TensorType, type Value } from "../ir/graph.js";

export interface GraphClone {
  graph: Graph;
  values: Map<Value, Value>;
  nodes: Map<Node, Node>;
}

function copyType(t: TensorType): TensorType {
  const c: TensorType = { dtype: t.dtype, shape: [...t.shape], dimOrder: [...t.dimOrder] };
  if (t.qparams) c.qparams = { ...t.qparams, scale: [...t.qparams.scale], zeroPoint: [...t.qparams.zeroPoint] };
  return c;
}

export function cloneGraph(g: Graph): GraphClone {
  const out = new Graph(g.name);
  const values = new Map<Value, Value>();
  const nodes = new Map<Node, Node>();
  for (const v of g.inputs) values.set(v, out.addInput(v.name, copyType(v.type)));
  for (const c of g.constants) {
    const t = copyType(c.type);
    const nc = out.addConst(c.name, t.dtype, t.shape, c.data!, t.qparams);
    nc.type.dimOrder = t.dimOrder;
    values.set(c, nc);
  }
  const map = (v: Value | null): Value | null => {
    if (!v) return null;
    const m = values.get(v);
    if (!m) throw new Error(`cloneGraph: ${v.name} is read before it is defined`);
    return m;
  };
  for (const n of g.nodes) {
    const nn = out.addNode(n.op, n.inputs.map(map), structuredClone(n.attrs), {
      name: n.name,
      outputTypes: n.outputs.map((o) => copyType(o.type)),
      outputNames: n.outputs.map((o) => o.name),
    });
    // The node name went through uniqueName; keep the original exactly (names are unique in g).
    nn.name = n.name;
    nn.meta = { ...n.meta };
    n.outputs.forEach((o, i) => values.set(o, nn.outputs[i]!));
    nodes.set(n, nn);
  }
  out.outputs = g.outputs.map((o) => map(o)!);
  return { graph: out, values, nodes };
}
