// Layout and data-movement ops (any dtype) as strided gathers: _clone_dim_order,
// clone, view_copy (nothing when the planner aliased it), permute, transpose,
// slice, cat, split, index_select with constant indices, constant / reflect
// pad, nearest upsampling; cortex_m.pad calls arm_pad_s8.
import type { Node, Value } from "../../ir/graph.js";
import type { EmitContext } from "../context.js";
import { emitGather, emitReshape, physicalStrides, stridesIn, type DimMap } from "../moves.js";
import { callChecked, local, num, nums, type EmitFn } from "./common.js";

const ident = (r: number): DimMap[] => new Array<DimMap>(r).fill(null);

/** out[o] = x[s] with s[perm[k]] = o[k] (perm null: identity). */
function gatherAll(ctx: EmitContext, y: Value, x: Value, maps: DimMap[], perm: number[] | null = null, fill = 0): void {
  const xs = stridesIn(x);
  emitGather(ctx, {
    shape: [...y.shape], dst: ctx.ptr(y), dstOffset: 0, dstStrides: physicalStrides(y.type),
    src: ctx.ptr(x), srcOffset: 0, srcStrides: y.shape.map((_, k) => xs[perm ? perm[k]! : k]!), maps,
  }, y.dtype, fill);
}

function emitClone(node: Node, ctx: EmitContext): void {
  gatherAll(ctx, node.output, node.input(0), ident(node.output.rank));
}

function emitView(node: Node, ctx: EmitContext): void {
  const y = node.output;
  if (ctx.plan.aliases.has(y)) {
    ctx.line("/* aliased by the memory plan: no copy */");
    return;
  }
  emitReshape(ctx, node.input(0), y, "view");
}

function emitPermute(node: Node, ctx: EmitContext, key: string): void {
  gatherAll(ctx, node.output, node.input(0), ident(node.output.rank), nums(node, key, ctx));
}

function emitSlice(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const dim = num(node, "dim", ctx);
  const start = Math.min(Math.max((node.attrs.start as number | undefined) ?? 0, 0), x.shape[dim]!);
  const step = (node.attrs.step as number | undefined) ?? 1;
  const maps = ident(x.rank);
  maps[dim] = { start, step };
  gatherAll(ctx, node.output, x, maps);
}

function emitCat(node: Node, ctx: EmitContext): void {
  const dim = num(node, "dim", ctx);
  const y = node.output;
  const ys = physicalStrides(y.type);
  let at = 0;
  for (const v of node.inputs) {
    if (!v) continue;
    emitGather(ctx, {
      shape: [...v.shape], dst: ctx.ptr(y), dstOffset: at * ys[dim]!, dstStrides: ys,
      src: ctx.ptr(v), srcOffset: 0, srcStrides: stridesIn(v), maps: ident(v.rank),
    }, y.dtype);
    at += v.shape[dim]!;
  }
  if (at !== y.shape[dim]) ctx.fail(node, `inputs add up to ${at} along dim ${dim}, output has ${y.shape[dim]}`);
}

function emitSplit(node: Node, ctx: EmitContext): void {
  const dim = num(node, "dim", ctx);
  const x = node.input(0);
  let offset = 0;
  for (const y of node.outputs) {
    const maps = ident(x.rank);
    maps[dim] = { start: offset, step: 1 };
    gatherAll(ctx, y, x, maps);
    offset += y.shape[dim]!;
  }
}

function emitIndexSelect(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const index = node.input(1);
  if (!index.data) ctx.fail(node, "indices known only at run time are not supported in generated C");
  const dim = num(node, "dim", ctx);
  const size = x.shape[dim]!;
  const idx = Array.from(index.data as ArrayLike<number>, (j) => (j < 0 ? j + size : j));
  if (idx.some((j) => j < 0 || j >= size)) ctx.fail(node, `an index is out of range for size ${size}`);
  const maps = ident(x.rank);
  maps[dim] = idx;
  gatherAll(ctx, node.output, x, maps);
}

function emitPad(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  const pads = nums(node, "pads", ctx);
  const r = x.rank;
  if (pads.length !== 2 * r) ctx.fail(node, `pads has ${pads.length} entries, rank ${r} needs ${2 * r}`);
  const mode = (node.attrs.mode as string | undefined) ?? "constant";
  if (mode !== "constant" && mode !== "reflect") ctx.fail(node, `pad mode ${mode} is not supported`);
  // Per dim, the source index of every output index (-1 = the pad value), as the reference.
  const maps: DimMap[] = y.shape.map((n, d) => {
    const L = x.shape[d]!;
    return Array.from({ length: n }, (_, o) => {
      let i = o - pads[d]!;
      if (mode === "reflect") {
        if (i < 0) i = -i;
        if (i >= L) i = 2 * (L - 1) - i;
      } else if (i < 0 || i >= L) i = -1;
      return i;
    });
  });
  gatherAll(ctx, y, x, maps, null, (node.attrs.value as number | undefined) ?? 0);
}

function emitUpsample(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const y = node.output;
  if (x.rank !== 4) ctx.fail(node, `expects a 4-D input, got [${x.shape}]`);
  const [, , h, w] = x.shape as [number, number, number, number];
  const [, , oh, ow] = y.shape as [number, number, number, number];
  // ONNX Resize nearest, asymmetric coordinates, floor (as the simulator).
  const mh = Array.from({ length: oh }, (_, o) => Math.min(h - 1, Math.floor((o * h) / oh)));
  const mw = Array.from({ length: ow }, (_, o) => Math.min(w - 1, Math.floor((o * w) / ow)));
  gatherAll(ctx, y, x, [null, null, mh, mw]);
}

function emitCortexPad(node: Node, ctx: EmitContext): void {
  const x = node.input(0);
  const pre = nums(node, "pre_pad", ctx);
  const post = nums(node, "post_pad", ctx);
  if (x.rank !== 4 || pre.length !== 4 || post.length !== 4) ctx.fail(node, "expects a 4-D input and 4 pads per side");
  const phys = x.type.dimOrder.map((d) => x.shape[d]!);
  const d = (a: number[]): string => `{${a[0]}, ${a[1]}, ${a[2]}, ${a[3]}}`;
  ctx.line("{");
  local(ctx, "cmsis_nn_dims", "input_size", d(phys));
  local(ctx, "cmsis_nn_dims", "pre_pad", d(pre));
  local(ctx, "cmsis_nn_dims", "post_pad", d(post));
  callChecked(ctx, "arm_pad_s8", [ctx.ptr(x), ctx.ptr(node.output), `(int8_t)${num(node, "pad_value", ctx)}`, "&input_size", "&pre_pad", "&post_pad"]);
  ctx.line("}");
}

/** Ops that only change where bytes sit (the profiler's "layout" category). */
export const layoutEmitters: Record<string, EmitFn> = {
  "dim_order_ops._clone_dim_order": emitClone,
  "aten.clone": emitClone,
  "aten.view_copy": emitView,
  "aten.permute_copy": (n, ctx) => emitPermute(n, ctx, "dims"),
  "cortex_m.transpose": (n, ctx) => emitPermute(n, ctx, "perm"),
  "aten.pad": emitPad,
  "cortex_m.pad": emitCortexPad,
};

/** Ops that select, join or repeat data (the profiler's "data_movement" category). */
export const dataMovementEmitters: Record<string, EmitFn> = {
  "cortex_m.scratch": () => undefined,
  "aten.slice_copy": emitSlice,
  "aten.cat": emitCat,
  "aten.split_with_sizes_copy": emitSplit,
  "aten.index_select": emitIndexSelect,
  "aten.upsample_nearest2d": emitUpsample,
};
