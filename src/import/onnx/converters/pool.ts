// MaxPool, AveragePool, GlobalAveragePool/GlobalMaxPool → aten pools / reductions.
// The catalog pools take one symmetric pad per spatial dim; asymmetric ONNX pads
// become an explicit aten.pad in front (−FLT_MAX for max, 0 for an average that
// counts the pad).
import type { Attrs, Value } from "../../../ir/graph.js";
import { fmt, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import { applyAutoPad, readGeometry } from "./conv.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { AMAX, MEAN } from "../../../ops/reduce/reduce.js";
import { PAD_OP } from "../../../ops/shape/pad.js";
import { AVG_POOL1D, AVG_POOL2D, MAX_POOL1D, MAX_POOL2D } from "../../../ops/pool/pools.js";

const FLT_MAX = 3.4028234663852886e38;

/** The catalog pool per kind, indexed by spatial rank - 1. */
const POOL_OPS = { max: [MAX_POOL1D, MAX_POOL2D], avg: [AVG_POOL1D, AVG_POOL2D] } as const;

function pool(kind: "max" | "avg"): Converter {
  return (ctx: ImportContext, n: OnnxNode) => {
    let x = ctx.need(n, 0);
    const s = x.rank - 2;
    if (s !== 1 && s !== 2) throw new ImportIssue(`${s}-D pooling is not supported (input ${fmt(x.shape)})`);
    if (n.outputs.length > 1 && n.outputs[1]) throw new ImportIssue("the Indices output is not supported");
    const kernel = n.ints("kernel_shape");
    if (!kernel) throw new ImportIssue("missing kernel_shape");
    const g = readGeometry(n, x.shape, kernel);
    if (kind === "avg" && g.dilation.some((d) => d !== 1)) throw new ImportIssue("dilated AveragePool is not supported");
    applyAutoPad(n, g, x.shape);
    const ceil = n.int("ceil_mode", 0) !== 0;
    const countPad = n.int("count_include_pad", 0) !== 0;
    let padding = g.padBegin;
    if (g.padBegin.some((p, i) => p !== g.padEnd[i])) {
      if (kind === "avg" && !countPad) throw new ImportIssue(`asymmetric pads ${fmt([...g.padBegin, ...g.padEnd])} with count_include_pad=0 are not supported`);
      x = padFront(ctx, x, g.padBegin, g.padEnd, kind === "max" ? -FLT_MAX : 0);
      padding = g.padBegin.map(() => 0);
    }
    const op = POOL_OPS[kind][s - 1]!.name;
    const attrs: Attrs = kind === "max"
      ? { kernel_size: kernel, stride: g.stride, padding, dilation: g.dilation, ceil_mode: ceil }
      : { kernel_size: kernel, stride: g.stride, padding, ceil_mode: ceil, count_include_pad: countPad };
    return [ctx.emit1(op, [x], attrs)];
  };
}

function padFront(ctx: ImportContext, x: Value, begin: number[], end: number[], value: number): Value {
  const pads = [0, 0, ...begin, 0, 0, ...end];
  return ctx.emit1(PAD_OP.name, [x], { pads, mode: "constant", value });
}

const globalPool = (op: string): Converter => (ctx, n) => {
  const x = ctx.need(n, 0);
  if (x.rank < 3) throw new ImportIssue(`input ${fmt(x.shape)} has no spatial dims`);
  return [ctx.emit1(op, [x], { dims: x.shape.slice(2).map((_, i) => i + 2), keepdim: true })];
};

export const POOL_CONVERTERS: Record<string, Converter> = {
  MaxPool: pool("max"),
  AveragePool: pool("avg"),
  GlobalAveragePool: globalPool(MEAN.name),
  GlobalMaxPool: globalPool(AMAX.name),
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const POOL_EMITS: readonly OpDef[] = [AMAX, MEAN, PAD_OP, AVG_POOL1D, AVG_POOL2D, MAX_POOL1D, MAX_POOL2D];
