// cortex_m.quantize_per_tensor / dequantize_per_tensor at the float borders.
// The arithmetic is the one shared definition (src/ops/quant/rounding.ts), so
// the int8 program quantizes exactly like the fake-quant Q/DQ graph.
import type { Node } from "../../ir/graph.js";
import { dequantizeTable, dequantizeValue, quantizeArray } from "../../ops/quant/rounding.js";
import { inputIn, wrapStep, type PrepareContext, type PrepareFn, type Step } from "../context.js";
import { numAttr } from "./common.js";

function prepareQuantize(node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, node.input(0), y.type);
  const scale = numAttr(node, "scale", ctx);
  const zp = numAttr(node, "zero_point", ctx);
  const qmin = (node.attrs.quant_min as number | undefined) ?? -128;
  const qmax = (node.attrs.quant_max as number | undefined) ?? 127;
  const src = x.data as Float32Array;
  const out = ctx.view(y);
  const size = y.numel;
  return wrapStep([x.pre], () => {
    quantizeArray(src, out, size, scale, zp, qmin, qmax);
  }, []);
}

function prepareDequantize(node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, node.input(0), y.type);
  const scale = numAttr(node, "scale", ctx);
  const zp = numAttr(node, "zero_point", ctx);
  const src = x.data;
  const out = ctx.view(y) as Float32Array;
  const size = y.numel;
  if (src instanceof Int8Array) {
    const table = dequantizeTable(scale, zp);
    return wrapStep([x.pre], () => {
      for (let i = 0; i < size; i++) out[i] = table[src[i]! + 128]!;
    }, []);
  }
  return wrapStep([x.pre], () => {
    for (let i = 0; i < size; i++) out[i] = dequantizeValue(src[i]!, scale, zp);
  }, []);
}

export const quantOps: Record<string, PrepareFn> = {
  "cortex_m.quantize_per_tensor": prepareQuantize,
  "cortex_m.dequantize_per_tensor": prepareDequantize,
};
