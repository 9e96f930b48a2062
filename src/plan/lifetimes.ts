// From a graph and a schedule to planner buffers: lifetimes of every
// non-constant value, storage sharing (aliasing views, in-place elementwise
// ops) and one Buffer per group of values that share storage.
//
// Steps are positions in the schedule. A value is live from its producer's
// step (graph inputs: step 0) to its last reader's step (graph outputs: the
// last step). A scratch value (from `cortex_m.scratch`) is live only at the
// step of the op that reads it: the scratch node itself does no work.
import "../ops/index.js"; // the op specs the traits are read from
import { bytesPerElement } from "../ir/dtype.js";
import { IRError } from "../ir/errors.js";
import type { Graph, Node, Value } from "../ir/graph.js";
import { sameLayout, storesRowMajor } from "../ir/layout.js";
import { traitsOf } from "../ir/registry.js";
import type { Buffer } from "./offsets.js";
import { VIEW_COPY } from "../ops/shape/reshape.js";

export const SCRATCH_OP = "cortex_m.scratch";
export const VIEW_OP = VIEW_COPY.name;

/** Bytes a value occupies: numel × element size. */
export function valueBytes(v: Value): number {
  return v.numel * bytesPerElement(v.dtype);
}

export function isScratchValue(v: Value): boolean {
  return v.producer?.op === SCRATCH_OP;
}

/**
 * A view_copy from `x` to `y` keeps every byte where it is, in the narrow
 * sense the planner aliases on: both sides store logical row-major bytes
 * (e.g. NCHW [1,C,1,1] with dim_order [0,2,3,1]). ir/layout's
 * reshapeKeepsBytes also accepts equal non-unit dims in one non-row-major
 * order; the planner does not alias those (the memory plans, hence the
 * generated C, stay as they are).
 */
export function viewKeepsBytes(x: Value, y: Value): boolean {
  return x.dtype === y.dtype && x.numel === y.numel && storesRowMajor(x.type) && storesRowMajor(y.type);
}

/**
 * Ops that may write their output over one of their inputs (elementwise: output
 * element i depends only on input element i, read before it is written): the
 * specs' inPlace trait lists the input slots that may be overwritten, in
 * preference order; inPlaceFloatOnly restricts float catalog ops to f32 values.
 */
export function inPlaceRule(op: string): { inputs: readonly number[]; floatOnly: boolean } | null {
  const t = traitsOf(op);
  return t.inPlace ? { inputs: t.inPlace, floatOnly: t.inPlaceFloatOnly === true } : null;
}

/** A planner buffer and the values that live in it (first = the owner). */
export interface ValueBuffer extends Buffer {
  values: Value[];
}

export interface GraphBuffers {
  buffers: ValueBuffer[];
  bufferOf: Map<Value, ValueBuffer>;
  /** view_copy output → its input (same storage). */
  aliases: Map<Value, Value>;
  /** in-place node → the input its output overwrites. */
  inPlace: Map<Node, Value>;
  /** Per-value lifetime before storage sharing. */
  lifetime: Map<Value, { first: number; last: number }>;
  steps: number;
}

export interface BufferOptions {
  alias?: boolean;
  inPlace?: boolean;
  align?: number;
}

interface Group {
  values: Value[];
  first: number;
  last: number;
  hasInput: boolean;
  hasOutput: boolean;
}

/** Lifetimes and storage groups for the schedule `order` (default: the graph's own). */
export function graphBuffers(g: Graph, order: readonly Node[] = g.nodes, opts: BufferOptions = {}): GraphBuffers {
  const stepOf = new Map<Node, number>();
  order.forEach((n, i) => stepOf.set(n, i));
  const lastStep = Math.max(0, order.length - 1);
  const outputs = new Set(g.outputs);
  const inputs = new Set(g.inputs);

  const lifetime = new Map<Value, { first: number; last: number }>();
  const readersStep = (v: Value): number[] =>
    v.uses.map((u) => {
      const s = stepOf.get(u.node);
      if (s === undefined) throw new IRError(`memory plan: ${v.name} is read by ${u.node.name}, which is not in the schedule`);
      return s;
    });
  const define = (v: Value, first: number): void => {
    if (v.isConst() || lifetime.has(v)) return;
    const reads = readersStep(v);
    for (const s of reads) {
      if (s < first) throw new IRError(`memory plan: ${v.name} is read at step ${s} before it is produced at step ${first}`);
    }
    let f = first;
    let last = Math.max(first, ...reads);
    if (isScratchValue(v) && reads.length > 0) f = Math.min(...reads);
    if (outputs.has(v)) last = lastStep;
    lifetime.set(v, { first: f, last });
  };
  for (const v of g.inputs) define(v, 0);
  order.forEach((n, i) => n.outputs.forEach((o) => define(o, i)));
  for (const v of g.outputs) {
    if (!v.isConst() && !lifetime.has(v)) throw new IRError(`memory plan: graph output ${v.name} is not produced by the schedule`);
  }
  for (const n of order) {
    for (const v of n.inputs) {
      if (v && !v.isConst() && !lifetime.has(v)) throw new IRError(`memory plan: ${n.name} reads ${v.name}, which no scheduled node or graph input defines`);
    }
  }

  // Union-find over values; each root holds its group's combined lifetime.
  const parent = new Map<Value, Value>();
  const group = new Map<Value, Group>();
  for (const [v, lt] of lifetime) {
    parent.set(v, v);
    group.set(v, { values: [v], first: lt.first, last: lt.last, hasInput: inputs.has(v), hasOutput: outputs.has(v) });
  }
  const find = (v: Value): Value => {
    let r = v;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(v, r);
    return r;
  };
  const groupOf = (v: Value): Group => group.get(find(v))!;
  const union = (owner: Value, other: Value): void => {
    const ra = find(owner);
    const rb = find(other);
    if (ra === rb) return;
    const a = group.get(ra)!;
    const b = group.get(rb)!;
    a.values.push(...b.values);
    a.first = Math.min(a.first, b.first);
    a.last = Math.max(a.last, b.last);
    a.hasInput ||= b.hasInput;
    a.hasOutput ||= b.hasOutput;
    parent.set(rb, ra);
    group.delete(rb);
  };

  const aliases = new Map<Value, Value>();
  const inPlace = new Map<Node, Value>();
  order.forEach((n, step) => {
    if (n.op === VIEW_OP && opts.alias !== false) {
      const x = n.inputs[0];
      const y = n.outputs[0];
      if (!x || !y || x.isConst() || !viewKeepsBytes(x, y)) return;
      const gx = groupOf(x);
      const gy = groupOf(y);
      // A graph input and a graph output must keep separate storage: the caller owns both.
      if ((gx.hasInput && gy.hasOutput) || (gx.hasOutput && gy.hasInput)) return;
      union(x, y);
      aliases.set(y, x);
      return;
    }
    const rule = inPlaceRule(n.op);
    if (!rule || opts.inPlace === false || n.outputs.length !== 1) return;
    const y = n.outputs[0]!;
    for (const k of rule.inputs) {
      const x = n.inputs[k];
      if (!x || x.isConst() || isScratchValue(x)) continue;
      if (rule.floatOnly && (x.dtype !== "f32" || y.dtype !== "f32")) continue;
      if (valueBytes(x) !== valueBytes(y) || !sameLayout(x.type, y.type)) continue;
      const gx = groupOf(x);
      // Overwrite only storage nobody reads after this op and the caller does not own.
      if (gx.last !== step || gx.hasInput || gx.hasOutput) continue;
      const readsOfGroup = n.inputs.filter((v) => v && !v.isConst() && find(v) === find(x)).length;
      if (readsOfGroup !== 1) continue;
      union(x, y);
      inPlace.set(n, x);
      break;
    }
  });

  const buffers: ValueBuffer[] = [];
  const bufferOf = new Map<Value, ValueBuffer>();
  for (const [, gr] of group) {
    const size = Math.max(...gr.values.map(valueBytes));
    const b: ValueBuffer = { id: buffers.length, size, first: gr.first, last: gr.last, values: gr.values };
    if (opts.align !== undefined) b.align = opts.align;
    buffers.push(b);
    for (const v of gr.values) bufferOf.set(v, b);
  }
  return { buffers, bufferOf, aliases, inPlace, lifetime, steps: order.length };
}
