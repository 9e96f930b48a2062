// Small helpers shared by the runtime op families: the binding of a lowered
// op's prepared record, attribute readers for the ops that have no record
// yet, scratch contexts.
import { bindRecord, type Binding } from "../../ir/bindings.js";
import type { Node, Value } from "../../ir/graph.js";
import type { OpDef } from "../../ir/registry.js";
import { numAttr as readNum, numsAttr as readNums } from "../../ops/cortex_m/decode.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import { Status, STATUS_NAMES, type Ctx } from "../../kernels/index.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";

/** A simulator binding of a lowered op: prepares the node's step from the spec's decoded record. */
export type Prepare<P> = (p: P, node: Node, ctx: PrepareContext) => Step | null;

/** Bind a prepare function to a spec with a record (decoded once per node, here). */
export function bind<P>(spec: OpDef<P>, prepare: Prepare<P>): Binding<PrepareFn> {
  return bindRecord(spec, prepare);
}

/** Attribute readers for the families without a record yet (the one definition is the specs' decode.ts). */
export const numAttr = (node: Node, key: string, _ctx?: PrepareContext): number => readNum(node, key);
export const numsAttr = (node: Node, key: string, _ctx?: PrepareContext): number[] => readNums(node, key);

/** The cmsis_nn_context of an op: its scratch value's arena slice, or NULL when it has 0 bytes. */
export function scratchCtx(ctx: PrepareContext, scratch: Value | null): Ctx {
  if (!scratch || scratch.producer?.op !== SCRATCH.name || scratch.numel === 0) return { buf: null, size: 0 };
  const u8 = ctx.view(scratch);
  return { buf: new Int8Array(u8.buffer, u8.byteOffset, u8.length), size: u8.length };
}

/** A kernel status check naming the node and the CMSIS-NN function. */
export function checker(node: Node, ctx: PrepareContext, kernel: string): (st: number) => void {
  return (st) => {
    if (st !== Status.SUCCESS) ctx.fail(node, `${kernel} returned ${STATUS_NAMES[st] ?? st}`);
  };
}
