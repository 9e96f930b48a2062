// How each catalog op becomes ONNX (opset 17) nodes. One entry per op name; an op
// missing here cannot be exported, and the exporter says so by name.
import type { DType } from "../ir/dtype.js";
import { IRError, UserError } from "../ir/errors.js";
import type { AttrValue, Node, Value } from "../ir/graph.js";
import { elemType, type OnnxAttr } from "./proto.js";
import { CLAMP, GELU, HARDSIGMOID, HARDSWISH, HARDTANH, LEAKY_RELU, RELU, SIGMOID, SILU, TANH } from "../ops/activation/activations.js";
import { CONVOLUTION } from "../ops/conv/convolution.js";
import { ADD, DIV, MAXIMUM, MINIMUM, MUL, POW, SUB } from "../ops/elementwise/binary.js";
import { EQ, LOGICAL_NOT, WHERE } from "../ops/elementwise/logical.js";
import { ABS, EXP, LOG, NEG, SQRT } from "../ops/elementwise/unary.js";
import { CLONE_DIM_ORDER } from "../ops/layout/clone_dim_order.js";
import { LINEAR_OP, MATMUL_OP } from "../ops/linear/linear.js";
import { AVG_POOL1D, AVG_POOL2D, MAX_POOL1D, MAX_POOL2D } from "../ops/pool/pools.js";
import { DEQUANTIZE_PER_CHANNEL, DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/quant/quant_ops.js";
import { AMAX, MEAN } from "../ops/reduce/reduce.js";
import { UPSAMPLE_NEAREST2D } from "../ops/resize/upsample.js";
import { LSTM_OP } from "../ops/rnn/lstm.js";
import { TO_COPY } from "../ops/shape/cast.js";
import { CAT_OP, SPLIT_OP } from "../ops/shape/concat.js";
import { PAD_OP } from "../ops/shape/pad.js";
import { PERMUTE_COPY } from "../ops/shape/permute.js";
import { CLONE_OP, VIEW_COPY } from "../ops/shape/reshape.js";
import { INDEX_SELECT_OP, SLICE_OP } from "../ops/shape/slice.js";
import { LOG_SOFTMAX, SOFTMAX } from "../ops/softmax/softmax.js";

export interface EmitContext {
  readonly node: Node;
  /** ONNX name of input i ('' when the optional input is absent). */
  input(i: number): string;
  output(i: number): string;
  emit(opType: string, inputs: string[], outputs: string[], attrs?: Record<string, OnnxAttr>): void;
  /** A fresh intermediate name derived from the node's. */
  temp(suffix: string): string;
  /** An initializer holding `values`; rank 1 unless dims are given (dims [] = scalar). */
  constant(dtype: DType, values: ArrayLike<number>, dims?: number[]): string;
}

export type Emitter = (c: EmitContext) => void;

function num(n: Node, k: string): number {
  const v = n.attrs[k];
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number") throw new IRError(`export: ${n.name} (${n.op}) attribute ${k} is not a number`);
  return v;
}

function optNum(n: Node, k: string): number | null {
  const v = n.attrs[k];
  return typeof v === "number" ? v : null;
}

function ints(n: Node, k: string, dflt?: number[]): number[] {
  const v: AttrValue | undefined = n.attrs[k];
  if ((v === undefined || v === null) && dflt) return dflt;
  if (!Array.isArray(v)) throw new IRError(`export: ${n.name} (${n.op}) attribute ${k} is not a list`);
  return v as number[];
}

function inVal(n: Node, i: number): Value {
  return n.input(i);
}

function unary(opType: string): Emitter {
  return (c) => c.emit(opType, [c.input(0)], [c.output(0)]);
}

function binary(opType: string): Emitter {
  return (c) => c.emit(opType, [c.input(0), c.input(1)], [c.output(0)]);
}

/** Clip with optional scalar bounds of the input's dtype ('' for "no bound"). */
function clip(c: EmitContext, x: string, dtype: DType, min: number | null, max: number | null, out: string): void {
  const lo = min === null ? "" : c.constant(dtype, [min], []);
  const hi = max === null ? "" : c.constant(dtype, [max], []);
  c.emit("Clip", [x, lo, hi], [out]);
}

const convolution: Emitter = (c) => {
  const n = c.node;
  const w = inVal(n, 1);
  const pad = ints(n, "padding");
  const padEnd = ints(n, "padding_end", pad);
  const attrs: Record<string, OnnxAttr> = {
    kernel_shape: w.shape.slice(2),
    strides: ints(n, "stride"),
    pads: [...pad, ...padEnd],
    dilations: ints(n, "dilation"),
    group: num(n, "groups"),
  };
  const transposed = n.attrs["transposed"] === true;
  if (transposed) attrs["output_padding"] = ints(n, "output_padding", pad.map(() => 0));
  const inputs = [c.input(0), c.input(1)];
  if (n.inputs[2]) inputs.push(c.input(2));
  c.emit(transposed ? "ConvTranspose" : "Conv", inputs, [c.output(0)], attrs);
};

const linear: Emitter = (c) => {
  const n = c.node;
  const x = inVal(n, 0);
  const hasBias = !!n.inputs[2];
  if (x.rank === 2) {
    c.emit("Gemm", hasBias ? [c.input(0), c.input(1), c.input(2)] : [c.input(0), c.input(1)], [c.output(0)], { transB: 1 });
    return;
  }
  const wt = c.temp("wT");
  c.emit("Transpose", [c.input(1)], [wt], { perm: [1, 0] });
  if (!hasBias) {
    c.emit("MatMul", [c.input(0), wt], [c.output(0)]);
    return;
  }
  const mm = c.temp("mm");
  c.emit("MatMul", [c.input(0), wt], [mm]);
  c.emit("Add", [mm, c.input(2)], [c.output(0)]);
};

/** silu(x) = x·σ(x): opset 17 has no Swish, so Sigmoid + Mul as torch exports it. */
const silu: Emitter = (c) => {
  const s = c.temp("sigmoid");
  c.emit("Sigmoid", [c.input(0)], [s]);
  c.emit("Mul", [c.input(0), s], [c.output(0)]);
};

/** gelu: 0.5·x·(1 + erf(x/√2)), or the tanh approximation when approximate = "tanh" (no Gelu op before opset 20). */
const gelu: Emitter = (c) => {
  const x = c.input(0);
  const half = c.constant("f32", [0.5], []);
  const one = c.constant("f32", [1], []);
  const inner = c.temp("inner");
  const t = c.temp("t");
  if (c.node.attrs["approximate"] === "tanh") {
    const x3 = c.temp("x3"), k = c.temp("k"), s = c.temp("s");
    c.emit("Pow", [x, c.constant("f32", [3], [])], [x3]);
    c.emit("Mul", [x3, c.constant("f32", [0.044715], [])], [k]);
    c.emit("Add", [x, k], [s]);
    c.emit("Mul", [s, c.constant("f32", [Math.sqrt(2 / Math.PI)], [])], [inner]);
    c.emit("Tanh", [inner], [t]);
  } else {
    c.emit("Div", [x, c.constant("f32", [Math.SQRT2], [])], [inner]);
    c.emit("Erf", [inner], [t]);
  }
  const onePlus = c.temp("one_plus"), hx = c.temp("half_x");
  c.emit("Add", [t, one], [onePlus]);
  c.emit("Mul", [x, half], [hx]);
  c.emit("Mul", [hx, onePlus], [c.output(0)]);
};

function pool(opType: "MaxPool" | "AveragePool"): Emitter {
  return (c) => {
    const n = c.node;
    const pad = ints(n, "padding");
    const attrs: Record<string, OnnxAttr> = {
      kernel_shape: ints(n, "kernel_size"),
      strides: ints(n, "stride"),
      pads: [...pad, ...pad],
      ceil_mode: n.attrs["ceil_mode"] ? 1 : 0,
    };
    if (opType === "MaxPool") attrs["dilations"] = ints(n, "dilation", pad.map(() => 1));
    else attrs["count_include_pad"] = n.attrs["count_include_pad"] === false ? 0 : 1;
    c.emit(opType, [c.input(0)], [c.output(0)], attrs);
  };
}

function reduce(opType: string): Emitter {
  return (c) => c.emit(opType, [c.input(0)], [c.output(0)], { axes: ints(c.node, "dims"), keepdims: c.node.attrs["keepdim"] ? 1 : 0 });
}

/** Scale and zero point of a quantize/dequantize node as initializers (zero point in the integer dtype). */
function qdqParams(c: EmitContext, perChannel: boolean): { scale: string; zp: string; dtype: DType } {
  const n = c.node;
  const dtype = (n.attrs["dtype"] as DType | undefined) ?? "i8";
  const norm: Record<string, DType> = { int8: "i8", uint8: "u8", int16: "i16", int32: "i32" };
  const dt = norm[dtype] ?? dtype;
  // Opset 17 Quantize/DequantizeLinear take 8-bit integers (and int32 for dequantized biases) only.
  if (!(dt === "i8" || dt === "u8" || (dt === "i32" && n.op.startsWith("quantized_decomposed.dequantize")))) {
    throw new UserError(`export: node ${n.name} (${n.op}) uses ${dt}, which ONNX opset 17 QuantizeLinear/DequantizeLinear cannot express`);
  }
  if (perChannel) {
    const scales = ints(n, "scales");
    const zps = ints(n, "zero_points");
    return { scale: c.constant("f32", scales), zp: c.constant(dt, zps), dtype: dt };
  }
  return { scale: c.constant("f32", [num(n, "scale")], []), zp: c.constant(dt, [num(n, "zero_point")], []), dtype: dt };
}

const quantize: Emitter = (c) => {
  const n = c.node;
  const { scale, zp, dtype } = qdqParams(c, false);
  const [lo, hi] = dtype === "u8" ? [0, 255] : dtype === "i16" ? [-32768, 32767] : [-128, 127];
  const qmin = optNum(n, "quant_min") ?? lo;
  const qmax = optNum(n, "quant_max") ?? hi;
  if (qmin === lo && qmax === hi) {
    c.emit("QuantizeLinear", [c.input(0), scale, zp], [c.output(0)]);
    return;
  }
  // A narrower range than the dtype's (e.g. −127..127) has no QuantizeLinear attribute: clip after.
  const q = c.temp("q");
  c.emit("QuantizeLinear", [c.input(0), scale, zp], [q]);
  clip(c, q, dtype, qmin, qmax, c.output(0));
};

const dequantizePerTensor: Emitter = (c) => {
  const { scale, zp } = qdqParams(c, false);
  c.emit("DequantizeLinear", [c.input(0), scale, zp], [c.output(0)]);
};

const dequantizePerChannel: Emitter = (c) => {
  const { scale, zp } = qdqParams(c, true);
  c.emit("DequantizeLinear", [c.input(0), scale, zp], [c.output(0)], { axis: num(c.node, "axis") });
};

const lstm: Emitter = (c) => {
  const n = c.node;
  const inputs = [c.input(0), c.input(1), c.input(2), c.input(3), "", c.input(4), c.input(5)];
  while (inputs[inputs.length - 1] === "") inputs.pop();
  c.emit("LSTM", inputs, n.outputs.map((_, i) => c.output(i)), { hidden_size: num(n, "hidden_size"), direction: "forward" });
};

const TABLE: Record<string, Emitter> = {
  [CONVOLUTION.name]: convolution,
  [RELU.name]: unary("Relu"),
  [SIGMOID.name]: unary("Sigmoid"),
  [TANH.name]: unary("Tanh"),
  [SILU.name]: silu,
  [HARDSWISH.name]: unary("HardSwish"),
  [HARDSIGMOID.name]: (c) => c.emit("HardSigmoid", [c.input(0)], [c.output(0)], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  [ABS.name]: unary("Abs"),
  [NEG.name]: unary("Neg"),
  [EXP.name]: unary("Exp"),
  [LOG.name]: unary("Log"),
  [SQRT.name]: unary("Sqrt"),
  [GELU.name]: gelu,
  [LEAKY_RELU.name]: (c) => c.emit("LeakyRelu", [c.input(0)], [c.output(0)], { alpha: { float: num(c.node, "negative_slope") } }),
  [HARDTANH.name]: (c) => clip(c, c.input(0), inVal(c.node, 0).dtype, num(c.node, "min_val"), num(c.node, "max_val"), c.output(0)),
  [CLAMP.name]: (c) => clip(c, c.input(0), inVal(c.node, 0).dtype, optNum(c.node, "min"), optNum(c.node, "max"), c.output(0)),
  [SOFTMAX.name]: (c) => c.emit("Softmax", [c.input(0)], [c.output(0)], { axis: num(c.node, "dim") }),
  [LOG_SOFTMAX.name]: (c) => c.emit("LogSoftmax", [c.input(0)], [c.output(0)], { axis: num(c.node, "dim") }),
  [ADD.name]: binary("Add"),
  [SUB.name]: binary("Sub"),
  [MUL.name]: binary("Mul"),
  [DIV.name]: binary("Div"),
  [POW.name]: binary("Pow"),
  [MAXIMUM.name]: binary("Max"),
  [MINIMUM.name]: binary("Min"),
  [EQ.name]: binary("Equal"),
  [LOGICAL_NOT.name]: unary("Not"),
  [WHERE.name]: (c) => c.emit("Where", [c.input(0), c.input(1), c.input(2)], [c.output(0)]),
  [LINEAR_OP.name]: linear,
  [MATMUL_OP.name]: binary("MatMul"),
  [VIEW_COPY.name]: (c) => c.emit("Reshape", [c.input(0), c.constant("i64", ints(c.node, "size"))], [c.output(0)]),
  [PERMUTE_COPY.name]: (c) => c.emit("Transpose", [c.input(0)], [c.output(0)], { perm: ints(c.node, "dims") }),
  [CAT_OP.name]: (c) => c.emit("Concat", c.node.inputs.map((_, i) => c.input(i)), [c.output(0)], { axis: num(c.node, "dim") }),
  [SPLIT_OP.name]: (c) => c.emit("Split", [c.input(0), c.constant("i64", ints(c.node, "split_sizes"))], c.node.outputs.map((_, i) => c.output(i)), { axis: num(c.node, "dim") }),
  [SLICE_OP.name]: (c) => {
    const n = c.node;
    const i64 = (k: string, d?: number): string => c.constant("i64", [optNum(n, k) ?? d!]);
    c.emit("Slice", [c.input(0), i64("start"), i64("end"), i64("dim"), i64("step", 1)], [c.output(0)]);
  },
  [INDEX_SELECT_OP.name]: (c) => c.emit("Gather", [c.input(0), c.input(1)], [c.output(0)], { axis: num(c.node, "dim") }),
  [PAD_OP.name]: (c) => {
    const n = c.node;
    const mode = (n.attrs["mode"] as string | undefined) ?? "constant";
    const inputs = [c.input(0), c.constant("i64", ints(n, "pads"))];
    if (mode === "constant") inputs.push(c.constant(inVal(n, 0).dtype, [optNum(n, "value") ?? 0], []));
    c.emit("Pad", inputs, [c.output(0)], { mode });
  },
  [MAX_POOL2D.name]: pool("MaxPool"),
  [MAX_POOL1D.name]: pool("MaxPool"),
  [AVG_POOL2D.name]: pool("AveragePool"),
  [AVG_POOL1D.name]: pool("AveragePool"),
  [MEAN.name]: reduce("ReduceMean"),
  [AMAX.name]: reduce("ReduceMax"),
  [UPSAMPLE_NEAREST2D.name]: (c) => {
    const x = inVal(c.node, 0);
    const sizes = c.constant("i64", [x.shape[0]!, x.shape[1]!, ...ints(c.node, "output_size")]);
    c.emit("Resize", [c.input(0), "", "", sizes], [c.output(0)], { mode: "nearest", coordinate_transformation_mode: "asymmetric", nearest_mode: "floor" });
  },
  [LSTM_OP.name]: lstm,
  [TO_COPY.name]: (c) => c.emit("Cast", [c.input(0)], [c.output(0)], { to: elemType(c.node.output.dtype) }),
  [CLONE_OP.name]: unary("Identity"),
  // Layout is not part of an ONNX tensor: the logical values are unchanged.
  [CLONE_DIM_ORDER.name]: unary("Identity"),
  [QUANTIZE_PER_TENSOR.name]: quantize,
  [DEQUANTIZE_PER_TENSOR.name]: dequantizePerTensor,
  [DEQUANTIZE_PER_CHANNEL.name]: dequantizePerChannel,
};

export function emitterFor(n: Node): Emitter {
  const e = TABLE[n.op];
  if (!e) throw new UserError(`export: node ${n.name} uses op ${n.op}, which has no ONNX equivalent (export before lowering to cortex_m ops)`);
  return e;
}
