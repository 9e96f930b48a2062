// Data-movement ops on int8 (or any) values. Every catalog op here (permute,
// slice, cat, split, index_select, pad, upsample_nearest2d) and
// cortex_m.transpose is its spec's source map, planned into copy runs by
// prepareMoves (layout.ts); only index_select with indices computed at run
// time has no map and runs through the float fallback. cortex_m.pad calls
// the arm_pad_s8 kernel with the record its spec decodes. Each op is bound to
// its spec (ir/bindings.ts).
import type { Node } from "../../ir/graph.js";
import { padS8, padS8Ref } from "../../kernels/index.js";
import { bindNode, type Binding } from "../../ir/bindings.js";
import { CORTEX_M_PAD, CORTEX_M_TRANSPOSE, type PadParams } from "../../ops/cortex_m/data_movement.js";
import { UPSAMPLE_NEAREST2D } from "../../ops/resize/upsample.js";
import { CAT_OP, SPLIT_OP } from "../../ops/shape/concat.js";
import { PAD_OP } from "../../ops/shape/pad.js";
import { PERMUTE_COPY } from "../../ops/shape/permute.js";
import { INDEX_SELECT_OP, SLICE_OP } from "../../ops/shape/slice.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { bind } from "./common.js";
import { prepareFloatFallback } from "./float_fallback.js";
import { prepareMoves } from "./layout.js";

/** cortex_m.pad: arm_pad_s8 over the physical dims, from the spec's record. */
function prepareCortexPad(p: PadParams, node: Node, ctx: PrepareContext): Step | null {
  const input = ctx.i8(node.input(0));
  const output = ctx.i8(node.output);
  const kernel = ctx.reference ? padS8Ref : padS8;
  return () => {
    kernel(input, output, p.value, p.input, p.pre, p.post);
  };
}

const moves = prepareMoves(prepareFloatFallback);

export const dataMovementBindings: Binding<PrepareFn>[] = [
  bindNode(PERMUTE_COPY, moves),
  bindNode(CORTEX_M_TRANSPOSE, moves),
  bindNode(SLICE_OP, moves),
  bindNode(CAT_OP, moves),
  bindNode(SPLIT_OP, moves),
  bindNode(INDEX_SELECT_OP, moves),
  bindNode(PAD_OP, moves),
  bindNode(UPSAMPLE_NEAREST2D, moves),
  bind(CORTEX_M_PAD, prepareCortexPad),
];
