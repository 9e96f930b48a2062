// The per-layer table: one row per op of the final program (kernel scratch
// buffers are not ops: they are counted in the row of the op that uses them).
// Each row joins what the stages already know: the lowering's kernel choice
// and its reason, the plan's scratch, the quantizer's SQNR of the layer
// against float, and, when a profile is given, the instructions of the step
// on the target.
import type { Graph, Node, Value } from "../ir/graph.js";
import { isContiguous } from "../ir/layout.js";
import { fmtQParams } from "../ir/quant.js";
import { SCRATCH_OP, valueBytes } from "../plan/lifetimes.js";
import type { LayerReport } from "../quantize/quantize.js";
import { nodeMacs } from "../ops/cortex_m/macs.js";
import { opKind, type OpKind } from "./classify.js";
import type { StepProfile } from "./profile.js";

export interface LayerRow {
  /** Step number of the op in the generated C (`/* [step] … *\/`), 1-based position in the final graph. */
  step: number;
  name: string;
  op: string;
  kind: OpKind;
  kernel: string;
  why: string;
  layout: string;
  macs: number;
  weightBytes: number;
  scratchBytes: number;
  qparams: string;
  sqnrDb: number | null;
  instructions: number | null;
}

/** The ops the table lists: every node of the program but scratch allocations. */
export function tableNodes(g: Graph): Node[] {
  return g.nodes.filter((n) => n.op !== SCRATCH_OP);
}

function layoutLabel(n: Node): string {
  if (typeof n.attrs.layout === "string") return n.attrs.layout;
  const y = n.outputs[0];
  if (!y) return "";
  if (isContiguous(y.type.dimOrder)) return y.shape.length === 4 ? "NCHW" : "row-major";
  if (y.shape.length === 4 && y.type.dimOrder.join() === "0,2,3,1") return "NHWC";
  return `dim order [${y.type.dimOrder.join(",")}]`;
}

/**
 * The quantizer's rows are keyed on float node names. A lowered op either kept
 * its float name (float islands) or records the Q/DQ-graph quantize output it
 * replaced (`meta.quantizedFrom`); that quantize reads the layer's output,
 * computed by the layer's anchor or by its fused tail (relu, clamp…) right after.
 */
function sqnrIndex(layers: readonly LayerReport[], qdq: Graph | undefined): { byName: Map<string, LayerReport>; byQuant: Map<string, LayerReport> } {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const byQuant = new Map<string, LayerReport>();
  for (const n of qdq?.nodes ?? []) {
    if (!n.op.endsWith("quantize_per_tensor") || n.op.includes("dequantize")) continue;
    let p: Node | null | undefined = n.inputs[0]?.producer;
    for (let hops = 0; p && hops < 3; hops++, p = p.inputs[0]?.producer) {
      const row = byName.get(p.name);
      if (row) {
        byQuant.set(n.output.name, row);
        break;
      }
    }
  }
  return { byName, byQuant };
}

export interface LayerInputs {
  final: Graph;
  /** The quantizer's per-layer report and its Q/DQ graph (absent for a float-only report). */
  layers?: readonly LayerReport[];
  qdq?: Graph;
  /** Kernel and reason of each conv (the lowering's dispatch), keyed by node name. */
  convs?: ReadonlyMap<string, { kernel: string; reason: string }>;
  /** Why each float island stays float, keyed by node name. */
  floats?: ReadonlyMap<string, string>;
  /** The C functions each step calls (from the generated code), keyed by step number; a step absent here has no code. */
  calls?: ReadonlyMap<number, string>;
  profile?: ReadonlyMap<string, StepProfile>;
}

function constBytes(n: Node, keep: (v: Value) => boolean): number {
  let s = 0;
  for (const v of n.inputs) if (v && keep(v)) s += valueBytes(v);
  return s;
}

export function layerRows(o: LayerInputs): LayerRow[] {
  const { byName, byQuant } = sqnrIndex(o.layers ?? [], o.qdq);
  const step = new Map(o.final.nodes.map((n, i) => [n, i + 1]));
  return tableNodes(o.final).map((n) => {
    const s = step.get(n)!;
    const kind = opKind(n);
    const conv = o.convs?.get(n.name);
    const prof = o.profile?.get(n.name);
    const q = n.outputs[0]?.type.qparams;
    const from = typeof n.meta.quantizedFrom === "string" ? byQuant.get(n.meta.quantizedFrom) : undefined;
    const sq = (from ?? byName.get(n.name))?.sqnrDb;
    const noCode = o.calls !== undefined && !o.calls.has(s);
    const kernel = conv?.kernel ?? prof?.kernel ?? o.calls?.get(s) ?? (noCode ? "none (no code)" : "");
    let why = conv?.reason ?? o.floats?.get(n.name) ?? "";
    if (!why && kind === "layout") why = noCode ? "its bytes stay where they are: the memory plan aliases it" : "data movement left by the layout clean-up";
    return {
      step: s,
      name: n.name,
      op: n.op,
      kind,
      kernel,
      why,
      layout: layoutLabel(n),
      macs: nodeMacs(n),
      weightBytes: constBytes(n, (v) => v.isConst()),
      scratchBytes: constBytes(n, (v) => v.producer?.op === SCRATCH_OP),
      qparams: q ? fmtQParams(q) : n.outputs[0]?.dtype ?? "",
      sqnrDb: sq === null || sq === undefined || Number.isNaN(sq) ? null : sq,
      instructions: prof ? prof.instructions : null,
    };
  });
}
