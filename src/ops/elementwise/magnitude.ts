// The magnitude of a complex value kept as two real tensors: sqrt(pow(a, 2) + pow(b, 2)) (Silero's
// STFT |X|). The quantizer and the lowering both recognize this chain by the one rule here: in an
// integer-only build the quantizer keeps its sum of squares unquantized (it spans twice the dB range
// of |X|: neither int8 nor int16 holds it), and the lowering replaces the whole chain, between the
// dequantize of a, b and the quantize of the result, by one integer kernel (cortex_m.quantized_hypot).
import type { Graph, Node, Value } from "../../ir/graph.js";

// By name: the specs of these ops (binary.ts, unary.ts) read this file for their integer-only patterns.
const POW = { name: "aten.pow" };
const SLICE = { name: "aten.slice_copy" };
const ADD = { name: "aten.add" };
const SQRT = { name: "aten.sqrt" };

export interface MagnitudeChain {
  sqrt: Node;
  sum: Node;
  squares: [Node, Node];
  /** The two operands (real and imaginary part), of the result's shape. */
  a: Value;
  b: Value;
}

/** `v`'s only reader, or null (several readers, none, or — when the graph is given — a graph output). */
function onlyReader(g: Graph | null, v: Value): Node | null {
  return !g?.outputs.includes(v) && v.uses.length === 1 ? v.uses[0]!.node : null;
}

/** pow(x, 2) with a constant exponent 2 (every element), else null. */
export function squared(n: Node | null): Value | null {
  if (!n || n.op !== POW.name || n.outputs.length !== 1) return null;
  const e = n.inputs[1];
  return e?.data && e.data.length > 0 && Array.from(e.data).every((x) => x === 2) && n.inputs[0] ? n.inputs[0] : null;
}

const sameShape = (x: Value, y: Value): boolean => x.shape.join() === y.shape.join();

/**
 * The chain sqrt(pow(a, 2) + pow(b, 2)) ending at `sqrt`, each intermediate read only by the next, no broadcasting
 * (and, when `g` is given, no intermediate a graph output; quant patterns see only the node and pass null).
 */
export function magnitudeChain(g: Graph | null, sqrt: Node): MagnitudeChain | null {
  if (sqrt.op !== SQRT.name || !sqrt.inputs[0]) return null;
  const sum = sqrt.inputs[0].producer;
  if (!sum || sum.op !== ADD.name || onlyReader(g, sum.output) !== sqrt) return null;
  const [p, q] = [sum.inputs[0]?.producer ?? null, sum.inputs[1]?.producer ?? null];
  const a = squared(p);
  const b = squared(q);
  if (!a || !b || p === q) return null;
  if (onlyReader(g, p!.output) !== sum || onlyReader(g, q!.output) !== sum) return null;
  const y = sqrt.output;
  if (!sameShape(a, y) || !sameShape(b, y) || !sameShape(sum.output, y)) return null;
  return { sqrt, sum, squares: [p!, q!], a, b };
}

/** Whether `pow` is one of the two squares of a magnitude chain (graph outputs not checked). */
export function isMagnitudeSquare(pow: Node): boolean {
  const sum = pow.outputs.length === 1 ? onlyReader(null, pow.output) : null;
  const sqrt = sum && sum.outputs.length === 1 ? onlyReader(null, sum.output) : null;
  return !!sqrt && !!magnitudeChain(null, sqrt)?.squares.includes(pow);
}

/** Whether `add` is the sum of squares of a magnitude chain. */
export function isMagnitudeSum(g: Graph, add: Node): boolean {
  if (add.op !== ADD.name || add.outputs.length !== 1) return false;
  const next = onlyReader(g, add.output);
  return !!next && magnitudeChain(g, next)?.sum === add;
}

/**
 * `v` as one run of another tensor's row-major elements: a step-1 slice along a dim that only size-1 dims precede
 * (Silero's real and imaginary halves of the STFT output [1, 258, T] along dim 1), else null.
 */
export function contiguousSlice(v: Value): { source: Value; offset: number } | null {
  const n = v.producer;
  const x = n?.inputs[0];
  if (!n || n.op !== SLICE.name || !x) return null;
  const dim = (n.attrs.dim as number) < 0 ? (n.attrs.dim as number) + x.rank : (n.attrs.dim as number);
  if ((n.attrs.step ?? 1) !== 1 || x.shape.slice(0, dim).some((d) => d !== 1)) return null;
  const start = Math.min(Math.max((n.attrs.start as number | undefined) ?? 0, 0), x.shape[dim]!);
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  return { source: x, offset: start * inner };
}

export interface MagnitudeOfRuns extends MagnitudeChain {
  /** The tensor both operands are runs of, and where each run starts (row-major elements). */
  source: Value;
  offsets: [number, number];
}

/**
 * A magnitude chain whose two operands are runs of one float tensor: the lowering computes it in one float kernel
 * straight from that tensor (cortex_m.hypot_f32), so neither the halves nor the squares and their sum are ever
 * stored — the quantizer's RAM estimate (precision_cost.ts) counts it the same way.
 */
export function magnitudeOfRuns(g: Graph | null, sqrt: Node): MagnitudeOfRuns | null {
  const chain = magnitudeChain(g, sqrt);
  if (!chain) return null;
  const a = contiguousSlice(chain.a);
  const b = contiguousSlice(chain.b);
  if (!a || !b || a.source !== b.source || a.source.dtype !== "f32") return null;
  if ([chain.a, chain.b].some((v) => v.uses.length !== 1 || g?.outputs.includes(v))) return null;
  return { ...chain, source: a.source, offsets: [a.offset, b.offset] };
}
