// ReduceMean / ReduceMax → aten.mean / aten.amax. Axes moved from an attribute
// to an input in opset 18; no axes means all of them unless noop_with_empty_axes.
import { normAxis, type ImportContext } from "../context.js";
import type { OnnxNode } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { AMAX, MEAN } from "../../../ops/reduce/reduce.js";

function reduce(op: string): Converter {
  return (ctx: ImportContext, n: OnnxNode) => {
    const x = ctx.need(n, 0);
    let axes: number[] | undefined = n.ints("axes");
    if (ctx.opset >= 18) {
      const av = ctx.input(n, 1);
      axes = av ? ctx.constInts(av, "axes") : undefined;
    }
    if (!axes || axes.length === 0) {
      if (n.int("noop_with_empty_axes", 0) !== 0) return [x];
      axes = x.shape.map((_, i) => i);
    }
    const dims = [...new Set(axes.map((a) => normAxis(a, x.rank)))].sort((a, b) => a - b);
    return [ctx.emit1(op, [x], { dims, keepdim: n.int("keepdims", 1) !== 0 })];
  };
}

export const REDUCE_CONVERTERS: Record<string, Converter> = { ReduceMean: reduce(MEAN.name), ReduceMax: reduce(AMAX.name) };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const REDUCE_EMITS: readonly OpDef[] = [AMAX, MEAN];
