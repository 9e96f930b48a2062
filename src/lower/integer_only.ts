// The check behind --integer-only: after lowering, nothing computes in float
// (for cores without an FPU). Allowed are only the float BORDERS of the
// program — quantize of a float model input, dequantize to a float model
// output, and byte moves between them and the graph boundary — which the
// generated C runs only in <name>_run_float; <name>_run takes and gives int8.
import type { Graph, Node, Value } from "../ir/graph.js";
import { getOp, hasOp } from "../ir/registry.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/cortex_m/quant.js";

const isMove = (n: Node): boolean => hasOp(n.op) && getOp(n.op).dataMovement === true;
const f32 = (vs: readonly (Value | null)[]): Value[] => vs.filter((v): v is Value => !!v && v.dtype === "f32");

/** The first node (in schedule order) of `g` that computes in float, or null when there is none. */
export function firstFloatNode(g: Graph): Node | null {
  // Float values at the boundary: graph inputs and what byte moves make of them...
  const fromInputs = new Set<Value>(f32(g.inputs));
  for (const n of g.nodes) if (isMove(n) && f32(n.inputs).length > 0 && f32(n.inputs).every((v) => fromInputs.has(v))) for (const o of f32(n.outputs)) fromInputs.add(o);
  // ...and graph outputs with the byte moves that only feed them.
  const toOutputs = new Set<Value>(f32(g.outputs));
  for (const n of [...g.nodes].reverse()) if (isMove(n) && f32(n.outputs).length > 0 && f32(n.outputs).every((v) => toOutputs.has(v))) for (const i of f32(n.inputs)) toOutputs.add(i);
  for (const n of g.nodes) {
    const ins = f32(n.inputs);
    const outs = f32(n.outputs);
    if (ins.length === 0 && outs.length === 0) continue;
    if (n.op === QUANTIZE_PER_TENSOR.name && ins.every((v) => fromInputs.has(v))) continue;
    if (n.op === DEQUANTIZE_PER_TENSOR.name && outs.every((v) => toOutputs.has(v))) continue;
    if (isMove(n) && [...ins, ...outs].every((v) => fromInputs.has(v) || toOutputs.has(v))) continue;
    return n;
  }
  return null;
}
