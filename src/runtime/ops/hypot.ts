// cortex_m.quantized_hypot in the simulator: the TS twin of clg_hypot (src/kernels/hypot.ts) over the
// output's physical order (operands in another order are relaid first, as for the elementwise kernels).
import type { Node } from "../../ir/graph.js";
import { hypotS } from "../../kernels/hypot.js";
import { hypotF32 } from "../../kernels/float32/kernels.js";
import { rowMajor, storesRowMajor } from "../../ir/layout.js";
import { HYPOT_F32, QUANTIZED_HYPOT, type HypotF32Record, type HypotRecord } from "../../ops/cortex_m/hypot.js";
import { inputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind } from "./common.js";

function prepareHypot(p: HypotRecord, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const a = inputIn(ctx, p.operands.a, y.type);
  const b = inputIn(ctx, p.operands.b, y.type);
  const in1 = a.data as Int8Array | Int16Array;
  const in2 = b.data as Int8Array | Int16Array;
  const out = ctx.view(y) as Int8Array | Int16Array;
  return wrapStep([a.pre, b.pre], () => hypotS(in1, in2, p.kernel, out, p.size), []);
}

/** cortex_m.hypot_f32: the operands read in row-major order (their runs are row-major offsets), y written so. */
function prepareHypotF32(p: HypotF32Record, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const a = inputIn(ctx, p.operands.a, rowMajor(p.operands.a.type));
  const b = p.operands.b === p.operands.a ? a : inputIn(ctx, p.operands.b, rowMajor(p.operands.b.type));
  const out = ctx.view(y) as Float32Array;
  if (!storesRowMajor(y.type)) ctx.fail(node, "hypot_f32 writes its output in row-major order");
  return wrapStep(b === a ? [a.pre] : [a.pre, b.pre], () => hypotF32(a.data, p.aOffset, b.data, p.bOffset, out, p.size), []);
}

export const hypotBindings = [bind(QUANTIZED_HYPOT, prepareHypot), bind(HYPOT_F32, prepareHypotF32)];
