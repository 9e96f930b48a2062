// Per-layer comparison of the int8 program with the fake-quant (Q/DQ) graph.
//
// Every int8 tensor the lowered program computes is paired with the quantize
// output it replaced (`meta.quantizedFrom`, set by the lowering). Two figures
// per pair, in quantization steps:
//   free   — both programs run on their own from the same feeds: the
//            difference at this layer, including what earlier layers passed on;
//   local  — the fake-quant graph is run with every earlier int8 tensor taken
//            from the int8 program (teacher forcing), so the figure is what this
//            layer's arithmetic alone adds.
// A local figure above 1 step means an op does not compute what its Q/DQ
// pattern says; a free figure above the local ones is growth through depth.
import { cloneGraph } from "../ir/clone.js";
import type { Graph, Value } from "../ir/graph.js";
import { numel, type Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { planGraph } from "../plan/graph_plan.js";
import { createProgram } from "../runtime/program.js";

export interface StepDiff {
  /** Largest |difference| in steps (integer). */
  max: number;
  /** Elements that differ. */
  count: number;
}

export interface LayerFigure {
  /** Name of the quantize output in the Q/DQ graph. */
  name: string;
  /** The lowered op computing it. */
  op: string;
  numel: number;
  free: StepDiff;
  local: StepDiff;
}

function stepDiff(a: Tensor["data"], b: Tensor["data"]): StepDiff {
  let max = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d !== 0) count++;
    if (d > max) max = d;
  }
  return { max, count };
}

/** The int8 tensors of `final` paired with their quantize outputs in `quantized`, compared free and teacher-forced. */
export function compareLayers(final: Graph, quantized: Graph, feeds: Record<string, Tensor>): LayerFigure[] {
  const byName = new Map<string, Value>();
  for (const n of quantized.nodes) for (const o of n.outputs) byName.set(o.name, o);
  const points: { lowered: Value; q: Value; op: string }[] = [];
  for (const n of final.nodes) {
    const src = n.meta.quantizedFrom;
    if (typeof src !== "string" || n.outputs.length !== 1) continue;
    const q = byName.get(src);
    if (!q || q.dtype !== n.output.dtype || q.numel !== n.output.numel) continue;
    points.push({ lowered: n.output, q, op: n.op });
  }
  if (points.length === 0) return [];

  // The int8 program with every paired tensor as an extra output (own plan: the outputs live to the end).
  const g2 = cloneGraph(final);
  const extra = points.map((p) => g2.findValue(p.lowered.name)!);
  g2.outputs = [...g2.outputs, ...extra.filter((v) => !g2.outputs.includes(v))];
  const got = createProgram(g2, planGraph(g2)).run(feeds);
  const int8Of = new Map<Value, Tensor>();
  for (const p of points) {
    const t = got[p.lowered.name]!;
    if (t.data.length !== numel(p.q.shape)) throw new Error(`${p.q.name}: ${t.data.length} elements in the program, ${p.q.numel} in the Q/DQ graph`);
    int8Of.set(p.q, { dtype: p.q.dtype, shape: [...p.q.shape], data: t.data });
  }

  const free = new Map<Value, StepDiff>();
  runFloat(quantized, feeds, { onValue: (v, t) => { const r = int8Of.get(v); if (r) free.set(v, stepDiff(r.data, t.data)); } });
  const local = new Map<Value, StepDiff>();
  runFloat(quantized, feeds, {
    replace: (v, t) => {
      const r = int8Of.get(v);
      if (!r) return undefined;
      local.set(v, stepDiff(r.data, t.data));
      return r;
    },
  });
  return points.map((p) => ({ name: p.q.name, op: p.op, numel: p.q.numel, free: free.get(p.q)!, local: local.get(p.q)! }));
}
