// cortex_m.quantize_per_tensor / dequantize_per_tensor at the float borders.
// The arithmetic is the one shared definition (src/ops/quant/rounding.ts), so
// the int8 program quantizes exactly like the fake-quant Q/DQ graph.
import type { Node } from "../../ir/graph.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR, type DequantizeParams, type QuantizeParams } from "../../ops/cortex_m/quant.js";
import { dequantizeTable, dequantizeValue, quantizeArray } from "../../ops/quant/rounding.js";
import { inputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind } from "./common.js";

function prepareQuantize(p: QuantizeParams, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, p.operands.input, y.type);
  const { scale, zeroPoint, qmin, qmax, size } = p;
  const src = x.data as Float32Array;
  const out = ctx.view(y);
  return wrapStep([x.pre], () => {
    quantizeArray(src, out, size, scale, zeroPoint, qmin, qmax);
  }, []);
}

function prepareDequantize(p: DequantizeParams, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, p.operands.input, y.type);
  const { scale, zeroPoint, size } = p;
  const src = x.data;
  const out = ctx.view(y) as Float32Array;
  if (src instanceof Int8Array) {
    const table = dequantizeTable(scale, zeroPoint);
    return wrapStep([x.pre], () => {
      for (let i = 0; i < size; i++) out[i] = table[src[i]! + 128]!;
    }, []);
  }
  return wrapStep([x.pre], () => {
    for (let i = 0; i < size; i++) out[i] = dequantizeValue(src[i]!, scale, zeroPoint);
  }, []);
}

export const quantBindings = [
  bind(QUANTIZE_PER_TENSOR, prepareQuantize),
  bind(DEQUANTIZE_PER_TENSOR, prepareDequantize),
];
