import type { Attrs, Node, TensorType } from "./graph.js";
import { IRError } from "./errors.js";
import type { MoveInput, SourceMap } from "./source_map.js";
import type { Tensor } from "./tensor.js";

/**
 * What the IR knows about an op: the op spec. Op families define theirs in
 * src/ops/<family>/; this file holds the record's shape and the one table.
 * Every per-op table the stages need (layout-agnostic ops, in-place rules,
 * quantization patterns, lowered-parameter decoders, ...) is derived from
 * these records, never kept by hand beside them.
 */
export interface OpDef<P = unknown> {
  name: string;
  /** Output types from input types and attributes (the shape rule). */
  infer(inputs: (TensorType | null)[], attrs: Attrs): TensorType[];
  /** Reference semantics on logical-order tensors (float, or integer for shape arithmetic). */
  eval?(inputs: (Tensor | null)[], attrs: Attrs): Tensor[];
  /** Unary elementwise and shape-preserving: view chains may be collapsed through it. */
  unaryElementwise?: boolean;
  /** Only moves data (quantized graphs give it its input's parameters). */
  dataMovement?: boolean;
  /**
   * Data-movement ops: where every output element comes from, one SourceMap
   * per output (ir/source_map.ts). The float eval, the simulator's planned
   * copies and the C gathers are derived from it. Null when the map needs
   * values known only at run time (a gather with computed indices).
   */
  moves?(inputs: readonly MoveInput[], attrs: Attrs): SourceMap[] | null;
  /** Facts the passes, the planner and the traffic counters read (see OpTraits). */
  traits?: OpTraits;
  /** The op's role in post-training quantization (see QuantRole). */
  quant?: QuantRole;
  /**
   * Lowered (cortex_m dialect) ops: decode and validate the node's attributes
   * and operand shapes once into the typed record both back ends consume
   * (TFLite Micro's OpData + Prepare). Throws an IRError naming the node.
   */
  decode?(node: Node): P;
}

/** Per-op facts; a missing field means "no". */
export interface OpTraits {
  /** Output element i depends only on input element i (same shape); value is the slots that may be overwritten in place, in preference order. */
  inPlace?: readonly number[];
  /** In-place only when the value is f32 (float catalog ops that also exist quantized). */
  inPlaceFloatOnly?: boolean;
  /** The result does not depend on the physical order of these activation inputs ("all": every input). */
  layoutAgnostic?: readonly number[] | "all";
  /** The op's CMSIS-NN dims are attributes (input_dims/output_dims): values may be redeclared with any shape holding the same bytes. */
  reinterpretable?: boolean;
  /** A pure layout op (view, dim-order clone, transpose, permute, pad): counted as layout traffic. */
  layout?: boolean;
  /** A convolution (anchor of the "layout ops between convs" metric). */
  conv?: boolean;
  /** One-input op that keeps NHWC through it in the clean-up (does not end a wrap/unwrap chain). */
  fusableUnary?: boolean;
}

/** How post-training quantization treats the op (lowering.md §4). */
export interface QuantRole {
  /** Shares its input's quantization parameters (int8 byte moves, clamps that keep the grid). */
  sharesInputParams?: boolean;
}

const table = new Map<string, OpDef>();

export function defineOp<P = unknown>(def: OpDef<P>): OpDef<P> {
  if (table.has(def.name)) throw new IRError(`op ${def.name} defined twice`);
  table.set(def.name, def as OpDef);
  return def;
}

export function getOp(name: string): OpDef {
  const d = table.get(name);
  if (!d) throw new IRError(`unknown op ${name}`);
  return d;
}

export function hasOp(name: string): boolean {
  return table.has(name);
}

export function allOps(): string[] {
  return [...table.keys()].sort();
}

/** Every registered spec (after src/ops/index.js has been imported). */
export function allOpDefs(): OpDef[] {
  return [...table.values()];
}

/** The names of the ops whose spec satisfies `pred`: how trait tables are derived. */
export function opsWhere(pred: (d: OpDef) => boolean): ReadonlySet<string> {
  return new Set([...table.values()].filter(pred).map((d) => d.name));
}
