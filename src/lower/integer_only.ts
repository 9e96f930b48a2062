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

/**
 * The first node (in schedule order) of `g` that computes in float, or null
 * when there is none. A dequantize (or a float byte move) found first is only
 * the way into float: the node reported is then the float op it feeds, which
 * is what the user can act on (e.g. `--integer-only: node odd0 (aten.sqrt)`).
 */
export function firstFloatNode(g: Graph): Node | null {
  const n = firstFloatStep(g);
  return n && (n.op === DEQUANTIZE_PER_TENSOR.name || isMove(n)) ? (floatConsumer(g, n) ?? n) : n;
}

/** The first node reading `from`'s float results, through float byte moves, that is neither a move nor a quantize. */
function floatConsumer(g: Graph, from: Node): Node | null {
  const seen = new Set<Node>();
  const todo = [from];
  let best: Node | null = null;
  const order = (n: Node): number => g.nodes.indexOf(n);
  while (todo.length) {
    for (const v of f32(todo.pop()!.outputs)) for (const u of v.users()) {
      if (seen.has(u)) continue;
      seen.add(u);
      if (isMove(u)) todo.push(u);
      else if (u.op !== QUANTIZE_PER_TENSOR.name && (!best || order(u) < order(best))) best = u;
    }
  }
  return best;
}

function firstFloatStep(g: Graph): Node | null {
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
