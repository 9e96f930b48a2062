// Reshape-like ops (all become aten.view_copy) and Transpose.
import type { Value } from "../../../ir/graph.js";
import { numel } from "../../../ir/tensor.js";
import { fmt, normAxis, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { PERMUTE_COPY } from "../../../ops/shape/permute.js";
import { VIEW_COPY } from "../../../ops/shape/reshape.js";

/** view_copy to `shape`, or x itself when the shape is unchanged. */
export function view(ctx: ImportContext, x: Value, shape: number[]): Value {
  if (numel(shape) !== x.numel) throw new ImportIssue(`cannot reshape ${fmt(x.shape)} (${x.numel} elements) to ${fmt(shape)}`);
  if (shape.length === x.rank && shape.every((d, i) => d === x.shape[i])) return x;
  return ctx.emit1(VIEW_COPY.name, [x], { size: shape });
}

/** Reshape: 0 copies the input dim (unless allowzero), one -1 is inferred. */
const reshape: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "data");
  const spec = ctx.constInts(ctx.need(n, 1, "shape"), "shape");
  const allowzero = n.int("allowzero", 0) !== 0;
  const shape = spec.map((d, i) => {
    if (d === 0 && !allowzero) {
      if (i >= x.rank) throw new ImportIssue(`shape ${fmt(spec)} copies dim ${i}, but the input ${fmt(x.shape)} has rank ${x.rank}`);
      return x.shape[i]!;
    }
    return d;
  });
  const free = shape.filter((d) => d === -1).length;
  if (free > 1 || shape.some((d) => d < -1)) throw new ImportIssue(`invalid shape ${fmt(spec)}`);
  if (free === 1) {
    const known = numel(shape.filter((d) => d !== -1));
    if (known === 0 || x.numel % known !== 0) throw new ImportIssue(`cannot reshape ${fmt(x.shape)} to ${fmt(spec)}`);
    shape[shape.indexOf(-1)] = x.numel / known;
  }
  return [view(ctx, x, shape)];
};

const flatten: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const axis = n.int("axis", 1);
  const a = axis < 0 ? axis + x.rank : axis;
  if (a < 0 || a > x.rank) throw new ImportIssue(`axis ${axis} is out of range for rank ${x.rank}`);
  return [view(ctx, x, [numel(x.shape.slice(0, a)), numel(x.shape.slice(a))])];
};

/** Squeeze/Unsqueeze axes: an attribute before opset 13, an optional input from 13 on. */
function axesOf(ctx: ImportContext, n: OnnxNode): number[] | null {
  if (ctx.opset < 13) return n.ints("axes") ?? null;
  const v = ctx.input(n, 1);
  return v ? ctx.constInts(v, "axes") : null;
}

const squeeze: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const raw = axesOf(ctx, n);
  const axes = raw ? raw.map((a) => normAxis(a, x.rank)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of axes) if (x.shape[a] !== 1) throw new ImportIssue(`cannot squeeze axis ${a} of ${fmt(x.shape)} (size ${x.shape[a]})`);
  return [view(ctx, x, x.shape.filter((_, i) => !axes.includes(i)))];
};

const unsqueeze: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const raw = axesOf(ctx, n);
  if (!raw) throw new ImportIssue("missing axes");
  const r = x.rank + raw.length;
  const axes = raw.map((a) => normAxis(a, r));
  if (new Set(axes).size !== axes.length) throw new ImportIssue(`repeated axes ${fmt(raw)}`);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) shape.push(axes.includes(i) ? 1 : x.shape[k++]!);
  return [view(ctx, x, shape)];
};

const transpose: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const perm = (n.ints("perm") ?? x.shape.map((_, i) => x.rank - 1 - i)).map((p) => normAxis(p, x.rank, "perm entry"));
  if (perm.length !== x.rank || new Set(perm).size !== perm.length) throw new ImportIssue(`perm ${fmt(perm)} is not a permutation of rank ${x.rank}`);
  if (perm.every((p, i) => p === i)) return [x];
  return [ctx.emit1(PERMUTE_COPY.name, [x], { dims: perm })];
};

export const RESHAPE_CONVERTERS: Record<string, Converter> = {
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Transpose: transpose,
};

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const RESHAPE_EMITS: readonly OpDef[] = [PERMUTE_COPY, VIEW_COPY];
