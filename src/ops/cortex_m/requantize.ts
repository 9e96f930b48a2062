// cortex_m.requantize: an integer tensor moved to another grid (int8 ↔ int16 borders of mixed-precision groups,
// or two int8 grids) without float, for integer-only builds: y = clamp(requantize(x + input_offset, multiplier,
// shift) + output_offset, act_min, act_max) — arm_nn_requantize's arithmetic (TFLite's Requantize). The default
// build keeps such a border as dequantize → quantize in float. Simulator src/kernels/requantize_tensor.ts, C
// clg_requantize_tensor (csrc/codegen_support/clg_int_ops.c).
import { makeType, type Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import type { RequantizeTensorParams } from "../../kernels/requantize_tensor.js";
import { activationAttr, fail, intAttr } from "./decode.js";
import { need } from "./shapes.js";

export interface RequantizeRecord {
  kernel: RequantizeTensorParams;
  inDtype: "i8" | "i16";
  outDtype: "i8" | "i16";
  size: number;
  operands: { input: Value };
}

export const REQUANTIZE = defineOp<RequantizeRecord>({
  name: "cortex_m.requantize",
  unaryElementwise: true,
  traits: { layoutAgnostic: [0] },
  infer: ([x], attrs) => {
    const t = need(x, "x");
    return [makeType(attrs.output_dtype === "i16" ? "i16" : "i8", t.shape, t.dimOrder)];
  },
  decode: (node) => {
    const x = node.inputs[0];
    if (!x) fail(node, "needs an input");
    if (x.dtype !== "i8" && x.dtype !== "i16") fail(node, `input must be i8 or i16, got ${x.dtype}`);
    const y = node.output;
    if (y.dtype !== "i8" && y.dtype !== "i16") fail(node, `output must be i8 or i16, got ${y.dtype}`);
    if (x.numel !== y.numel) fail(node, `input [${x.shape}] and output [${y.shape}] differ in size`);
    const shift = intAttr(node, "shift");
    if (shift > 30 || shift < -31) fail(node, `shift ${shift} is outside [-31, 30]`);
    const act = activationAttr(node, y.dtype);
    return {
      kernel: {
        inputOffset: intAttr(node, "input_offset"), outputOffset: intAttr(node, "output_offset"),
        multiplier: intAttr(node, "multiplier"), shift, activationMin: act.min, activationMax: act.max,
      },
      inDtype: x.dtype, outDtype: y.dtype, size: y.numel, operands: { input: x },
    };
  },
});
