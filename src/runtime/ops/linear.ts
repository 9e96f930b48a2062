// cortex_m.quantized_linear → arm_fully_connected_s8 over rows = numel / K.
// The MVE kernel_sum input is for the device build (bias folded into ctx);
// the TS kernels, like pure C / DSP, read `bias`.
import type { Node } from "../../ir/graph.js";
import { fullyConnectedPerChannelS8, fullyConnectedS8Ref, Status, STATUS_NAMES, type FcParams } from "../../kernels/index.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type PrepareFn, type Step } from "../context.js";
import { rowMajor } from "../../ir/layout.js";
import { numAttr } from "./common.js";

function prepareLinear(node: Node, ctx: PrepareContext): Step {
  const x = node.input(0);
  const w = node.input(1);
  const y = node.output;
  const k = x.shape[x.rank - 1]!;
  const [o, wk] = w.shape as [number, number];
  if (wk !== k) ctx.fail(node, `weight [${w.shape}] does not match input [${x.shape}]`);
  const rows = k === 0 ? 0 : x.numel / k;
  const params: FcParams = {
    inputOffset: numAttr(node, "input_offset", ctx),
    filterOffset: numAttr(node, "filter_offset", ctx),
    outputOffset: numAttr(node, "output_offset", ctx),
    activation: { min: numAttr(node, "activation_min", ctx), max: numAttr(node, "activation_max", ctx) },
  };
  const multiplier = numAttr(node, "multiplier", ctx);
  const shift = numAttr(node, "shift", ctx);
  const bias = ctx.i32OrNull(node.inputs[2] ?? null);
  const filter = ctx.i8(w);
  const inp = inputIn(ctx, x, rowMajor(x.type));
  const out = outputIn(ctx, y, rowMajor(y.type));
  const input = inp.data as Int8Array;
  const output = out.data as Int8Array;
  const inDims = { n: rows, h: 1, w: 1, c: k };
  const filterDims = { n: k, h: 1, w: 1, c: o };
  const outDims = { n: rows, h: 1, w: 1, c: o };
  const check = (st: number): void => {
    if (st !== Status.SUCCESS) ctx.fail(node, `arm_fully_connected_s8 returned ${STATUS_NAMES[st] ?? st}`);
  };
  let run: Step;
  if (ctx.reference) {
    run = () => check(fullyConnectedS8Ref(params, { multiplier, shift }, inDims, input, filterDims, filter, bias, outDims, output));
  } else {
    // Per-tensor requantization is the per-channel kernel with one repeated
    // multiplier: same arithmetic, and the arrays are made once here rather
    // than on every call.
    const quant = { multiplier: new Int32Array(o).fill(multiplier), shift: new Int32Array(o).fill(shift) };
    const biasDims = { n: 1, h: 1, w: 1, c: o };
    run = () => check(fullyConnectedPerChannelS8(null, params, quant, inDims, input, filterDims, filter, biasDims, bias, outDims, output));
  }
  return wrapStep([inp.pre], run, [out.post]);
}

export const linearOps: Record<string, PrepareFn> = {
  "cortex_m.quantized_linear": prepareLinear,
};
