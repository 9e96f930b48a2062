import type { Graph, Node, Value } from "../ir/graph.js";
import { perTensor, type QParams } from "../ir/quant.js";
import { CLONE, VIEW } from "./passes/view_chain.js";
import { DEQUANTIZE_PER_CHANNEL, DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/quant/quant_ops.js";

export const Q = QUANTIZE_PER_TENSOR.name;
export const DQ = DEQUANTIZE_PER_TENSOR.name;
export const DQC = DEQUANTIZE_PER_CHANNEL.name;

/** Per-tensor parameters carried by a Q or DQ node's attributes (int8 unless the node says dtype "i16"). */
export function qparamsOfNode(n: Node): QParams {
  const dtype = n.attrs.dtype === "i16" ? "i16" : "i8";
  return perTensor(n.attrs.scale as number, n.attrs.zero_point as number, dtype, n.attrs.quant_min as number, n.attrs.quant_max as number);
}

/** The int8 source behind a dequantize, with its parameters; null if `v` is not dequantized. */
export interface QInput {
  value: Value;
  q: QParams;
  dq: Node;
}

export function quantizedInput(v: Value | null): QInput | null {
  const p = v?.producer;
  if (!p) return null;
  if (p.op === DQ) return { value: p.input(0), q: qparamsOfNode(p), dq: p };
  if (p.op === DQC) {
    const scales = p.attrs.scales as number[];
    const q: QParams = {
      scheme: "per_channel", scale: scales, zeroPoint: (p.attrs.zero_points as number[] | undefined) ?? scales.map(() => 0),
      axis: p.attrs.axis as number, qmin: p.attrs.quant_min as number, qmax: p.attrs.quant_max as number, dtype: p.input(0).dtype,
    };
    return { value: p.input(0), q, dq: p };
  }
  return null;
}

/** A quantized pattern: DQ inputs → anchor [→ tail] → Q. */
export interface QuantMatch {
  anchor: Node;
  inputs: (QInput | null)[];
  tail: Node | null;
  /** The quantize node that ends the pattern. */
  quant: Node;
  outQ: QParams;
}

/** The only user of `v`, or null when it has none, several, or is a graph output. */
export function soleUser(g: Graph, v: Value): Node | null {
  if (g.outputs.includes(v)) return null;
  const users = v.users();
  return users.length === 1 && v.uses.length === 1 ? users[0]! : null;
}

/**
 * Match `anchor` as the head of a quantized pattern. `activationInputs` are
 * the input indices that must come from a dequantize (weights and bias are
 * checked by the caller); `tails` are op names that may follow the anchor.
 */
export function matchQuantized(
  g: Graph, anchor: Node, activationInputs: number[], tails: readonly string[] = [], dtype: "i8" | "i16" = "i8",
): QuantMatch | null {
  const inputs = anchor.inputs.map((v) => quantizedInput(v));
  for (const i of activationInputs) {
    const qi = inputs[i];
    if (!qi || qi.q.scheme !== "per_tensor" || qi.value.dtype !== dtype) return null;
  }
  if (anchor.outputs.length !== 1) return null;
  let next = soleUser(g, anchor.output);
  let tail: Node | null = null;
  if (next && tails.includes(next.op)) {
    tail = next;
    next = soleUser(g, tail.output);
  }
  if (!next || next.op !== Q || next.attrs.dtype !== dtype) return null;
  return { anchor, inputs, tail, quant: next, outQ: qparamsOfNode(next) };
}

/** Make the pattern's consumers read `replacement` (int8) instead of the Q output. */
export function replacePattern(g: Graph, m: QuantMatch, replacement: Value): void {
  replacement.type.qparams = m.outQ;
  markSource(replacement, m.quant.output.name);
  g.replaceAllUses(m.quant.output, replacement);
}

const WRAPS: ReadonlySet<string> = new Set([VIEW, CLONE]);

/**
 * Record on the node computing `v` (behind any wrap/unwrap) the name of the
 * quantize output it replaces in the Q/DQ graph, so a per-layer comparison
 * can pair the two programs' int8 tensors (`meta.quantizedFrom`).
 */
export function markSource(v: Value, quantizedName: string): void {
  let p = v.producer;
  while (p && WRAPS.has(p.op) && p.inputs[0]?.producer) p = p.inputs[0].producer;
  if (p) p.meta.quantizedFrom = quantizedName;
}
