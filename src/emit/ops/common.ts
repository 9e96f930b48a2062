// Helpers shared by the op emitters: attribute readers naming the node,
// CMSIS-NN struct initialisers, NHWC dims of 4-D activations.
import type { Node, Value } from "../../ir/graph.js";
import { CHANNELS_LAST } from "../../ops/cortex_m/shapes.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { samePlacement, storedLayout } from "../../ir/layout.js";

export type EmitFn = (node: Node, ctx: EmitContext) => void;

export function num(node: Node, key: string, ctx: EmitContext): number {
  const v = node.attrs[key];
  if (typeof v !== "number") ctx.fail(node, `attribute ${key} must be a number, got ${JSON.stringify(v)}`);
  return v as number;
}

export function nums(node: Node, key: string, ctx: EmitContext): number[] {
  const v = node.attrs[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) ctx.fail(node, `attribute ${key} must be a number list`);
  return v as number[];
}

export function pair(node: Node, key: string, ctx: EmitContext, dflt?: [number, number]): { h: number; w: number } {
  if (node.attrs[key] === undefined && dflt) return { h: dflt[0], w: dflt[1] };
  const v = nums(node, key, ctx);
  if (v.length !== 2) ctx.fail(node, `attribute ${key} must hold [h, w], got [${v}]`);
  return { h: v[0]!, w: v[1]! };
}

export interface Dims { n: number; h: number; w: number; c: number }

/** CMSIS-NN dims of a 4-D NCHW-logical value holding NHWC bytes. */
export function nhwc(node: Node, v: Value, ctx: EmitContext): Dims {
  if (v.rank !== 4) ctx.fail(node, `${v.name} must be 4-D, got [${v.shape}]`);
  const t = storedLayout(v);
  if (!samePlacement(t, { ...t, dimOrder: CHANNELS_LAST })) {
    ctx.fail(node, `${v.name} must hold NHWC bytes, has dim_order [${t.dimOrder}] for [${v.shape}]`);
  }
  const [n, c, h, w] = v.shape as [number, number, number, number];
  return { n, h, w, c };
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
  if (!v || v.producer?.op !== "cortex_m.scratch" || v.numel === 0) return "{NULL, 0}";
  return `{${ctx.ptr(v)}, ${v.numel}}`;
}

/** Call a CMSIS-NN function returning arm_cmsis_nn_status; a failure ends the run with -step. */
export function callChecked(ctx: EmitContext, fn: string, args: string[]): void {
  ctx.require(fn);
  ctx.line(`if (${fn}(${args.join(", ")}) != ARM_CMSIS_NN_SUCCESS)`);
  ctx.line(`    return -${ctx.step};`);
}

/**
 * The cmsis_nn_dims the lowering fixed for a call (`input_dims` / `output_dims`,
 * [n,h,w,c]): the value may be declared with another shape holding the same
 * bytes. Without the attribute, the value's own NHWC dims.
 */
export function callDims(node: Node, attr: "input_dims" | "output_dims", v: Value, ctx: EmitContext): Dims {
  const a = node.attrs[attr];
  if (Array.isArray(a) && a.length === 4) {
    const [n, h, w, c] = a as number[];
    if (n! * h! * w! * c! !== v.numel) ctx.fail(node, `${attr} ${a.join("x")} does not fill ${v.name} [${v.shape}]`);
    return { n: n!, h: h!, w: w!, c: c! };
  }
  return nhwc(node, v, ctx);
}
