// What an op emitter gets: C expressions for every value (arena slot or
// weight symbol), file-scope declarations, the kernel functions the model
// needs (for the selective library build) and the error helper. One context
// per generated program; all names it hands out are deterministic.
import { bytesPerElement } from "../ir/dtype.js";
import { IRError } from "../ir/errors.js";
import type { Graph, Node, TensorType, Value } from "../ir/graph.js";
import { numel } from "../ir/tensor.js";
import type { MemoryPlan } from "../plan/graph_plan.js";
import { C_TYPES, commentSafe } from "./cfmt.js";
import { stageConst, type Staging } from "./external_weights.js";
import { NameTable } from "./names.js";

export type SupportLib = "support" | "float" | "float_ops" | "wide" | "int_ops" | "stft";

export interface WeightUse {
  value: Value;
  symbol: string;
  /** Extra zero elements after the data (kernels that may over-read). */
  pad: number;
  /** Op names that read it, for the comment beside the array. */
  users: string[];
}

export interface EmitContext {
  readonly prefix: string;
  readonly graph: Graph;
  readonly plan: MemoryPlan;
  /** Index of the node being emitted in the schedule (1-based, the error code is its negation). */
  readonly step: number;
  /** Typed C pointer to a value's bytes. `pad` (constants only) reserves zero elements after them. */
  ptr(v: Value, opts?: { pad?: number }): string;
  /** The arena offset of a planned value. */
  offset(v: Value): number;
  /** A CMSIS-NN function the program calls (selects library sources). */
  require(fn: string): void;
  useSupport(lib: SupportLib): void;
  /** A file-scope `static const` array; returns its name. */
  constArray(ctype: string, base: string, values: readonly (number | string)[]): string;
  /** A file-scope static buffer outside the arena (relayout temporaries, float workspaces); returns a typed pointer. */
  staticBuffer(ctype: string, base: string, count: number): string;
  /** A line of the step's code (indentation is added). */
  line(s: string): void;
  fail(node: Node, msg: string): never;
}

export interface ContextState {
  decls: string[];
  body: string[];
  staticBytes: number;
  weights: Map<Value, WeightUse>;
  nnFunctions: Set<string>;
  support: Set<SupportLib>;
  /** External-weights mode: large constants are fetched into a staging buffer (null: all in the image). */
  staging: Staging | null;
  /**
   * Caller-arena mode: static buffers become slices of a scratch region of the
   * caller's arena (SCRATCH(type, offset)), so an instance owns all it writes.
   */
  inArena: boolean;
}

export function newState(staging: Staging | null = null, inArena = false): ContextState {
  return { decls: [], body: [], staticBytes: 0, weights: new Map(), nnFunctions: new Set(), support: new Set(), staging, inArena };
}

/** Scratch slices start at multiples of this (the double workspaces, SIMD loads). */
const SCRATCH_ALIGN = 16;

export function cTypeOf(dtype: TensorType["dtype"]): string {
  return C_TYPES[dtype];
}

/** The macro reading an arena slot as a typed pointer (defined in the generated .c). */
export function arenaPtr(dtype: TensorType["dtype"], off: number): string {
  return `ARENA(${cTypeOf(dtype)}, ${off})`;
}

export function makeContext(
  prefix: string, graph: Graph, plan: MemoryPlan, state: ContextState, localNames: NameTable, weightNames: NameTable,
  node: Node, step: number,
): EmitContext {
  const ctx: EmitContext = {
    prefix, graph, plan, step,
    ptr(v, opts = {}) {
      if (v.data) {
        const staged = state.staging ? stageConst(state.staging, v, opts.pad ?? 0) : null;
        if (staged) return staged;
        let w = state.weights.get(v);
        if (!w) {
          w = { value: v, symbol: weightNames.unique(v.name, `${prefix}_w_`), pad: 0, users: [] };
          state.weights.set(v, w);
        }
        w.pad = Math.max(w.pad, opts.pad ?? 0);
        const who = `${node.name} (${node.op})`;
        if (!w.users.includes(who)) w.users.push(who);
        return w.symbol;
      }
      return arenaPtr(v.dtype, ctx.offset(v));
    },
    offset(v) {
      const off = plan.offsets.get(v);
      if (off === undefined) throw new IRError(`emit: value ${v.name} has no arena offset in the memory plan`);
      return off;
    },
    require(fn) {
      state.nnFunctions.add(fn);
    },
    useSupport(lib) {
      state.support.add(lib);
    },
    constArray(ctype, base, values) {
      const name = localNames.unique(base, "k_");
      // All-zero tables: C zero-fills the rest of an initializer.
      const body = values.length === 0 || values.every((x) => x === 0 || x === "0") ? "0" : values.join(", ");
      state.decls.push(`static const ${ctype} ${name}[${Math.max(1, values.length)}] = {${body}};`);
      return name;
    },
    staticBuffer(ctype, base, count) {
      const bytes = Math.max(1, count) * (ctype === "double" ? 8 : ctype === "float" || ctype === "int32_t" ? 4 : ctype === "int16_t" ? 2 : 1);
      if (state.inArena) {
        const off = state.staticBytes;
        state.staticBytes = Math.ceil((off + bytes) / SCRATCH_ALIGN) * SCRATCH_ALIGN;
        return `SCRATCH(${ctype}, ${off})`;
      }
      const name = localNames.unique(base, "buf_");
      state.decls.push(`static ${ctype} ${name}[${Math.max(1, count)}];`);
      state.staticBytes += bytes;
      return name;
    },
    line(s) {
      state.body.push(s);
    },
    fail(n, msg) {
      throw new IRError(`emit: node ${n.name} (${n.op}): ${msg}`);
    },
  };
  return ctx;
}

/** A static buffer holding a value in another layout. */
export function tempFor(ctx: EmitContext, t: TensorType, base: string): string {
  return ctx.staticBuffer(cTypeOf(t.dtype), base, numel(t.shape));
}

export function bytesOf(t: TensorType): number {
  return numel(t.shape) * bytesPerElement(t.dtype);
}

export function comment(s: string): string {
  return `/* ${commentSafe(s)} */`;
}
