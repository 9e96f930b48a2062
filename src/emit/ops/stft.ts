// cortex_m.stft_f32 in C: clg_stft_f32 (csrc/codegen_support/clg_stft.c) on the logical row-major input and
// output, the twiddle and bit-reversal tables as constants (the simulator's, src/kernels/float32/stft.ts), the
// FFT's N floats in a static workspace.
import type { Node } from "../../ir/graph.js";
import { stftGeometryArray, stftTables } from "../../kernels/float32/stft.js";
import { STFT_F32, type StftRecord } from "../../ops/cortex_m/stft.js";
import { rowMajor } from "../../ir/layout.js";
import { hexFloat } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { bind } from "./common.js";

function emitStft(p: StftRecord, node: Node, ctx: EmitContext): void {
  const g = p.geometry;
  const t = stftTables(g.n);
  const x = inLayout(ctx, p.operands.x, rowMajor(p.operands.x.type), "stft_x");
  const y = node.output;
  const out = outLayout(ctx, y, rowMajor(y.type), "stft");
  const cos = ctx.constArray("float", "stft_cos", Array.from(t.cos, hexFloat));
  const sin = ctx.constArray("float", "stft_sin", Array.from(t.sin, hexFloat));
  const rev = ctx.constArray("uint16_t", "stft_bitrev", Array.from(t.bitrev));
  const geom = ctx.constArray("int32_t", "stft", stftGeometryArray(g));
  const work = ctx.staticBuffer("float", "stft_work", g.n);
  ctx.useSupport("stft");
  ctx.line(`clg_stft_f32(${x}, ${ctx.ptr(p.operands.window)}, ${cos}, ${sin}, ${rev}, ${out.ptr}, ${work}, ${geom});`);
  out.finish();
}

export const stftEmitters = [bind(STFT_F32, emitStft)];
