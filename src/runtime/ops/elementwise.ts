// Elementwise int8 ops: quantized_add / quantized_mul (arm_elementwise_*_s8),
// quantized_maximum / _minimum (arm_maximum_s8 / arm_minimum_s8), clamp and the
// LUT activation (own loops, as in the C program). They run over the output's
// physical order; an input in another order is relaid first.
import type { Node } from "../../ir/graph.js";
import {
  elementwiseAddS8, elementwiseAddS8Ref, elementwiseMulS8, elementwiseMulS8Ref, lutS8, lutS8Ref, maximumS8, minimumS8,
} from "../../kernels/index.js";
import {
  CLAMP, QUANTIZED_ACTIVATION, QUANTIZED_ADD, QUANTIZED_MAXIMUM, QUANTIZED_MINIMUM, QUANTIZED_MUL,
  type BinaryParams, type ClampParams, type LutParams, type MinMaxParams,
} from "../../ops/cortex_m/elementwise.js";
import { inputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind, checker } from "./common.js";

type BinaryKernel<K> = (in1: Int8Array, in2: Int8Array, p: K, out: Int8Array, size: number) => number;

/** A two-input kernel over the output's physical order (inputs in another order are relaid first). */
function binary<K>(name: string, optimized: BinaryKernel<K>, reference: BinaryKernel<K>) {
  return (p: BinaryParams<K>, node: Node, ctx: PrepareContext): Step => {
    const y = node.output;
    const a = inputIn(ctx, p.operands.a, y.type);
    const b = inputIn(ctx, p.operands.b, y.type);
    const in1 = a.data as Int8Array;
    const in2 = b.data as Int8Array;
    const out = ctx.i8(y);
    const check = checker(node, ctx, name);
    const kernel = ctx.reference ? reference : optimized;
    return wrapStep([a.pre, b.pre], () => check(kernel(in1, in2, p.kernel, out, p.size)), []);
  };
}

function prepareClamp(p: ClampParams, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, p.operands.input, y.type);
  const { min: lo, max: hi } = p.activation;
  const src = x.data as Int8Array | Int16Array;
  const out = p.dtype === "i16" ? (ctx.view(y) as Int16Array) : ctx.i8(y);
  const size = p.size;
  return wrapStep([x.pre], () => {
    for (let i = 0; i < size; i++) {
      const v = src[i]!;
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  }, []);
}

function prepareLut(p: LutParams, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, p.operands.input, y.type);
  const lut = ctx.i8(p.operands.table);
  const src = x.data as Int8Array;
  const out = ctx.i8(y);
  const check = checker(node, ctx, "lut");
  const kernel = ctx.reference ? lutS8Ref : lutS8;
  return wrapStep([x.pre], () => check(kernel(src, out, lut, p.size)), []);
}

function prepareMinMax(p: MinMaxParams, node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const a = inputIn(ctx, p.operands.a, y.type);
  const b = p.operands.b.numel === 1 ? { data: ctx.view(p.operands.b), pre: null } : inputIn(ctx, p.operands.b, y.type);
  const in1 = a.data as Int8Array;
  const in2 = b.data as Int8Array;
  const out = ctx.i8(y);
  const kernel = p.max ? maximumS8 : minimumS8;
  const check = checker(node, ctx, p.kernel);
  return wrapStep([a.pre, b.pre], () => check(kernel(in1, p.input1, in2, p.input2, out, p.output)), []);
}

export const elementwiseBindings = [
  bind(QUANTIZED_ADD, binary("arm_elementwise_add_s8", elementwiseAddS8, elementwiseAddS8Ref)),
  bind(QUANTIZED_MUL, binary("arm_elementwise_mul_s8", elementwiseMulS8, elementwiseMulS8Ref)),
  bind(CLAMP, prepareClamp),
  bind(QUANTIZED_ACTIVATION, prepareLut),
  bind(QUANTIZED_MAXIMUM, prepareMinMax),
  bind(QUANTIZED_MINIMUM, prepareMinMax),
];
