// cortex_m.quantized_maximum / quantized_minimum → arm_maximum_s8 / arm_minimum_s8 over the output's physical
// order: an equal-shape second operand in another order is relaid first; a one-element one is read as is.
import type { Node } from "../../ir/graph.js";
import { maximumS8, minimumS8 } from "../../kernels/index.js";
import { QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM, type MinMaxParams } from "../../ops/cortex_m/minmax.js";
import { inputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind, checker } from "./common.js";

function prepareMinMax(p: MinMaxParams, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const a = inputIn(ctx, p.operands.a, y.type);
  const b = p.operands.b.numel === 1 ? { data: ctx.view(p.operands.b), pre: null } : inputIn(ctx, p.operands.b, y.type);
  const in1 = a.data as Int8Array;
  const in2 = b.data as Int8Array;
  const out = ctx.i8(y);
  const kernel = p.max ? maximumS8 : minimumS8;
  const check = checker(node, ctx, p.kernel);
  return wrapStep([a.pre, b.pre], () => check(kernel(in1, p.input1, in2, p.input2, out, p.output)), []);
}

export const minMaxBindings = [bind(QUANTIZED_MAXIMUM, prepareMinMax), bind(QUANTIZED_MINIMUM, prepareMinMax)];
