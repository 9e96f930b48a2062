// Memory traffic per inference: bytes each op reads and writes, split into
// compute ops and layout ops (pure data movement the lowering introduced:
// views, dim-order clones, transposes, pads). `layoutBytesBetweenConvs`
// isolates the wrap/unwrap chains between two convolutions that a layout
// clean-up should remove, so that pass has one number to drive down.
import "../ops/index.js"; // the op specs the traits are read from
import type { Graph, Node, Value } from "../ir/graph.js";
import { traitsOf } from "../ir/registry.js";
import { isScratchValue, SCRATCH_OP, valueBytes } from "./lifetimes.js";
import type { MemoryPlan } from "./graph_plan.js";

/** A pure layout op (view, dim-order clone, transpose, permute, pad): the specs' layout trait. */
export const isLayoutOp = (op: string): boolean => traitsOf(op).layout === true;

/** A convolution, float or lowered (the specs' conv trait). */
const isConv = (op: string): boolean => traitsOf(op).conv === true;

/**
 * One-input elementwise ops that do not care about layout (quantization
 * borders, activation tails, LUT activations such as YOLO's SiLU): the
 * clean-up keeps NHWC through them, so they do not end a wrap/unwrap chain
 * (the specs' fusableUnary trait).
 */
const isFusableUnary = (op: string): boolean => traitsOf(op).fusableUnary === true;

export interface OpTraffic {
  node: Node;
  op: string;
  kind: "compute" | "layout";
  /** Activation bytes read (non-constant, non-scratch inputs). */
  readBytes: number;
  writeBytes: number;
  /** Constant bytes read (weights, bias, LUTs, multipliers...). */
  weightBytes: number;
  /** Scratch bytes the op may touch. */
  scratchBytes: number;
}

export interface Traffic {
  perOp: OpTraffic[];
  /** Everything: activations read + written, weights, scratch. */
  totalBytes: number;
  computeBytes: number;
  /** Activation bytes read + written by layout ops. */
  layoutBytes: number;
  weightBytes: number;
  scratchBytes: number;
  /** Layout bytes on conv → (layout | fusable unary)* → conv chains. */
  layoutBytesBetweenConvs: number;
}

function distinct(vs: readonly (Value | null)[]): Value[] {
  const out: Value[] = [];
  for (const v of vs) if (v && !out.includes(v)) out.push(v);
  return out;
}

/** Per-op and total bytes moved by one inference of g under plan (aliased views move nothing). */
export function trafficOf(g: Graph, plan: MemoryPlan): Traffic {
  const perOp: OpTraffic[] = [];
  const byNode = new Map<Node, OpTraffic>();
  for (const n of plan.order) {
    if (n.op === SCRATCH_OP) continue; // an arena slice, not a run-time op
    const kind = isLayoutOp(n.op) ? "layout" : "compute";
    const t: OpTraffic = { node: n, op: n.op, kind, readBytes: 0, writeBytes: 0, weightBytes: 0, scratchBytes: 0 };
    const aliased = n.outputs.length === 1 && plan.aliases.has(n.outputs[0]!);
    if (!aliased) {
      for (const v of distinct(n.inputs)) {
        if (v.isConst()) t.weightBytes += valueBytes(v);
        else if (isScratchValue(v)) t.scratchBytes += valueBytes(v);
        else t.readBytes += valueBytes(v);
      }
      for (const o of n.outputs) t.writeBytes += valueBytes(o);
    }
    perOp.push(t);
    byNode.set(n, t);
  }
  const sum = (f: (t: OpTraffic) => number, keep: (t: OpTraffic) => boolean = () => true): number =>
    perOp.filter(keep).reduce((s, t) => s + f(t), 0);
  const moved = (t: OpTraffic) => t.readBytes + t.writeBytes;
  const between = layoutNodesBetweenConvs(plan.order);
  return {
    perOp,
    totalBytes: sum((t) => moved(t) + t.weightBytes + t.scratchBytes),
    computeBytes: sum((t) => moved(t) + t.weightBytes + t.scratchBytes, (t) => t.kind === "compute"),
    layoutBytes: sum(moved, (t) => t.kind === "layout"),
    weightBytes: sum((t) => t.weightBytes),
    scratchBytes: sum((t) => t.scratchBytes),
    layoutBytesBetweenConvs: [...between].reduce((s, n) => s + moved(byNode.get(n)!), 0),
  };
}

/** The activation input a layout/unary op passes along (its first non-constant input). */
function dataInput(n: Node): Value | null {
  return n.inputs.find((v) => v && !v.isConst()) ?? null;
}

/**
 * Layout nodes with a conv upstream and a conv downstream reachable through
 * layout ops and fusable unary ops only.
 */
export function layoutNodesBetweenConvs(nodes: readonly Node[]): Set<Node> {
  const passThrough = (n: Node) => isLayoutOp(n.op) || isFusableUnary(n.op);
  const fromConv = new Map<Node, boolean>();
  const upstreamConv = (n: Node): boolean => {
    const known = fromConv.get(n);
    if (known !== undefined) return known;
    fromConv.set(n, false);
    const p = dataInput(n)?.producer;
    const r = !!p && (isConv(p.op) || (passThrough(p) && upstreamConv(p)));
    fromConv.set(n, r);
    return r;
  };
  const toConv = new Map<Node, boolean>();
  const downstreamConv = (n: Node): boolean => {
    const known = toConv.get(n);
    if (known !== undefined) return known;
    toConv.set(n, false);
    let r = false;
    for (const o of n.outputs) {
      for (const u of o.users()) {
        if (isConv(u.op) ? u.inputs[0] === o : passThrough(u) && dataInput(u) === o && downstreamConv(u)) r = true;
      }
    }
    toConv.set(n, r);
    return r;
  };
  const out = new Set<Node>();
  for (const n of nodes) if (isLayoutOp(n.op) && upstreamConv(n) && downstreamConv(n)) out.add(n);
  return out;
}
