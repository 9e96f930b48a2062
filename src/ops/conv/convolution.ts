// aten.convolution: 1-D (NCW, w OIK) and 2-D (NCHW, w OIHW), groups, dilation,
// asymmetric padding via padding_end, transposed (w IOHW) with output_padding.
import { defineOp } from "../../ir/registry.js";
import { IRError } from "../../ir/errors.js";
import type { Tensor } from "../../ir/tensor.js";
import { out } from "../common.js";
import { CONV, convInfer, convOutShape, convParams, type ConvParams } from "./params.js";
import { conv2dForward, convTranspose2d, type Dims2 } from "./kernels.js";
import { conv2dWasm } from "./conv_wasm.js";

function asF32(t: Tensor, what: string): Float32Array {
  if (!(t.data instanceof Float32Array)) throw new IRError(`${CONV}: float eval needs f32 ${what}, got ${t.dtype}`);
  return t.data;
}

/**
 * The wasm SIMD GEMM when available, else the TypeScript loops (same bits either way); also the
 * loops when the wasm memory cannot grow to hold the operands (a RangeError from grow).
 */
function forward(x: Float32Array, w: Float32Array, b: Float32Array | null, d: Dims2, p: ConvParams): Float32Array {
  try {
    const y = conv2dWasm(x, w, b, d, p);
    if (y) return y;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  return conv2dForward(x, w, b, d, p);
}

defineOp({
  name: CONV,
  infer(inputs, attrs) {
    const shape = convInfer(inputs, attrs);
    return [out(inputs[0]!.dtype, shape)];
  },
  eval(inputs, attrs) {
    const [x, w, b] = inputs;
    if (!x || !w) throw new IRError(`${CONV}: eval needs x and w`);
    const spatial = x.shape.length === 3 ? 1 : 2;
    const p = convParams(attrs, spatial);
    const yShape = convOutShape(x, w, b ?? null, p);
    const lift = (s: number[]) => (spatial === 1 ? [1, s[0]!] : s);
    const [H, W] = lift(x.shape.slice(2));
    const [KH, KW] = lift(w.shape.slice(2));
    const [OH, OW] = lift(yShape.slice(2));
    const dims = { N: x.shape[0]!, C: x.shape[1]!, H: H!, W: W!, O: yShape[1]!, KH: KH!, KW: KW!, OH: OH!, OW: OW! };
    const bias = b ? asF32(b, "bias") : null;
    const y = p.transposed
      ? convTranspose2d(asF32(x, "input"), asF32(w, "weight"), bias, dims, p)
      : forward(asF32(x, "input"), asF32(w, "weight"), bias, dims, p);
    return [{ dtype: "f32", shape: yShape, data: y }];
  },
});
