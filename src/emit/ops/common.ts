// Helpers shared by the op emitters: the binding of a lowered op's prepared
// record, attribute readers for the ops that have no record yet, CMSIS-NN
// struct initialisers.
import { bindRecord, type Binding } from "../../ir/bindings.js";
import type { Node, Value } from "../../ir/graph.js";
import type { OpDef } from "../../ir/registry.js";
import type { Dims } from "../../kernels/types.js";
import { numAttr as readNum, numsAttr as readNums } from "../../ops/cortex_m/decode.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";

export type EmitFn = (node: Node, ctx: EmitContext) => void;

/** Attribute readers for the families without a record yet (the one definition is the specs' decode.ts). */
export const num = (node: Node, key: string, _ctx?: EmitContext): number => readNum(node, key);
export const nums = (node: Node, key: string, _ctx?: EmitContext): number[] => readNums(node, key);

/** An emitter of a lowered op: writes the node's C from the spec's decoded record. */
export type Emit<P> = (p: P, node: Node, ctx: EmitContext) => void;

/** Bind an emitter to a spec with a record (decoded once per node, here). */
export function bind<P>(spec: OpDef<P>, emit: Emit<P>): Binding<EmitFn> {
  return bindRecord(spec, emit);
}

export const dimsInit = (d: Dims): string => `{${d.n}, ${d.h}, ${d.w}, ${d.c}}`;
/** cmsis_nn_tile is {w, h}. */
export const tileInit = (t: { h: number; w: number }): string => `{${t.w}, ${t.h}}`;
export const actInit = (lo: number, hi: number): string => `{${cInt(lo)}, ${cInt(hi)}}`;

/** `static const <type> <name> = <init>;` inside the step's block; returns the name. */
export function local(ctx: EmitContext, type: string, name: string, init: string): string {
  ctx.line(`static const ${type} ${name} = ${init};`);
  return name;
}

/** The scratch ctx of an op: its cortex_m.scratch arena slice, or NULL for 0 bytes. */
export function scratchCtx(ctx: EmitContext, v: Value | null): string {
  if (!v || v.producer?.op !== SCRATCH.name || v.numel === 0) return "{NULL, 0}";
  return `{${ctx.ptr(v)}, ${v.numel}}`;
}

/** Call a CMSIS-NN function returning arm_cmsis_nn_status; a failure ends the run with -step. */
export function callChecked(ctx: EmitContext, fn: string, args: string[]): void {
  ctx.require(fn);
  ctx.line(`if (${fn}(${args.join(", ")}) != ARM_CMSIS_NN_SUCCESS)`);
  ctx.line(`    return -${ctx.step};`);
}
