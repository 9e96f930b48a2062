// Concat, Split, Slice and Gather. Index arguments must be constants (they are
// in exported models, after folding); ONNX's negative and out-of-range indices
// are resolved here so the catalog ops only see clamped, non-negative values.
import type { Value } from "../../../ir/graph.js";
import { fmt, normAxis } from "../context.js";
import { ImportIssue } from "../issue.js";
import { view } from "./reshape.js";
import { VIEW_COPY } from "../../../ops/shape/reshape.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { CAT_OP, SPLIT_OP } from "../../../ops/shape/concat.js";
import { INDEX_SELECT_OP, SLICE_OP } from "../../../ops/shape/slice.js";

const concat: Converter = (ctx, n) => {
  const xs = n.inputs.map((_, i) => ctx.input(n, i)).filter((v): v is Value => v !== null);
  if (xs.length === 0) throw new ImportIssue("needs at least one input");
  const dim = normAxis(n.int("axis", 0), xs[0]!.rank);
  // Empty pieces (exporters produce them for zero padding) contribute nothing.
  const parts = xs.length > 1 ? xs.filter((x) => x.shape[dim] !== 0) : xs;
  if (parts.length === 0) return [xs[0]!];
  if (parts.length === 1) return [parts[0]!];
  return [ctx.emit1(CAT_OP.name, parts, { dim })];
};

/** Split sizes: `split` attribute (< 13) or input (>= 13), else num_outputs / output count, ceil-sized. */
const split: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const dim = normAxis(n.int("axis", 0), x.rank);
  const size = x.shape[dim]!;
  let sizes: number[] | undefined = ctx.opset < 13 ? n.ints("split") : undefined;
  const sv = ctx.opset >= 13 ? ctx.input(n, 1) : null;
  if (sv) sizes = ctx.constInts(sv, "split");
  if (!sizes || sizes.length === 0) {
    const parts = n.has("num_outputs") ? n.int("num_outputs", 1) : n.outputs.length;
    const chunk = Math.ceil(size / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(chunk, size - i * chunk)));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== size || sizes.some((s) => s < 0)) {
    throw new ImportIssue(`split sizes ${fmt(sizes)} do not add up to ${size} (axis ${dim} of ${fmt(x.shape)})`);
  }
  if (sizes.length !== n.outputs.length) throw new ImportIssue(`${sizes.length} split sizes for ${n.outputs.length} outputs`);
  if (sizes.length === 1) return [x];
  return ctx.emit(SPLIT_OP.name, [x], { split_sizes: sizes, dim });
};

/**
 * One slice per sliced axis; start/end clamped as ONNX specifies (INT64_MAX means
 * "to the end"). A negative step becomes an index_select of the picked indices.
 */
const slice: Converter = (ctx, n) => {
  let x = ctx.need(n, 0, "data");
  // Before opset 10, starts/ends/axes are attributes and there are no steps.
  const old = ctx.opset < 10;
  const attr = (name: string): number[] => {
    const v = n.ints(name);
    if (!v) throw new ImportIssue(`missing ${name}`);
    return v;
  };
  const starts = old ? attr("starts") : ctx.constInts(ctx.need(n, 1, "starts"), "starts");
  const ends = old ? attr("ends") : ctx.constInts(ctx.need(n, 2, "ends"), "ends");
  const av = old ? null : ctx.input(n, 3);
  const sv = old ? null : ctx.input(n, 4);
  const axes = old ? n.ints("axes") : av ? ctx.constInts(av, "axes") : undefined;
  const steps = sv ? ctx.constInts(sv, "steps") : undefined;
  const r = x.rank;
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(a, r));
  const st = steps ?? starts.map(() => 1);
  if (ends.length !== starts.length || ax.length !== starts.length || st.length !== starts.length) {
    throw new ImportIssue("starts, ends, axes and steps have different lengths");
  }
  for (let i = 0; i < ax.length; i++) {
    const d = ax[i]!;
    const size = x.shape[d]!;
    const step = st[i]!;
    if (step === 0) throw new ImportIssue(`step 0 on axis ${d}`);
    if (step < 0) {
      // Walking backwards (exporters reverse pad lists this way): pick the indices explicitly.
      const start = Math.min(Math.max(starts[i]! < 0 ? starts[i]! + size : starts[i]!, -1), size - 1);
      const end = Math.min(Math.max(ends[i]! < 0 ? ends[i]! + size : ends[i]!, -1), size - 1);
      const picks: number[] = [];
      for (let k = start; k > end; k += step) picks.push(k);
      x = ctx.emit1(INDEX_SELECT_OP.name, [x, ctx.literal("i64", [picks.length], picks, "index")], { dim: d });
      continue;
    }
    const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    const start = clampIdx(starts[i]!);
    const end = Math.max(clampIdx(ends[i]!), start);
    if (start === 0 && end === size && step === 1) continue;
    x = ctx.emit1(SLICE_OP.name, [x], { dim: d, start, end, step });
  }
  return [x];
};

/** Gather with a constant index: index_select on a rank-1 index, then a view for other index ranks. */
const gather: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "data");
  const idxV = ctx.need(n, 1, "indices");
  const axis = normAxis(n.int("axis", 0), x.rank);
  const idx = ctx.constData(idxV, "indices");
  const size = x.shape[axis]!;
  const flat = Array.from(idx.data, (i) => {
    const k = i < 0 ? i + size : i;
    if (k < 0 || k >= size) throw new ImportIssue(`index ${i} is out of range for axis ${axis} of ${fmt(x.shape)}`);
    return k;
  });
  const index = ctx.literal("i64", [flat.length], flat, "index");
  const picked = ctx.emit1(INDEX_SELECT_OP.name, [x, index], { dim: axis });
  const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  return [view(ctx, picked, shape)];
};

export const SLICING_CONVERTERS: Record<string, Converter> = { Concat: concat, Split: split, Slice: slice, Gather: gather };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const SLICING_EMITS: readonly OpDef[] = [CAT_OP, SPLIT_OP, INDEX_SELECT_OP, SLICE_OP, VIEW_COPY]; // view: Gather of a scalar index
