// Data-movement ops on int8 (or any) values. Every catalog op here (permute,
// slice, cat, split, index_select, pad, upsample_nearest2d) and
// cortex_m.transpose is its spec's source map, planned into copy runs by
// prepareMoves (layout.ts); only index_select with indices computed at run
// time has no map and runs through the float fallback. cortex_m.pad calls
// the arm_pad_s8 kernel with the record its spec decodes.
import type { Node } from "../../ir/graph.js";
import { padS8, padS8Ref } from "../../kernels/index.js";
import { CORTEX_M_PAD } from "../../ops/cortex_m/data_movement.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { prepareFloatFallback } from "./float_fallback.js";
import { prepareMoves } from "./layout.js";

/** cortex_m.pad: arm_pad_s8 over the physical dims. */
function prepareCortexPad(node: Node, ctx: PrepareContext): Step | null {
  let p;
  try {
    p = CORTEX_M_PAD.decode!(node);
  } catch (e) {
    return ctx.fail(node, (e as Error).message);
  }
  const input = ctx.i8(node.input(0));
  const output = ctx.i8(node.output);
  const kernel = ctx.reference ? padS8Ref : padS8;
  return () => {
    kernel(input, output, p.value, p.input, p.pre, p.post);
  };
}

const moves = prepareMoves(prepareFloatFallback);

export const dataMovementOps: Record<string, PrepareFn> = {
  "aten.permute_copy": moves,
  "cortex_m.transpose": moves,
  "aten.slice_copy": moves,
  "aten.cat": moves,
  "aten.split_with_sizes_copy": moves,
  "aten.index_select": moves,
  "aten.pad": moves,
  "aten.upsample_nearest2d": moves,
  "cortex_m.pad": prepareCortexPad,
};
