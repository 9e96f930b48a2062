// Layout and data-movement ops (any dtype) as strided gathers derived from
// each op's source map (ir/source_map.ts): _clone_dim_order, clone,
// view_copy (nothing when the planner aliased it), permute, transpose,
// slice, cat, split, index_select with constant indices, constant / reflect
// pad, nearest upsampling. Every piece of a map is one gather: its box in the
// output, the source stride each output dim walks, and its per-dim map.
// cortex_m.pad calls arm_pad_s8 with the record its spec decodes. Each op is
// bound to its spec (ir/bindings.ts).
import type { Node, Value } from "../../ir/graph.js";
import { physicalStrides, storedStrides } from "../../ir/layout.js";
import { movesOf, type SourceMap } from "../../ir/source_map.js";
import { bindNode, type Binding } from "../../ir/bindings.js";
import { CORTEX_M_PAD, CORTEX_M_TRANSPOSE, type PadParams } from "../../ops/cortex_m/data_movement.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import { CLONE_DIM_ORDER } from "../../ops/layout/clone_dim_order.js";
import { UPSAMPLE_NEAREST2D } from "../../ops/resize/upsample.js";
import { CAT_OP, SPLIT_OP } from "../../ops/shape/concat.js";
import { PAD_OP } from "../../ops/shape/pad.js";
import { PERMUTE_COPY } from "../../ops/shape/permute.js";
import { CLONE_OP, VIEW_COPY } from "../../ops/shape/reshape.js";
import { INDEX_SELECT_OP, SLICE_OP } from "../../ops/shape/slice.js";
import type { EmitContext } from "../context.js";
import { emitGather, emitReshape } from "../moves.js";
import { bind, callChecked, dimsInit, local, type EmitFn } from "./common.js";

function emitMove(node: Node, ctx: EmitContext, map: SourceMap, y: Value): void {
  if (map.kind === "reshape") {
    if (ctx.plan.aliases.has(y)) {
      ctx.line("/* aliased by the memory plan: no copy */");
      return;
    }
    emitReshape(ctx, node.input(map.input), y, "view");
    return;
  }
  const ys = physicalStrides(y.type);
  for (const p of map.pieces) {
    const x = node.input(p.input);
    const xs = storedStrides(x);
    emitGather(ctx, {
      shape: [...p.shape],
      dst: ctx.ptr(y), dstOffset: p.at.reduce((a, i, k) => a + i * ys[k]!, 0), dstStrides: ys,
      src: ctx.ptr(x), srcOffset: 0, srcStrides: p.shape.map((_, k) => xs[p.srcDim[k]!]!),
      maps: [...p.maps],
    }, y.dtype, map.fill);
  }
}

/** Every output of a data-movement node, each by its source map. */
function emitMoves(node: Node, ctx: EmitContext): void {
  let maps: SourceMap[] | null;
  try {
    maps = movesOf(node);
  } catch (e) {
    return ctx.fail(node, (e as Error).message);
  }
  if (!maps) return ctx.fail(node, "indices known only at run time are not supported in generated C");
  maps.forEach((m, j) => emitMove(node, ctx, m, node.outputs[j]!));
}

/** cortex_m.pad: arm_pad_s8 with the spec's record. */
function emitCortexPad(p: PadParams, node: Node, ctx: EmitContext): void {
  ctx.line("{");
  local(ctx, "cmsis_nn_dims", "input_size", dimsInit(p.input));
  local(ctx, "cmsis_nn_dims", "pre_pad", dimsInit(p.pre));
  local(ctx, "cmsis_nn_dims", "post_pad", dimsInit(p.post));
  callChecked(ctx, "arm_pad_s8", [ctx.ptr(node.input(0)), ctx.ptr(node.output), `(int8_t)${p.value}`, "&input_size", "&pre_pad", "&post_pad"]);
  ctx.line("}");
}

/** Ops that only change where bytes sit (the profiler's "layout" category). */
export const layoutEmitters: Binding<EmitFn>[] = [
  bindNode(CLONE_DIM_ORDER, emitMoves),
  bindNode(CLONE_OP, emitMoves),
  bindNode(VIEW_COPY, emitMoves),
  bindNode(PERMUTE_COPY, emitMoves),
  bindNode(CORTEX_M_TRANSPOSE, emitMoves),
  bindNode(PAD_OP, emitMoves),
  bind(CORTEX_M_PAD, emitCortexPad),
];

/** Ops that select, join or repeat data (the profiler's "data_movement" category). */
export const dataMovementEmitters: Binding<EmitFn>[] = [
  bindNode(SCRATCH, () => undefined), // an arena slice, read by the op after it
  bindNode(SLICE_OP, emitMoves),
  bindNode(CAT_OP, emitMoves),
  bindNode(SPLIT_OP, emitMoves),
  bindNode(INDEX_SELECT_OP, emitMoves),
  bindNode(UPSAMPLE_NEAREST2D, emitMoves),
];
