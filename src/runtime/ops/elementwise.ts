// Elementwise int8 ops: quantized_add / quantized_mul (arm_elementwise_*_s8),
// clamp and the LUT activation (own loops, as in the C program). They run
// over the output's physical order; an input in another order is relaid first.
import type { Node } from "../../ir/graph.js";
import {
  elementwiseAddS8, elementwiseAddS8Ref, elementwiseMulS8, elementwiseMulS8Ref, lutS8, lutS8Ref, Status, STATUS_NAMES,
  type AddS8Params, type MulS8Params,
} from "../../kernels/index.js";
import { inputIn, wrapStep, type PrepareContext, type PrepareFn, type Step } from "../context.js";
import { numAttr } from "./common.js";

function checker(node: Node, ctx: PrepareContext, kernel: string): (st: number) => void {
  return (st) => {
    if (st !== Status.SUCCESS) ctx.fail(node, `${kernel} returned ${STATUS_NAMES[st] ?? st}`);
  };
}

function prepareAdd(node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const a = inputIn(ctx, node.input(0), y.type);
  const b = inputIn(ctx, node.input(1), y.type);
  const n = (k: string): number => numAttr(node, k, ctx);
  const p: AddS8Params = {
    input1Offset: n("input1_offset"), input1Mult: n("input1_multiplier"), input1Shift: n("input1_shift"),
    input2Offset: n("input2_offset"), input2Mult: n("input2_multiplier"), input2Shift: n("input2_shift"),
    leftShift: n("left_shift"),
    outOffset: n("output_offset"), outMult: n("output_multiplier"), outShift: n("output_shift"),
    outActivationMin: n("activation_min"), outActivationMax: n("activation_max"),
  };
  const in1 = a.data as Int8Array;
  const in2 = b.data as Int8Array;
  const out = ctx.i8(y);
  const size = y.numel;
  const check = checker(node, ctx, "arm_elementwise_add_s8");
  const kernel = ctx.reference ? elementwiseAddS8Ref : elementwiseAddS8;
  return wrapStep([a.pre, b.pre], () => check(kernel(in1, in2, p, out, size)), []);
}

function prepareMul(node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const a = inputIn(ctx, node.input(0), y.type);
  const b = inputIn(ctx, node.input(1), y.type);
  const n = (k: string): number => numAttr(node, k, ctx);
  const p: MulS8Params = {
    input1Offset: n("input1_offset"), input2Offset: n("input2_offset"),
    outOffset: n("output_offset"), outMult: n("output_multiplier"), outShift: n("output_shift"),
    outActivationMin: n("activation_min"), outActivationMax: n("activation_max"),
  };
  const in1 = a.data as Int8Array;
  const in2 = b.data as Int8Array;
  const out = ctx.i8(y);
  const size = y.numel;
  const check = checker(node, ctx, "arm_elementwise_mul_s8");
  const kernel = ctx.reference ? elementwiseMulS8Ref : elementwiseMulS8;
  return wrapStep([a.pre, b.pre], () => check(kernel(in1, in2, p, out, size)), []);
}

function prepareClamp(node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, node.input(0), y.type);
  const lo = numAttr(node, "activation_min", ctx);
  const hi = numAttr(node, "activation_max", ctx);
  const src = x.data as Int8Array;
  const out = ctx.i8(y);
  const size = y.numel;
  return wrapStep([x.pre], () => {
    for (let i = 0; i < size; i++) {
      const v = src[i]!;
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  }, []);
}

function prepareLut(node: Node, ctx: PrepareContext): Step {
  const y = node.output;
  const x = inputIn(ctx, node.input(0), y.type);
  const lut = ctx.i8(node.input(1));
  if (lut.length !== 256) ctx.fail(node, `the table must hold 256 entries, has ${lut.length}`);
  const src = x.data as Int8Array;
  const out = ctx.i8(y);
  const size = y.numel;
  const check = checker(node, ctx, "lut");
  const kernel = ctx.reference ? lutS8Ref : lutS8;
  return wrapStep([x.pre], () => check(kernel(src, out, lut, size)), []);
}

export const elementwiseOps: Record<string, PrepareFn> = {
  "cortex_m.quantized_add": prepareAdd,
  "cortex_m.quantized_mul": prepareMul,
  "cortex_m.clamp": prepareClamp,
  "cortex_m.quantized_activation": prepareLut,
};
