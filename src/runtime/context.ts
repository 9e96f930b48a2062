// What an op's prepare function gets: typed-array views of the one arena for
// every planned value, constant data, layout helpers and the error helper.
// Prepare runs once per program; the step closure it returns is the "Eval".
import { allocArray, bytesPerElement, type TypedArray } from "../ir/dtype.js";
import { IRError } from "../ir/errors.js";
import type { Node, TensorType, Value } from "../ir/graph.js";
import type { MemoryPlan } from "../plan/graph_plan.js";
import { samePlacement, storedLayout } from "../ir/layout.js";
import { planRelayout } from "./moves.js";

/** One scheduled unit of work (no allocation inside in the steady state). */
export type Step = () => void;

export interface PrepareContext {
  /** Run the plain reference kernels instead of the optimized ones. */
  readonly reference: boolean;
  /** Arena view of a planned value, or a constant's data (logical row-major). */
  view(v: Value): TypedArray;
  i8(v: Value): Int8Array;
  i32(v: Value): Int32Array;
  /** Optional constant input as Int32Array (null when absent). */
  i32OrNull(v: Value | null): Int32Array | null;
  /** The planner made `v` (a view_copy output) share its input's storage. */
  isAlias(v: Value): boolean;
  /** A buffer owned by this step (allocated once, at prepare time). */
  temp(t: TensorType): TypedArray;
  /** Throw an IRError naming the node. */
  fail(node: Node, msg: string): never;
}

export type PrepareFn = (node: Node, ctx: PrepareContext) => Step | null;

/**
 * The bytes of `v` in layout `want`: the value's own view when the layouts
 * agree, else a preallocated copy refreshed by `pre` before the kernel runs.
 */
export function inputIn(ctx: PrepareContext, v: Value, want: TensorType): { data: TypedArray; pre: Step | null } {
  const have = storedLayout(v);
  const data = ctx.view(v);
  if (samePlacement(have, want)) return { data, pre: null };
  const tmp = ctx.temp({ ...want, dtype: v.dtype });
  const move = planRelayout({ ...want, dtype: v.dtype }, have);
  return { data: tmp, pre: () => move(data, tmp) };
}

/**
 * Where a kernel producing layout `have` writes output `v`: the value's view
 * when the layouts agree, else a preallocated buffer moved into place by `post`.
 */
export function outputIn(ctx: PrepareContext, v: Value, have: TensorType): { data: TypedArray; post: Step | null } {
  const dst = ctx.view(v);
  if (samePlacement(have, v.type)) return { data: dst, post: null };
  const tmp = ctx.temp({ ...have, dtype: v.dtype });
  const move = planRelayout(v.type, { ...have, dtype: v.dtype });
  return { data: tmp, post: () => move(tmp, dst) };
}

/** Chain optional pre/post steps around a kernel call. */
export function wrapStep(pre: (Step | null)[], run: Step, post: (Step | null)[]): Step {
  const before = pre.filter((s): s is Step => s !== null);
  const after = post.filter((s): s is Step => s !== null);
  if (before.length === 0 && after.length === 0) return run;
  return () => {
    for (const s of before) s();
    run();
    for (const s of after) s();
  };
}

/** Build the context over one arena. */
export function makeContext(arena: ArrayBuffer, plan: MemoryPlan, reference: boolean): PrepareContext {
  const views = new Map<Value, TypedArray>();
  const ctx: PrepareContext = {
    reference,
    view(v) {
      if (v.data) return v.data;
      let a = views.get(v);
      if (a) return a;
      const off = plan.offsets.get(v);
      if (off === undefined) throw new IRError(`runtime: value ${v.name} has no arena offset in the memory plan`);
      const n = v.numel;
      if (off + n * bytesPerElement(v.dtype) > arena.byteLength) {
        throw new IRError(`runtime: value ${v.name} at offset ${off} (${n} × ${v.dtype}) overruns the ${arena.byteLength}-byte arena`);
      }
      a = arenaView(arena, v.dtype, off, n);
      views.set(v, a);
      return a;
    },
    i8(v) {
      const a = ctx.view(v);
      if (!(a instanceof Int8Array)) throw new IRError(`runtime: ${v.name} is ${v.dtype}, expected i8`);
      return a;
    },
    i32(v) {
      const a = ctx.view(v);
      if (a instanceof Int32Array) return a;
      if (v.data) return Int32Array.from(a as ArrayLike<number>);
      throw new IRError(`runtime: ${v.name} is ${v.dtype}, expected i32`);
    },
    i32OrNull(v) {
      return v ? ctx.i32(v) : null;
    },
    isAlias(v) {
      return plan.aliases.has(v);
    },
    temp(t) {
      return allocArray(t.dtype, t.shape.reduce((a, b) => a * b, 1));
    },
    fail(node, msg) {
      throw new IRError(`runtime: node ${node.name} (${node.op}): ${msg}`);
    },
  };
  return ctx;
}

function arenaView(buf: ArrayBuffer, dtype: Value["dtype"], off: number, n: number): TypedArray {
  switch (dtype) {
    case "f32": return new Float32Array(buf, off, n);
    case "i8": return new Int8Array(buf, off, n);
    case "u8": case "bool": return new Uint8Array(buf, off, n);
    case "i16": return new Int16Array(buf, off, n);
    case "i32": return new Int32Array(buf, off, n);
    case "i64": return new Float64Array(buf, off, n);
  }
}

