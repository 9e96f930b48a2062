// The cortex_m dialect verifier (ExecuTorch verifies its edge dialect the
// same way): after lowering, and again after the clean-up, the graph may hold
// only ops both back ends can run, and what they will read must be well formed.
// Legality is derived from the op specs, never from a list of names:
//  - an op with a prepared-parameter record (spec.decode: the cortex_m ops)
//    is legal when its record decodes — the exact check the simulator's and the
//    C generator's bindings make before they use it;
//  - any other op is legal when it only moves bytes (spec.dataMovement) or has
//    float reference semantics (spec.eval: the simulator's float path and the C
//    float path run it) and computes on no int8/int16 value — integer
//    arithmetic on quantized codes belongs to the dialect, and a Q/DQ node left
//    behind is such an op. Byte moves the lowering keeps on int8
//    (quant.sameOpOnInt8) and operand slots the spec frees from the f32 rule
//    (traits.anyDtypeOperands: an index, a condition) may hold int8/int16;
//  - every int8/int16 value computed at run time carries its quantization
//    parameters (the next pass, the reports and the per-layer compare read them).
import { IRError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { getOp, hasOp, type OpDef } from "../ir/registry.js";

/** One broken rule, naming the node or value. */
export interface DialectViolation {
  rule: "unknown-op" | "illegal-op" | "record" | "qparams";
  /** The node (or, for "qparams", the value) at fault. */
  where: string;
  message: string;
}

const QUANTIZED_DTYPES: ReadonlySet<string> = new Set(["i8", "i16"]);

/**
 * The operand slots an op without a record may fill with int8/int16 values:
 * every one for a byte move (dataMovement, or a quant role that keeps the same
 * op on int8), else the slots its traits declare free of the f32 rule (an
 * index, a condition, a cast's input).
 */
function freeSlots(spec: OpDef): readonly number[] | "all" {
  if (spec.dataMovement || spec.quant?.sameOpOnInt8) return "all";
  return spec.traits?.anyDtypeOperands ?? [];
}

/** The node computes on quantized codes in a slot its spec does not free (or makes int8/int16 from other data). */
function computesOnQuantized(node: Node, spec: OpDef): boolean {
  const free = freeSlots(spec);
  if (free === "all") return false;
  const q = (v: Value | null): boolean => v !== null && QUANTIZED_DTYPES.has(v.dtype);
  return node.inputs.some((v, i) => q(v) && !free.includes(i)) || node.outputs.some(q);
}

function opViolation(node: Node, spec: OpDef): DialectViolation | null {
  if (spec.decode) {
    try {
      spec.decode(node);
      return null;
    } catch (e) {
      if (!(e instanceof IRError)) throw e;
      return { rule: "record", where: node.name, message: e.message };
    }
  }
  if (spec.dataMovement) return null;
  if (!spec.eval) {
    return { rule: "illegal-op", where: node.name, message: `${node.name} (${node.op}) has neither a prepared record nor float semantics` };
  }
  if (computesOnQuantized(node, spec)) {
    return { rule: "illegal-op", where: node.name, message: `${node.name} (${node.op}) computes on int8/int16 values outside the cortex_m dialect` };
  }
  return null;
}

/** Every rule the graph breaks (empty when it is a legal cortex_m program). */
export function dialectViolations(g: Graph): DialectViolation[] {
  const out: DialectViolation[] = [];
  const seen = new Set<Value>();
  const checkValue = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (!QUANTIZED_DTYPES.has(v.dtype) || v.isConst() || v.type.qparams) return;
    out.push({ rule: "qparams", where: v.name, message: `${v.dtype} value ${v.name} carries no quantization parameters` });
  };
  for (const v of g.inputs) checkValue(v);
  for (const node of g.nodes) {
    if (!hasOp(node.op)) {
      out.push({ rule: "unknown-op", where: node.name, message: `${node.name}: op ${node.op} is not defined` });
      continue;
    }
    const bad = opViolation(node, getOp(node.op));
    if (bad) out.push(bad);
    for (const v of node.outputs) checkValue(v);
  }
  return out;
}

/** Throw an IRError listing every violation; `stage` names the point of the pipeline. */
export function verifyDialect(g: Graph, stage: string): void {
  const bad = dialectViolations(g);
  if (bad.length === 0) return;
  const shown = bad.slice(0, 10).map((b) => `  ${b.message}`);
  if (bad.length > shown.length) shown.push(`  … and ${bad.length - shown.length} more`);
  throw new IRError(`${g.name}: not a legal cortex_m program after ${stage}:\n${shown.join("\n")}`);
}
