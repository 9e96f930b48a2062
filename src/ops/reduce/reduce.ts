// mean and amax over a set of dims (keepdim keeps them as size 1). Empty dims
// means "all dims" (torch.mean(x) / ONNX Reduce without axes).
import { allocArray } from "../../ir/dtype.js";
import type { Attrs } from "../../ir/graph.js";
import { defineOp, type OpDef, type QuantRole } from "../../ir/registry.js";
import { numel, stridesOf } from "../../ir/tensor.js";
import { attrBool, attrInts, checkAxis, forEachBroadcast, need, needT, out } from "../common.js";

function reduceShape(op: string, shape: number[], attrs: Attrs): { dims: number[]; keep: number[]; outShape: number[] } {
  let dims = attrInts(op, attrs, "dims", []);
  if (dims.length === 0) dims = shape.map((_, i) => i);
  dims.forEach((d) => checkAxis(op, d, shape.length));
  const keep = shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const outShape = attrBool(attrs, "keepdim") ? keep : shape.filter((_, i) => !dims.includes(i));
  return { dims, keep, outShape };
}

interface Reducer {
  init: number;
  step: (acc: number, v: number) => number;
  finish: (acc: number, n: number) => number;
}

function defineReduce(name: string, r: Reducer, quant?: QuantRole): OpDef {
  return defineOp({
    name,
    ...(quant ? { quant } : {}),
    infer(inputs, attrs) {
      const x = need(name, inputs, 0, "input x");
      return [out(x.dtype, reduceShape(name, x.shape, attrs).outShape)];
    },
    eval(inputs, attrs) {
      const x = needT(name, inputs, 0);
      const { keep, outShape } = reduceShape(name, x.shape, attrs);
      const n = numel(keep);
      const acc = new Float64Array(n).fill(r.init);
      // Walk the input once; each element lands in the slot of its kept indices.
      const ks = stridesOf(keep);
      const toOut = x.shape.map((d, i) => (keep[i] === 1 && d !== 1 ? 0 : ks[i]!));
      const xd = x.data;
      forEachBroadcast(x.shape, [toOut], (i, offs) => {
        const o = offs[0]!;
        acc[o] = r.step(acc[o]!, xd[i]!);
      });
      const count = numel(x.shape) / Math.max(n, 1);
      const dst = allocArray(x.dtype, n);
      for (let i = 0; i < n; i++) dst[i] = r.finish(acc[i]!, count);
      return [{ dtype: x.dtype, shape: outShape, data: dst }];
    },
  });
}

// A mean stays inside its input's range, so it keeps its input's grid: arm_avgpool_s8 does not requantize.
// At the end of the int8 region (e.g. Silero's mean of probabilities before its output) it stays float.
export const MEAN = defineReduce("aten.mean", { init: 0, step: (a, v) => a + v, finish: (a, n) => a / n },
  { sharesInputParams: true, sharesOnlyInside: true });
export const AMAX = defineReduce("aten.amax", { init: -Infinity, step: (a, v) => (v > a || Number.isNaN(v) ? v : a), finish: (a) => a });
// ReduceSum (and ReduceL2 / ReduceSumSquare, which the importer builds around it). It runs in float.
export const SUM = defineReduce("aten.sum", { init: 0, step: (a, v) => a + v, finish: (a) => a });
