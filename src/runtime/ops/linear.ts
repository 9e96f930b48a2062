// cortex_m.quantized_linear → arm_fully_connected_s8 over rows = numel / K.
// The MVE kernel_sum input is for the device build (bias folded into ctx);
// the TS kernels, like pure C / DSP, read `bias`.
import type { Node } from "../../ir/graph.js";
import { batchMatmulS8, fullyConnectedPerChannelS8, fullyConnectedS8Ref, type FcParams } from "../../kernels/index.js";
import { QUANTIZED_BATCH_MATMUL, type BatchMatmulParams } from "../../ops/cortex_m/batch_matmul.js";
import { QUANTIZED_LINEAR, type LinearParams } from "../../ops/cortex_m/linear.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { rowMajor } from "../../ir/layout.js";
import { bind, checker } from "./common.js";

function prepareLinear(p: LinearParams, node: Node, ctx: PrepareContext): Step {
  const { rows, k, o } = p;
  const v = p.operands;
  const params: FcParams = { inputOffset: p.inputOffset, filterOffset: p.filterOffset, outputOffset: p.outputOffset, activation: p.activation };
  const bias = ctx.i32OrNull(v.bias);
  const filter = ctx.i8(v.weight);
  const inp = inputIn(ctx, v.input, rowMajor(v.input.type));
  const out = outputIn(ctx, node.output, rowMajor(node.output.type));
  const input = inp.data as Int8Array;
  const output = out.data as Int8Array;
  const inDims = { n: rows, h: 1, w: 1, c: k };
  const filterDims = { n: k, h: 1, w: 1, c: o };
  const outDims = { n: rows, h: 1, w: 1, c: o };
  const check = checker(node, ctx, "arm_fully_connected_s8");
  let run: Step;
  if (ctx.reference) {
    const quant = { multiplier: p.multiplier, shift: p.shift };
    run = () => check(fullyConnectedS8Ref(params, quant, inDims, input, filterDims, filter, bias, outDims, output));
  } else {
    // Per-tensor requantization is the per-channel kernel with one repeated
    // multiplier: same arithmetic, and the arrays are made once here rather
    // than on every call.
    const quant = { multiplier: new Int32Array(o).fill(p.multiplier), shift: new Int32Array(o).fill(p.shift) };
    const biasDims = { n: 1, h: 1, w: 1, c: o };
    run = () => check(fullyConnectedPerChannelS8(null, params, quant, inDims, input, filterDims, filter, biasDims, bias, outDims, output));
  }
  return wrapStep([inp.pre], run, [out.post]);
}

/** cortex_m.quantized_batch_matmul → arm_batch_matmul_s8 on row-major operands (the MVE row sums are the device's cache). */
function prepareBatchMatmul(p: BatchMatmulParams, node: Node, ctx: PrepareContext): Step {
  const v = p.operands;
  const lhs = inputIn(ctx, v.lhs, rowMajor(v.lhs.type));
  const rhs = inputIn(ctx, v.rhs, rowMajor(v.rhs.type));
  const out = outputIn(ctx, node.output, rowMajor(node.output.type));
  const check = checker(node, ctx, "arm_batch_matmul_s8");
  const run = (): void => check(batchMatmulS8(p, p.batches, p.m, p.n, p.k, lhs.data as Int8Array, rhs.data as Int8Array, out.data as Int8Array));
  return wrapStep([lhs.pre, rhs.pre], run, [out.post]);
}

export const linearBindings = [bind(QUANTIZED_LINEAR, prepareLinear), bind(QUANTIZED_BATCH_MATMUL, prepareBatchMatmul)];
