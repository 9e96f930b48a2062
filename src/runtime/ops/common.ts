// Small helpers shared by the runtime op families: attribute readers that
// name the node on failure, NHWC dims of a 4-D activation, scratch contexts.
import type { Node, Value } from "../../ir/graph.js";
import type { Ctx, Dims, Tile } from "../../kernels/index.js";
import { CHANNELS_LAST } from "../../ops/cortex_m/shapes.js";
import type { PrepareContext } from "../context.js";
import { samePlacement } from "../../ir/layout.js";

export function numAttr(node: Node, key: string, ctx: PrepareContext): number {
  const v = node.attrs[key];
  if (typeof v !== "number") ctx.fail(node, `attribute ${key} must be a number, got ${JSON.stringify(v)}`);
  return v as number;
}

export function numsAttr(node: Node, key: string, ctx: PrepareContext): number[] {
  const v = node.attrs[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) ctx.fail(node, `attribute ${key} must be a number list`);
  return v as number[];
}

/** An [h, w] attribute as a CMSIS-NN tile. */
export function pairAttr(node: Node, key: string, ctx: PrepareContext): Tile {
  const v = numsAttr(node, key, ctx);
  if (v.length !== 2) ctx.fail(node, `attribute ${key} must hold [h, w], got [${v}]`);
  return { h: v[0]!, w: v[1]! };
}

/**
 * CMSIS-NN dims of a 4-D NCHW-logical value whose bytes are NHWC (dim_order
 * [0,2,3,1], or any order that places the bytes identically, e.g. C == 1).
 */
export function nhwcDims(ctx: PrepareContext, node: Node, v: Value): Dims {
  if (v.rank !== 4) ctx.fail(node, `${v.name} must be 4-D, got [${v.shape}]`);
  if (!samePlacement(v.type, { ...v.type, dimOrder: CHANNELS_LAST })) {
    ctx.fail(node, `${v.name} must hold NHWC bytes (dim_order [0,2,3,1]), has dim_order [${v.type.dimOrder}] for [${v.shape}]`);
  }
  const [n, c, h, w] = v.shape as [number, number, number, number];
  return { n, h, w, c };
}

/** The cmsis_nn_context of an op: its scratch value's arena slice, or NULL when it has 0 bytes. */
export function scratchCtx(ctx: PrepareContext, scratch: Value | null): Ctx {
  if (!scratch || scratch.producer?.op !== "cortex_m.scratch" || scratch.numel === 0) return { buf: null, size: 0 };
  const u8 = ctx.view(scratch);
  return { buf: new Int8Array(u8.buffer, u8.byteOffset, u8.length), size: u8.length };
}

/**
 * The cmsis_nn_dims the lowering fixed for this call (`input_dims` /
 * `output_dims` attributes, [n,h,w,c]); values may be declared with another
 * shape holding the same bytes. Falls back to the value's NHWC shape.
 */
export function callDims(ctx: PrepareContext, node: Node, attr: "input_dims" | "output_dims", v: Value): Dims {
  const a = node.attrs[attr];
  if (Array.isArray(a) && a.length === 4) {
    const [n, h, w, c] = a as number[];
    if (n! * h! * w! * c! !== v.numel) ctx.fail(node, `${attr} ${a.join("x")} does not fill ${v.name} [${v.shape}]`);
    return { n: n!, h: h!, w: w!, c: c! };
  }
  return nhwcDims(ctx, node, v);
}
