// Expand and Tile: both repeat elements, which aten.index_select does exactly
// (an index of zeros repeats a size-1 dim; 0…d−1 k times tiles a dim k times),
// as a data move the int8 program keeps on int8.
import type { Value } from "../../../ir/graph.js";
import { fmt, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import { view } from "./reshape.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { INDEX_SELECT_OP } from "../../../ops/shape/slice.js";
import { VIEW_COPY } from "../../../ops/shape/reshape.js";

function repeatDim(ctx: ImportContext, x: Value, dim: number, index: number[]): Value {
  return ctx.emit1(INDEX_SELECT_OP.name, [x, ctx.literal("i64", [index.length], index, `repeat${dim}`)], { dim });
}

/** Expand: numpy broadcasting of x and `shape` (either may have the larger rank or the 1s). */
const expand: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const shape = ctx.constInts(ctx.need(n, 1, "shape"), "shape");
  const r = Math.max(x.rank, shape.length);
  const xs = [...new Array<number>(r - x.rank).fill(1), ...x.shape];
  const ss = [...new Array<number>(r - shape.length).fill(1), ...shape];
  const out = xs.map((d, i) => {
    const s = ss[i]!;
    if (d !== s && d !== 1 && s !== 1) throw new ImportIssue(`cannot broadcast ${fmt(x.shape)} to ${fmt(shape)}`);
    return d === 1 ? s : d;
  });
  let y = view(ctx, x, xs);
  out.forEach((d, i) => {
    if (xs[i] === 1 && d !== 1) y = repeatDim(ctx, y, i, new Array<number>(d).fill(0));
  });
  return [y];
};

const tile: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const repeats = ctx.constInts(ctx.need(n, 1, "repeats"), "repeats");
  if (repeats.length !== x.rank) throw new ImportIssue(`${repeats.length} repeats for input ${fmt(x.shape)}`);
  if (repeats.some((k) => !Number.isInteger(k) || k < 0)) throw new ImportIssue(`invalid repeats ${fmt(repeats)}`);
  let y = x;
  repeats.forEach((k, i) => {
    if (k === 1) return;
    const d = x.shape[i]!;
    y = repeatDim(ctx, y, i, Array.from({ length: d * k }, (_, j) => j % d));
  });
  return [y];
};

export const BROADCAST_CONVERTERS: Record<string, Converter> = { Expand: expand, Tile: tile };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const BROADCAST_EMITS: readonly OpDef[] = [INDEX_SELECT_OP, VIEW_COPY];
