// cortex_m.requantize in the simulator: the TS twin of clg_requantize_tensor over the output's physical order.
import type { Node } from "../../ir/graph.js";
import { requantizeTensor } from "../../kernels/requantize_tensor.js";
import { REQUANTIZE, type RequantizeRecord } from "../../ops/cortex_m/requantize.js";
import { inputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind } from "./common.js";

function prepareRequantize(p: RequantizeRecord, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, p.operands.input, y.type);
  const src = x.data as Int8Array | Int16Array;
  const out = ctx.view(y) as Int8Array | Int16Array;
  return wrapStep([x.pre], () => requantizeTensor(src, p.kernel, out, p.size), []);
}

export const requantizeBindings = [bind(REQUANTIZE, prepareRequantize)];
