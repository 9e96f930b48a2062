// aten.convolution: 1-D (NCW, w OIK) and 2-D (NCHW, w OIHW), groups, dilation,
// asymmetric padding via padding_end, transposed (w IOHW) with output_padding.
import type { Node, Value } from "../../ir/graph.js";
import { defineOp, type InputRole, type QuantPattern } from "../../ir/registry.js";
import { ACTIVATION_TAILS } from "../activation/activations.js";
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

const f32 = (v: Value | null | undefined): boolean => !!v && v.dtype === "f32";
const constF32 = (v: Value | null | undefined): boolean => f32(v) && v!.isConst();

/** Float activations and constant weights (a computed weight cannot be lowered); null for anything else. */
function convInfo(n: Node): { spatial: number; transposed: boolean; groups: number; cin: number; cout: number } | null {
  const [x, w, b] = n.inputs;
  if (!f32(x) || !constF32(w) || (b && !constF32(b))) return null;
  const transposed = n.attrs["transposed"] === true || n.attrs["transposed"] === 1;
  const groups = typeof n.attrs["groups"] === "number" ? n.attrs["groups"] : 1;
  return { spatial: x!.rank - 2, transposed, groups, cin: x!.shape[1]!, cout: n.output.shape[1]! };
}
/** Depthwise: every input channel is its own group (C_out a multiple of C_in). */
const isDepthwise = (c: NonNullable<ReturnType<typeof convInfo>>): boolean => c.groups > 1 && c.groups === c.cin && c.cout % c.cin === 0;

const CONV_INPUTS: readonly InputRole[] = ["act", "weight_per_channel", "bias"];
const convPattern = (name: string, spatial: number, depthwise: boolean): QuantPattern => ({
  name,
  when: (n) => {
    const c = convInfo(n);
    return !!c && c.spatial === spatial && !c.transposed && isDepthwise(c) === depthwise;
  },
  inputs: CONV_INPUTS,
  output: "observed",
  tails: ACTIVATION_TAILS,
});

/** A 2-D transposed convolution CMSIS-NN's s8 kernel takes: groups 1, dilation 1 (other ones stay float). */
const transposePattern: QuantPattern = {
  name: "conv_transpose2d",
  when: (n) => {
    const c = convInfo(n);
    const dil = n.attrs["dilation"] as number[] | undefined;
    return !!c && c.spatial === 2 && c.transposed && c.groups === 1 && (!dil || dil.every((d) => d === 1));
  },
  inputs: CONV_INPUTS,
  output: "observed",
  tails: ACTIVATION_TAILS,
};

export const CONVOLUTION = defineOp({
  name: CONV,
  traits: { conv: true },
  quant: {
    patterns: [
      convPattern("conv1d", 1, false),
      convPattern("conv2d", 2, false),
      convPattern("depthwise_conv1d", 1, true),
      convPattern("depthwise_conv2d", 2, true),
      transposePattern,
    ],
  },
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
