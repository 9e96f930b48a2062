// What a precision choice costs, estimated on the annotated float graph
// before anything is lowered (the quantizer may not look at later stages):
// - RAM: the peak, over the schedule, of the bytes of live activations, each
//   value at its element size (int8 1, int16 2, float 4). The planner's arena
//   is at least this (it is the bound its lower_bound reports).
// - instructions: multiply-accumulates of the convolution and linear layers,
//   weighted by kernel kind, plus one unit per element of every other op
//   (four for float ones). Only the ratio to the int8 build is used (the
//   budget is a percentage), so the unit does not matter; the weights are
//   assumptions, named below, not measurements.
import type { Graph, Value } from "../ir/graph.js";
import { numel } from "../ir/tensor.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import type { Annotation, QGroup } from "./annotate.js";

/** An s16 convolution MAC against an s8 one: arm_convolve_s16 skips the s8 kernels' int8→int16 expansion but moves twice the bytes. */
const S16_MAC = 1.25;
/** A float MAC or element against an int8 one (no SIMD, soft or single-issue FPU). */
const FLOAT_UNIT = 4;

export interface PrecisionCost {
  ramBytes: number;
  instructions: number;
}

export function precisionCost(g: Graph, ann: Annotation, dtypeOf: ReadonlyMap<QGroup, "i8" | "i16">): PrecisionCost {
  const bytesOf = (v: Value): number => {
    const grp = ann.groupOf.get(v);
    if (grp) return v.numel * (dtypeOf.get(grp) === "i16" ? 2 : 1);
    return v.numel * (v.dtype === "f32" ? 4 : 1);
  };
  // Liveness over the schedule: a value lives from its definition to its last reader (outputs to the end).
  const last = new Map<Value, number>();
  g.nodes.forEach((n, i) => n.inputs.forEach((v) => v && !v.data && last.set(v, i)));
  for (const o of g.outputs) last.set(o, g.nodes.length);
  const ends: number[] = new Array<number>(g.nodes.length + 1).fill(0);
  let live = 0;
  for (const v of g.inputs) live += bytesOf(v);
  for (const v of g.inputs) ends[last.get(v) ?? 0]! += bytesOf(v);
  let peak = live;
  let instructions = 0;
  g.nodes.forEach((n, i) => {
    let made = 0;
    for (const o of n.outputs) {
      const b = bytesOf(o);
      made += b;
      ends[Math.max(i, last.get(o) ?? i)]! += b;
    }
    peak = Math.max(peak, live + made);
    live += made - ends[i]!;
    const role = ann.roles.get(n)?.kind;
    const x = n.inputs[0];
    const quantized = role === "pattern" || role === "tail";
    if (n.op === CONVOLUTION.name && x && n.inputs[1]) {
      const w = n.inputs[1];
      const macs = n.output.numel * numel(w.shape.slice(1));
      const grp = ann.groupOf.get(x);
      instructions += macs * (!quantized ? FLOAT_UNIT : grp && dtypeOf.get(grp) === "i16" ? S16_MAC : 1);
    } else {
      instructions += n.outputs.reduce((s, o) => s + o.numel, 0) * (quantized || role === "shared" ? 1 : FLOAT_UNIT);
    }
  });
  return { ramBytes: peak, instructions };
}
