// cortex_m.quantized_hypot in the simulator: the TS twin of clg_hypot (src/kernels/hypot.ts) over the
// output's physical order (operands in another order are relaid first, as for the elementwise kernels).
import type { Node } from "../../ir/graph.js";
import { hypotS } from "../../kernels/hypot.js";
import { QUANTIZED_HYPOT, type HypotRecord } from "../../ops/cortex_m/hypot.js";
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

export const hypotBindings = [bind(QUANTIZED_HYPOT, prepareHypot)];
