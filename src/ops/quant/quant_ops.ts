// quantized_decomposed.{quantize_per_tensor, dequantize_per_tensor,
// dequantize_per_channel}. Arithmetic lives in rounding.ts.
import { allocArray } from "../../ir/dtype.js";
import type { Attrs } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { fmtShape, numel } from "../../ir/tensor.js";
import { attrDType, attrInts, attrNum, checkAxis, need, needT, out, shapeError } from "../common.js";
import { dequantizeValue, quantizeValue } from "./rounding.js";

const Q = "quantized_decomposed.quantize_per_tensor";
const DQ = "quantized_decomposed.dequantize_per_tensor";
const DQC = "quantized_decomposed.dequantize_per_channel";

function tensorParams(op: string, a: Attrs) {
  const scale = attrNum(op, a, "scale");
  if (!(scale > 0) || !Number.isFinite(scale)) shapeError(op, `scale must be positive and finite, got ${scale}`);
  return {
    scale,
    zp: attrNum(op, a, "zero_point", 0),
    qmin: attrNum(op, a, "quant_min"),
    qmax: attrNum(op, a, "quant_max"),
    dtype: attrDType(op, a),
  };
}

// Quantization borders are elementwise: the layout clean-up keeps channels-last through them.
export const QUANTIZE_PER_TENSOR = defineOp({
  name: Q,
  traits: { fusableUnary: true },
  unaryElementwise: true,
  infer(inputs, attrs) {
    const x = need(Q, inputs, 0, "input x");
    return [out(tensorParams(Q, attrs).dtype, x.shape)];
  },
  eval(inputs, attrs) {
    const x = needT(Q, inputs, 0);
    const { scale, zp, qmin, qmax, dtype } = tensorParams(Q, attrs);
    const d = allocArray(dtype, x.data.length);
    for (let i = 0; i < d.length; i++) d[i] = quantizeValue(x.data[i]!, scale, zp, qmin, qmax);
    return [{ dtype, shape: [...x.shape], data: d }];
  },
});

export const DEQUANTIZE_PER_TENSOR = defineOp({
  name: DQ,
  traits: { fusableUnary: true },
  unaryElementwise: true,
  infer(inputs, attrs) {
    const x = need(DQ, inputs, 0, "input q");
    tensorParams(DQ, attrs);
    return [out("f32", x.shape)];
  },
  eval(inputs, attrs) {
    const x = needT(DQ, inputs, 0);
    const { scale, zp } = tensorParams(DQ, attrs);
    const d = new Float32Array(x.data.length);
    for (let i = 0; i < d.length; i++) d[i] = dequantizeValue(x.data[i]!, scale, zp);
    return [{ dtype: "f32", shape: [...x.shape], data: d }];
  },
});

function channelParams(a: Attrs, shape: number[]) {
  const axis = checkAxis(DQC, attrNum(DQC, a, "axis"), shape.length, "axis");
  const scales = (a["scales"] === undefined ? null : attrInts(DQC, a, "scales")) ?? shapeError(DQC, "missing attribute scales");
  const zps = attrInts(DQC, a, "zero_points", scales.map(() => 0));
  if (scales.length !== shape[axis] || zps.length !== scales.length) {
    shapeError(DQC, `${scales.length} scales / ${zps.length} zero points for axis ${axis} of ${fmtShape(shape)}`);
  }
  return { axis, scales, zps };
}

export const DEQUANTIZE_PER_CHANNEL = defineOp({
  name: DQC,
  traits: { fusableUnary: true },
  unaryElementwise: true,
  infer(inputs, attrs) {
    const x = need(DQC, inputs, 0, "input q");
    channelParams(attrs, x.shape);
    return [out("f32", x.shape)];
  },
  eval(inputs, attrs) {
    const x = needT(DQC, inputs, 0);
    const { axis, scales, zps } = channelParams(attrs, x.shape);
    const C = x.shape[axis]!;
    const inner = numel(x.shape.slice(axis + 1));
    const d = new Float32Array(x.data.length);
    // Walk (outer, channel, inner) blocks: no division per element (weights run to tens of millions).
    for (let i = 0; i < d.length;) {
      for (let c = 0; c < C; c++) {
        const sc = scales[c]!, zp = zps[c]!;
        for (const end = i + inner; i < end; i++) d[i] = dequantizeValue(x.data[i]!, sc, zp);
      }
    }
    return [{ dtype: "f32", shape: [...x.shape], data: d }];
  },
});
