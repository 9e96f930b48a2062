import { cloneGraph } from "../ir/clone.js";
import type { Graph } from "../ir/graph.js";
import { fixpoint, runPipeline, type Pass, type PipelineStep } from "../ir/pass.js";
import "../ops/cortex_m/index.js";
import type { LowerOptions } from "./options.js";
import { deadCodeElimination } from "./passes/dce.js";
import { foldInverseDimOrderClone } from "./passes/fold_inverse_dim_order_clone.js";
import { foldReinterpretView } from "./passes/fold_reinterpret_view.js";
import { foldInputTranspose } from "./passes/fold_input_transpose.js";
import { foldPadIntoConv } from "./passes/fold_pad_into_conv.js";
import { foldTableChain } from "./passes/fold_table_chain.js";
import { fuseDequantizeSoftmax } from "./passes/fuse_dequantize_softmax.js";
import { fuseViewCopy } from "./passes/fuse_view_copy.js";
import { ioLayoutNhwc } from "./passes/io_layout.js";
import { lowerQuantizedOps } from "./passes/lower_quantized_ops.js";
import { propagateLayout } from "./passes/propagate_layout.js";
import { removeNoopViewCopy } from "./passes/remove_noop_view_copy.js";
import { removeNoopDimOrderClone } from "./passes/remove_noop_clone.js";
import { replaceQuantNodes } from "./passes/replace_quant_nodes.js";
import { verifyDialect } from "./verify_dialect.js";

/** Quantized Q/DQ graph → cortex_m program (the "lowered" stage). */
export const LOWERING: Pass<LowerOptions>[] = [
  foldPadIntoConv,         // a zero pad in front of a quantized conv is the conv's own padding
  lowerQuantizedOps,       // patterns → cortex_m ops, activation tails fused, scratch sized
  deadCodeElimination,     // drop the replaced float patterns before …
  replaceQuantNodes,       // … only float-border Q/DQ (and weights of float ops) are left to replace
  fuseDequantizeSoftmax,   // a float softmax of dequantized int8 takes its exps from a table
  deadCodeElimination,
  foldTableChain,          // int8 tables in a row are one table
];

// Clean-up groups. Each runs to a fixpoint, so the passes in it need no
// hand-repeated order: the one that exposes a fold and the one that makes it
// alternate until neither finds anything.
/** view chains take their last shape, so the earlier views become no-ops and vanish. */
const VIEWS = fixpoint<LowerOptions>("views", [fuseViewCopy, removeNoopViewCopy]);
/** NCHW→NHWC clone pairs between convs fold; clones of [N,C,1,1]-like tensors move no byte. */
const CLONES = fixpoint<LowerOptions>("clones", [foldInverseDimOrderClone, removeNoopDimOrderClone]);
/** Keep NHWC through elementwise / LUT / concat / split ops. */
const PROPAGATE = fixpoint<LowerOptions>("propagate", [propagateLayout]);
/** Byte-preserving view/clone chains (and transpose + clone pairs) fold into the convs around them. */
const REINTERPRET = fixpoint<LowerOptions>("reinterpret", [foldReinterpretView, foldInputTranspose]);
const DCE = fixpoint<LowerOptions>("dce", [deadCodeElimination]);

/** Clean-up of the layout chains the lowering leaves (the "final" stage). */
export const CLEANUP: PipelineStep<LowerOptions>[] = [
  VIEWS,
  CLONES,
  ioLayoutNhwc,            // --io-layout nhwc: drop the boundary clones (one look at the boundary is all it needs)
  PROPAGATE,
  CLONES,                  // pairs exposed by propagation
  VIEWS,                   // views the removed clones separated may now chain
  REINTERPRET,
  DCE,
];

export interface LoweredStages {
  lowered: Graph;
  final: Graph;
}

/** Run lowering then clean-up on a copy of `quantized`; both stages are returned. */
export function lowerGraph(quantized: Graph, opts: LowerOptions): LoweredStages {
  const g = cloneGraph(quantized);
  runPipeline(g, LOWERING, opts);
  verifyDialect(g, "lowering");
  const lowered = cloneGraph(g);
  runPipeline(g, CLEANUP, opts);
  verifyDialect(g, "clean-up");
  return { lowered, final: g };
}
