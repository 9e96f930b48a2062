// ReduceMean / ReduceMax / ReduceMin / ReduceSum / ReduceSumSquare / ReduceL1 /
// ReduceL2 / ReduceLogSum. Axes moved from an attribute to an input in opset 18
// (ReduceSum already in 13); no axes means all of them unless noop_with_empty_axes.
// min is −max(−x) (negation is exact); the norms square/abs before the sum and
// take the root/log after it.
import type { Value } from "../../../ir/graph.js";
import { normAxis, type ImportContext } from "../context.js";
import type { OnnxNode } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { MUL } from "../../../ops/elementwise/binary.js";
import { ABS, LOG, NEG, SQRT } from "../../../ops/elementwise/unary.js";
import { AMAX, MEAN, SUM } from "../../../ops/reduce/reduce.js";

type Reduction = (ctx: ImportContext, x: Value, dims: number[], keepdim: boolean) => Value;

function reduce(f: Reduction, axesInputFrom = 18): Converter {
  return (ctx: ImportContext, n: OnnxNode) => {
    const x = ctx.need(n, 0);
    let axes: number[] | undefined = n.ints("axes");
    if (ctx.opset >= axesInputFrom) {
      const av = ctx.input(n, 1);
      axes = av ? ctx.constInts(av, "axes") : undefined;
    }
    if (!axes || axes.length === 0) {
      if (n.int("noop_with_empty_axes", 0) !== 0) return [x];
      axes = x.shape.map((_, i) => i);
    }
    const dims = [...new Set(axes.map((a) => normAxis(a, x.rank)))].sort((a, b) => a - b);
    return [f(ctx, x, dims, n.int("keepdims", 1) !== 0)];
  };
}

const simple = (op: OpDef): Reduction => (ctx, x, dims, keepdim) => ctx.emit1(op.name, [x], { dims, keepdim });
const sumOf = simple(SUM);
const square = (ctx: ImportContext, x: Value) => ctx.emit1(MUL.name, [x, x]);

export const REDUCE_CONVERTERS: Record<string, Converter> = {
  ReduceMean: reduce(simple(MEAN)),
  ReduceMax: reduce(simple(AMAX)),
  ReduceMin: reduce((ctx, x, dims, keepdim) => ctx.emit1(NEG.name, [ctx.emit1(AMAX.name, [ctx.emit1(NEG.name, [x])], { dims, keepdim })])),
  ReduceSum: reduce(sumOf, 13),
  ReduceSumSquare: reduce((ctx, x, dims, keepdim) => sumOf(ctx, square(ctx, x), dims, keepdim)),
  ReduceL1: reduce((ctx, x, dims, keepdim) => sumOf(ctx, ctx.emit1(ABS.name, [x]), dims, keepdim)),
  ReduceL2: reduce((ctx, x, dims, keepdim) => ctx.emit1(SQRT.name, [sumOf(ctx, square(ctx, x), dims, keepdim)])),
  ReduceLogSum: reduce((ctx, x, dims, keepdim) => ctx.emit1(LOG.name, [sumOf(ctx, x, dims, keepdim)])),
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const REDUCE_EMITS: readonly OpDef[] = [AMAX, MEAN, SUM, MUL, ABS, LOG, NEG, SQRT];
