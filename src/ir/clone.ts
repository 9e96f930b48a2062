import { Graph, type Node, type TensorType, type Value } from "./graph.js";

function copyType(t: TensorType): TensorType {
  const c: TensorType = { dtype: t.dtype, shape: [...t.shape], dimOrder: [...t.dimOrder] };
  if (t.qparams) c.qparams = { ...t.qparams, scale: [...t.qparams.scale], zeroPoint: [...t.qparams.zeroPoint] };
  return c;
}

export interface GraphClone {
  graph: Graph;
  /** Original value → its copy. */
  values: Map<Value, Value>;
  /** Original node → its copy. */
  nodes: Map<Node, Node>;
}

/**
 * A deep copy of the graph structure (nodes, values, attributes, meta, names
 * exactly as they were) with the maps from originals to copies. Constant data
 * arrays are shared: no pass or quantizer step writes into constant data (they
 * make new constants).
 */
export function cloneGraphWithMaps(g: Graph): GraphClone {
  const out = new Graph(g.name);
  const values = new Map<Value, Value>();
  const nodes = new Map<Node, Node>();
  for (const v of g.inputs) values.set(v, out.addInput(v.name, copyType(v.type)));
  for (const c of g.constants) {
    const v = out.addConst(c.name, c.dtype, [...c.shape], c.data!);
    v.type = copyType(c.type);
    values.set(c, v);
  }
  const map = (v: Value | null): Value | null => {
    if (!v) return null;
    const m = values.get(v);
    if (!m) throw new Error(`cloneGraph: ${v.name} is read before it is defined`);
    return m;
  };
  for (const n of g.nodes) {
    const n2 = out.addNode(n.op, n.inputs.map(map), structuredClone(n.attrs), {
      name: n.name,
      outputTypes: n.outputs.map((o) => copyType(o.type)),
      outputNames: n.outputs.map((o) => o.name),
    });
    // Names went through uniqueName; keep the originals exactly (they are unique in g).
    n2.name = n.name;
    n.outputs.forEach((o, i) => (n2.outputs[i]!.name = o.name));
    n2.meta = { ...n.meta };
    n.outputs.forEach((o, i) => values.set(o, n2.outputs[i]!));
    nodes.set(n, n2);
  }
  out.outputs = g.outputs.map((v) => map(v)!);
  return { graph: out, values, nodes };
}

/** A deep copy of the graph structure (see cloneGraphWithMaps). */
export function cloneGraph(g: Graph): Graph {
  return cloneGraphWithMaps(g).graph;
}
