// The 16x8 ops: quantized_linear_s16 (arm_fully_connected_s16), quantized_add_s16 / _mul_s16
// (arm_elementwise_*_s16), activation_s16 (arm_nn_activation_s16) and softmax_s16 (arm_softmax_s16), run by the
// bit-exact TS twins. Elementwise ops run over the output's physical order (inputs in another order are relaid);
// linear and softmax read rows of the last logical dim.
import type { Node, TensorType } from "../../ir/graph.js";
import { rowMajor } from "../../ir/layout.js";
import { activationS16, elementwiseAddS16, elementwiseMulS16, fullyConnectedS16, softmaxS16 } from "../../kernels/index.js";
import {
  ACTIVATION_S16, QUANTIZED_ADD_S16, QUANTIZED_LINEAR_S16, QUANTIZED_MUL_S16, SOFTMAX_S16,
  type ActivationS16Params, type BinaryS16Params, type LinearS16Params, type SoftmaxS16Params,
} from "../../ops/cortex_m/s16.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind, checker } from "./common.js";

function prepareLinear(p: LinearS16Params, node: Node, ctx: PrepareContext): Step {
  const v = p.operands;
  const inp = inputIn(ctx, v.input, rowMajor(v.input.type));
  const out = outputIn(ctx, node.output, rowMajor(node.output.type));
  const input = inp.data as Int16Array;
  const output = out.data as Int16Array;
  const weights = ctx.i8(v.weight);
  // The IR holds int64 constants as exact float64 numbers; the kernel takes the C's int64_t array.
  const bias = v.bias ? BigInt64Array.from(Array.from(ctx.view(v.bias), (x) => BigInt(x))) : null;
  const params = { multiplier: p.multiplier, shift: p.shift, activationMin: p.activation.min, activationMax: p.activation.max };
  const check = checker(node, ctx, "arm_fully_connected_s16");
  return wrapStep([inp.pre], () => check(fullyConnectedS16(params, input, p.rows, p.k, weights, bias, p.o, output)), [out.post]);
}

type BinaryKernel<K> = (in1: Int16Array, in2: Int16Array, p: K, out: Int16Array, size: number) => number;

function binary<K>(name: string, kernel: BinaryKernel<K>) {
  return (p: BinaryS16Params<K>, node: Node, ctx: PrepareContext): Step => {
    const y = node.output;
    const a = inputIn(ctx, p.operands.a, y.type);
    const b = inputIn(ctx, p.operands.b, y.type);
    const in1 = a.data as Int16Array;
    const in2 = b.data as Int16Array;
    const out = ctx.view(y) as Int16Array;
    const check = checker(node, ctx, name);
    return wrapStep([a.pre, b.pre], () => check(kernel(in1, in2, p.kernel, out, p.size)), []);
  };
}

function prepareActivation(p: ActivationS16Params, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, p.operands.input, y.type);
  const src = x.data as Int16Array;
  const out = ctx.view(y) as Int16Array;
  const check = checker(node, ctx, "arm_nn_activation_s16");
  return wrapStep([x.pre], () => check(activationS16(src, out, p.size, p.leftShift, p.function)), []);
}

function prepareSoftmax(p: SoftmaxS16Params, node: Node, ctx: PrepareContext): Step {
  const x = p.operands.input;
  const r = x.rank;
  // Rows are independent: any order whose innermost dim is the last logical dim keeps every row contiguous.
  const want: TensorType = r > 0 && x.type.dimOrder[r - 1] === r - 1 ? x.type : rowMajor(x.type);
  const inp = inputIn(ctx, x, want);
  const out = outputIn(ctx, node.output, want);
  const input = inp.data as Int16Array;
  const output = out.data as Int16Array;
  const expLut = ctx.view(p.operands.expLut) as Int16Array;
  const oneByOne = ctx.view(p.operands.oneByOneLut) as Int16Array;
  const check = checker(node, ctx, "arm_softmax_s16");
  return wrapStep([inp.pre], () => check(softmaxS16(input, p.rows, p.rowSize, p.multiplier, p.shift, expLut, oneByOne, output)), [out.post]);
}

export const s16Bindings = [
  bind(QUANTIZED_LINEAR_S16, prepareLinear),
  bind(QUANTIZED_ADD_S16, binary("arm_elementwise_add_s16", elementwiseAddS16)),
  bind(QUANTIZED_MUL_S16, binary("arm_elementwise_mul_s16", elementwiseMulS16)),
  bind(ACTIVATION_S16, prepareActivation),
  bind(SOFTMAX_S16, prepareSoftmax),
];
