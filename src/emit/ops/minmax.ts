// cortex_m.quantized_maximum / quantized_minimum → arm_maximum_s8 / arm_minimum_s8 over the output's physical
// order: an equal-shape second operand in another order is relaid first; a one-element one is passed as is.
import type { Node } from "../../ir/graph.js";
import { QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM, type MinMaxParams } from "../../ops/cortex_m/minmax.js";
import type { EmitContext } from "../context.js";
import { inLayout } from "../moves.js";
import { bind, callChecked, dimsInit, local } from "./common.js";

function emitMinMax(p: MinMaxParams, node: Node, ctx: EmitContext): void {
  const y = node.output;
  const a = inLayout(ctx, p.operands.a, y.type, "minmax_a");
  const b = p.operands.b.numel === 1 ? ctx.ptr(p.operands.b) : inLayout(ctx, p.operands.b, y.type, "minmax_b");
  ctx.line("{");
  local(ctx, "cmsis_nn_dims", "input_1_dims", dimsInit(p.input1));
  local(ctx, "cmsis_nn_dims", "input_2_dims", dimsInit(p.input2));
  local(ctx, "cmsis_nn_dims", "output_dims", dimsInit(p.output));
  ctx.line("const cmsis_nn_context nn_ctx = {NULL, 0};");
  callChecked(ctx, p.kernel, ["&nn_ctx", a, "&input_1_dims", b, "&input_2_dims", ctx.ptr(y), "&output_dims"]);
  ctx.line("}");
}

export const minMaxEmitters = [bind(QUANTIZED_MAXIMUM, emitMinMax), bind(QUANTIZED_MINIMUM, emitMinMax)];
