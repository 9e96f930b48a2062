// cortex_m.conv_f32 in C: clg_conv4_f32 (csrc/codegen_support/clg_float_ops.c) on the row-major input and
// output, the weights the lowering reordered read from the weights file like any constant.
import type { Node } from "../../ir/graph.js";
import { windowGeometryArray } from "../../kernels/float32/float_ops.js";
import { CONV_F32, type ConvF32Record } from "../../ops/cortex_m/conv_f32.js";
import { rowMajor } from "../../ir/layout.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { bind } from "./common.js";

function emitConvF32(p: ConvF32Record, node: Node, ctx: EmitContext): void {
  const x = inLayout(ctx, p.operands.x, rowMajor(p.operands.x.type), "conv_x");
  const y = node.output;
  const out = outLayout(ctx, y, rowMajor(y.type), "conv");
  const geom = ctx.constArray("int32_t", "window", windowGeometryArray(p.geometry));
  ctx.useSupport("float");
  ctx.useSupport("float_ops");
  ctx.line(`clg_conv4_f32(${x}, ${ctx.ptr(p.operands.w)}, ${p.operands.b ? ctx.ptr(p.operands.b) : "NULL"}, ${out.ptr}, ${geom});`);
  out.finish();
}

export const convF32Emitters = [bind(CONV_F32, emitConvF32)];
