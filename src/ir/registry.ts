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
  /**
   * Operand slots that may hold any dtype at run time ("all": every one); the
   * other operands of a float op must be f32. Data-movement ops take any dtype.
   */
  anyDtypeOperands?: readonly number[] | "all";
  /** One-input op that keeps NHWC through it in the clean-up (does not end a wrap/unwrap chain). */
  fusableUnary?: boolean;
}

/** How one input of a quantized op is quantized (lowering.md §4). */
export type InputRole =
  | "act" // activation: int8 asymmetric per tensor, read through Q → DQ
  | "weight_per_channel" // conv weight: int8 symmetric per output channel
  | "weight_linear" // linear weight: per tensor (per channel with the perChannelLinear option)
  | "bias" // int32, scale s_in·s_w, zp 0
  | "act_or_weight" // matmul operand: a constant is a symmetric per-tensor weight, else an activation
  | "ignore"; // not a tensor operand of the quantized op

/** Fixed int8 output parameters (the TFLite softmax / logistic / tanh kernels' output ranges). */
export interface FixedOutput {
  scale: number;
  zeroPoint: number;
}

/** How the output of a quantized op gets its parameters: from the observed range, or fixed by the kernel. */
export type OutputRule = "observed" | { fixed: FixedOutput };

/**
 * One quantization pattern anchored at the op: the anchor, optionally followed
 * by one tail, is quantized as one unit (no Q/DQ between them).
 */
export interface QuantPattern {
  /** Recorded in node.meta.qpattern.name. */
  name: string;
  /** A further condition on the node (e.g. which kind of convolution); absent: every node of the op. */
  when?: (n: Node) => boolean;
  inputs: readonly InputRole[];
  output: OutputRule;
  /** Ops (with a quant.tail role) that may follow the anchor inside the pattern. */
  tails: readonly string[];
  /**
   * Why no lowering substitution turns this pattern into cortex_m ops; absent
   * when the op's substitution does. The parity test holds every pattern to one of the two.
   */
  notLowered?: string;
  /**
   * The pattern applies only to an integer-only build (--integer-only): in a
   * default build the op stays float, where its float kernel is more exact
   * than the integer one (e.g. log_softmax: softmax then a log table).
   */
  integerOnly?: boolean;
  /**
   * Recurrent state the op carries between calls (the integer LSTM), by input and output slot: the hidden
   * state (input `hiddenIn`, output `hiddenOut`) is written on the main output's grid, so both join the
   * output's group; the cell state (input `cellIn`, output `cellOut`) is one int16 group at a power-of-two
   * scale. Byte moves touching the cell state stay float (they would tie its grid to another); in an
   * integer-only build they are integer instead, and what they carry is one group with the cell (annotate.ts).
   * The anchor's main output is outputs[0].
   */
  recurrentState?: { hiddenIn: number; hiddenOut: number; cellIn: number; cellOut: number };
}

/**
 * An activation whose whole effect on a producer's output is y = clamp(x / d + b, lo, hi):
 * fused into the producer's requantization (scale, zero point, activation min/max).
 */
export interface TailRole {
  /** A further condition on the node (e.g. a clamp with at least one bound); absent: always. */
  when?: (n: Node) => boolean;
  /** The clamp bounds in real numbers (null: unbounded on that side). */
  bounds(attrs: Attrs): [number | null, number | null];
  /**
   * The affine part x / d + b before the clamp; absent: the identity (a plain
   * clamp). A divisor, not a factor, so the producer's scale d·s is exact.
   */
  affine?: { divisor: number; offset: number };
}

/** How post-training quantization treats the op (lowering.md §4). */
export interface QuantRole {
  /** Patterns anchored at this op, tried in order (the first whose `when` holds applies). */
  patterns?: readonly QuantPattern[];
  /** The op may end a pattern as its activation tail. */
  tail?: TailRole;
  /**
   * Shares its input's quantization parameters (int8 byte moves, clamps that
   * keep the grid); absent: the op's dataMovement flag decides.
   */
  sharesInputParams?: boolean;
  /**
   * With sharesInputParams: int8 only where its result reaches a quantized
   * pattern (through byte moves or not). At the end of the int8 region the op
   * stays float: quantizing it there would only round its result onto the
   * input's grid before the model's float output (and make that output int8).
   */
  sharesOnlyInside?: boolean;
  /**
   * A byte move the lowering keeps as the same op on the int8 values (DQ → op
   * → Q with one parameter set becomes op on int8); the runtime and C run it on int8.
   */
  sameOpOnInt8?: boolean;
  /**
   * The real function an int8 lookup table (cortex_m.quantized_activation)
   * samples when the op is lowered quantized, from the node's attributes (a
   * slope, a bound). Kept apart from `eval`: the table's bytes are part of the
   * generated C, so its formula is fixed here.
   */
  lut?: (attrs: Attrs) => (x: number) => number;
  /** The attributes `lut` reads: the lowered table node carries them, so it says what it was built from. */
  lutAttrs?: readonly string[];
}

/** Whether quantized graphs give the op its input's parameters (see QuantRole.sharesInputParams). */
export function sharesInputParams(d: OpDef): boolean {
  return d.quant?.sharesInputParams ?? d.dataMovement === true;
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

/** The dialect the lowering targets: CMSIS-NN calls (src/lower/CORTEX_M.md). */
export const LOWERED_DIALECT = "cortex_m";

/** An op name's dialect: the part before the dot ("aten", "cortex_m", "quantized_decomposed", ...). */
export function dialectOf(name: string): string {
  const dot = name.indexOf(".");
  return dot < 0 ? "" : name.slice(0, dot);
}

/** An op name without its dialect ("aten.relu" → "relu"): how attributes and reports name it. */
export function localName(name: string): string {
  return name.slice(name.indexOf(".") + 1);
}

/** The traits of an op (none for an op without a spec, e.g. a placeholder). */
export function traitsOf(name: string): OpTraits {
  return table.get(name)?.traits ?? {};
}

/** The names of the ops whose spec satisfies `pred`: how trait tables are derived. */
export function opsWhere(pred: (d: OpDef) => boolean): ReadonlySet<string> {
  return new Set([...table.values()].filter(pred).map((d) => d.name));
}
