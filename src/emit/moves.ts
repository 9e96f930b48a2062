// Data movement in generated C: every relayout, permute, slice, cat, split,
// gather, pad and nearest upsampling is one or more separable strided gathers
// (clg_gather_nd): iterate the destination block, read the source through a
// per-dim stride and optional index table. Dims are simplified at compile time
// (size-1 dims dropped, affine tables folded into strides, contiguous dims
// merged), so a plain copy becomes one memcpy (clg_copy_s8 for int8), and an int8 copy of up to three
// dims without tables (the layout copies) the tight clg_copy3d_s8 loop.
import { bytesPerElement } from "../ir/dtype.js";
import type { TensorType, Value } from "../ir/graph.js";
import { numel, stridesOf } from "../ir/tensor.js";
import { physicalStrides, rowMajor, samePlacement, storedLayout, storesRowMajor } from "../ir/layout.js";
import type { DimMap } from "../ir/source_map.js";
import { hexFloat } from "./cfmt.js";
import { cTypeOf, tempFor, type EmitContext } from "./context.js";

export interface Gather {
  /** Iteration shape (the destination block, in destination logical dims). */
  shape: number[];
  dst: string;
  dstOffset: number;
  dstStrides: number[];
  src: string;
  srcOffset: number;
  /** Source element stride of each iteration dim (already permuted). */
  srcStrides: number[];
  maps: DimMap[];
}

interface Dim { n: number; ds: number; ss: number; map: readonly number[] | null }

/**
 * Split a table into pieces: long affine runs (or runs of fill) become their own
 * gathers (strided, no table), short irregular stretches keep a small table.
 * A reflect pad of 64 on 576 samples is then one memcpy plus a 64-entry table.
 */
function tableSegments(m: readonly number[]): { start: number; len: number }[] {
  const runs: { start: number; len: number }[] = [];
  let i = 0;
  while (i < m.length) {
    let j = i + 1;
    if (j < m.length) {
      const fillRun = m[i]! < 0;
      const step = m[j]! - m[i]!;
      while (j < m.length && (fillRun ? m[j]! < 0 : m[j]! >= 0 && m[j]! - m[j - 1]! === step)) j++;
    }
    runs.push({ start: i, len: j - i });
    i = j;
  }
  const MIN_RUN = 8;
  const out: { start: number; len: number }[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && (r.len < MIN_RUN || last.len < MIN_RUN) && !(r.len >= MIN_RUN && last.len >= MIN_RUN)) {
      // Glue short runs to a neighbouring short stretch (keeps long runs separate).
      if (r.len < MIN_RUN && last.len < MIN_RUN) {
        last.len += r.len;
        continue;
      }
    }
    out.push({ ...r });
  }
  return out;
}

function splitByTables(g: Gather): Gather[] {
  for (let k = 0; k < g.shape.length; k++) {
    const m = g.maps[k];
    if (!m || "start" in m || m.length < 16) continue;
    const segs = tableSegments(m);
    if (segs.length === 1 || segs.length > 8) continue;
    return segs.flatMap((sg) => splitByTables({
      ...g,
      shape: g.shape.map((n, d) => (d === k ? sg.len : n)),
      dstOffset: g.dstOffset + sg.start * g.dstStrides[k]!,
      maps: g.maps.map((mm, d) => (d === k ? m.slice(sg.start, sg.start + sg.len) : mm)),
    }));
  }
  return [g];
}

/** Simplify and emit a gather (split where index tables have long regular runs). */
export function emitGather(ctx: EmitContext, g: Gather, dtype: TensorType["dtype"], fill = 0): void {
  for (const part of splitByTables(g)) emitOneGather(ctx, part, dtype, fill);
}

function emitOneGather(ctx: EmitContext, g: Gather, dtype: TensorType["dtype"], fill: number): void {
  let srcOffset = g.srcOffset;
  let dims: Dim[] = [];
  for (let k = 0; k < g.shape.length; k++) {
    const n = g.shape[k]!;
    if (n === 0) return;
    let ss = g.srcStrides[k]!;
    let map: readonly number[] | null = null;
    const m = g.maps[k] ?? null;
    if (m !== null && !("start" in m)) {
      // A table that is affine folds into the stride.
      const step = m.length > 1 ? m[1]! - m[0]! : 0;
      if (m.every((x) => x < 0)) {
        emitFill(ctx, g, dtype, fill);
        return;
      }
      if (m.every((x, i) => x >= 0 && x === m[0]! + i * step)) {
        srcOffset += m[0]! * ss;
        ss *= step;
      } else {
        map = m;
      }
    } else if (m !== null) {
      srcOffset += m.start * ss;
      ss *= m.step;
    }
    if (n === 1 && map === null) continue;
    if (n === 1 && map !== null) {
      if (map[0]! < 0) {
        // The whole block is fill.
        dims = [];
        emitFill(ctx, g, dtype, fill);
        return;
      }
      srcOffset += map[0]! * ss;
      continue;
    }
    dims.push({ n, ds: g.dstStrides[k]!, ss, map });
  }
  // Walk the destination in memory order; merge dims contiguous on both sides.
  dims.sort((a, b) => b.ds - a.ds);
  const merged: Dim[] = [];
  for (const d of dims) {
    const last = merged[merged.length - 1];
    if (last && !last.map && !d.map && last.ds === d.ds * d.n && last.ss === d.ss * d.n) {
      merged[merged.length - 1] = { n: last.n * d.n, ds: d.ds, ss: d.ss, map: null };
    } else {
      merged.push(d);
    }
  }
  const ct = cTypeOf(dtype);
  const size = bytesPerElement(dtype);
  const dst = `(${g.dst} + ${g.dstOffset})`;
  const src = `(${g.src} + ${srcOffset})`;
  if (merged.length === 0) {
    ctx.line(`${dst}[0] = ${src}[0];`);
    return;
  }
  if (merged.length === 1 && !merged[0]!.map && merged[0]!.ds === 1 && merged[0]!.ss === 1) {
    if (dtype === "i8") {
      // memcpy on most cores; MVE vector loads/stores on the M55 (under half of newlib's instructions there).
      ctx.useSupport("support");
      ctx.line(`clg_copy_s8(${dst}, ${src}, ${merged[0]!.n});`);
    } else {
      ctx.line(`memcpy(${dst}, ${src}, ${merged[0]!.n * size}u);`);
    }
    return;
  }
  if (dtype === "i8" && merged.length <= 3 && merged.every((d) => !d.map)) {
    emitCopy3d(ctx, dst, src, merged);
    return;
  }
  ctx.useSupport("support");
  const shape = ctx.constArray("int32_t", "shape", merged.map((d) => d.n));
  const ds = ctx.constArray("int32_t", "dst_strides", merged.map((d) => d.ds));
  const ss = ctx.constArray("int32_t", "src_strides", merged.map((d) => d.ss));
  let maps = "NULL";
  if (merged.some((d) => d.map)) {
    const names = merged.map((d) => (d.map ? ctx.constArray("int32_t", "map", d.map) : "NULL"));
    maps = ctx.constArray("int32_t *const", "maps", names);
  }
  const fills = merged.some((d) => d.map && d.map.some((x) => x < 0));
  const fillName = fills ? ctx.constArray(ct, "fill", [dtype === "f32" ? hexFloat(fill) : String(fill)]) : "NULL";
  ctx.line(`clg_gather_nd(${dst}, ${src}, ${size}, ${merged.length}, ${shape}, ${ds}, ${ss}, ${maps}, ${fillName});`);
}

/**
 * An int8 block copy without tables (layout copies, permutes, slices): the
 * tight clg_copy3d_s8 loop instead of the generic gather. Its innermost run
 * is the destination's contiguous dim unless that one is short (e.g. the 3
 * channels of an image going NHWC) and the next is longer: then the run
 * walks the longer dim and writes with a stride.
 */
function emitCopy3d(ctx: EmitContext, dst: string, src: string, merged: Dim[]): void {
  const dims = [...merged];
  const r = dims.length;
  if (r >= 2 && dims[r - 1]!.n < 8 && dims[r - 2]!.n > dims[r - 1]!.n) [dims[r - 2], dims[r - 1]] = [dims[r - 1]!, dims[r - 2]!];
  while (dims.length < 3) dims.unshift({ n: 1, ds: 0, ss: 0, map: null });
  ctx.useSupport("support");
  const [a, b, c] = dims as [Dim, Dim, Dim];
  ctx.line(`clg_copy3d_s8(${dst}, ${src}, ${a.n}, ${b.n}, ${c.n}, ${a.ds}, ${b.ds}, ${c.ds}, ${a.ss}, ${b.ss}, ${c.ss});`);
}

function emitFill(ctx: EmitContext, g: Gather, dtype: TensorType["dtype"], fill: number): void {
  // A block entirely in the padding: a gather whose innermost table is all fill.
  const r = g.shape.length;
  const ct = cTypeOf(dtype);
  ctx.useSupport("support");
  const shape = ctx.constArray("int32_t", "shape", g.shape.length ? g.shape : [1]);
  const ds = ctx.constArray("int32_t", "dst_strides", r ? g.dstStrides : [1]);
  const zeros = ctx.constArray("int32_t", "src_strides", new Array<number>(Math.max(1, r)).fill(0));
  const table = ctx.constArray("int32_t", "map", new Array<number>(r ? g.shape[r - 1]! : 1).fill(-1));
  const maps = ctx.constArray("int32_t *const", "maps", [...new Array<string>(Math.max(0, r - 1)).fill("NULL"), table]);
  const fillName = ctx.constArray(ct, "fill", [dtype === "f32" ? hexFloat(fill) : String(fill)]);
  ctx.line(`clg_gather_nd((${g.dst} + ${g.dstOffset}), ${g.dst}, ${bytesPerElement(dtype)}, ${Math.max(1, r)}, ${shape}, ${ds}, ${zeros}, ${maps}, ${fillName});`);
}

/** Copy `from` into `to` (same logical tensor, possibly different layouts / storage). */
export function emitRelayout(ctx: EmitContext, from: { ptr: string; type: TensorType }, to: { ptr: string; type: TensorType }): void {
  emitGather(ctx, {
    shape: [...to.type.shape],
    dst: to.ptr, dstOffset: 0, dstStrides: physicalStrides(to.type),
    src: from.ptr, srcOffset: 0, srcStrides: physicalStrides(from.type),
    maps: to.type.shape.map(() => null),
  }, to.type.dtype);
}

/**
 * A pointer to v's bytes in layout `want`: v's own storage when the layouts
 * place every element alike, else a static temporary filled here.
 */
export function inLayout(ctx: EmitContext, v: Value, want: TensorType, base: string): string {
  const have = storedLayout(v);
  const p = ctx.ptr(v);
  const w = { ...want, dtype: v.dtype };
  if (samePlacement(have, w)) return p;
  const tmp = tempFor(ctx, w, `${base}_in`);
  emitRelayout(ctx, { ptr: p, type: have }, { ptr: tmp, type: w });
  return tmp;
}

/**
 * Where a kernel producing layout `have` writes y: y's storage when the layouts
 * agree, else a temporary; call `finish()` after the kernel to move it into place.
 */
export function outLayout(ctx: EmitContext, y: Value, have: TensorType, base: string): { ptr: string; finish: () => void } {
  const p = ctx.ptr(y);
  const h = { ...have, dtype: y.dtype };
  if (samePlacement(h, y.type)) return { ptr: p, finish: () => undefined };
  const tmp = tempFor(ctx, h, `${base}_out`);
  return { ptr: tmp, finish: () => emitRelayout(ctx, { ptr: tmp, type: h }, { ptr: p, type: y.type }) };
}

/** Reshape copy (view_copy that the planner did not alias): row-major flat order is kept. */
export function emitReshape(ctx: EmitContext, x: Value, y: Value, base: string): void {
  const xt = storedLayout(x);
  const xp = ctx.ptr(x);
  const yp = ctx.ptr(y);
  if (storesRowMajor(xt)) {
    // Source bytes are the flat order: read them with y's row-major strides.
    emitGather(ctx, {
      shape: [...y.shape], dst: yp, dstOffset: 0, dstStrides: physicalStrides(y.type),
      src: xp, srcOffset: 0, srcStrides: stridesOf(y.shape), maps: y.shape.map(() => null),
    }, y.dtype);
    return;
  }
  if (storesRowMajor(y.type)) {
    emitGather(ctx, {
      shape: [...x.shape], dst: yp, dstOffset: 0, dstStrides: stridesOf(x.shape),
      src: xp, srcOffset: 0, srcStrides: physicalStrides(xt), maps: x.shape.map(() => null),
    }, y.dtype);
    return;
  }
  const tmp = tempFor(ctx, rowMajor(x.type), `${base}_flat`);
  emitRelayout(ctx, { ptr: xp, type: xt }, { ptr: tmp, type: rowMajor(x.type) });
  emitGather(ctx, {
    shape: [...y.shape], dst: yp, dstOffset: 0, dstStrides: physicalStrides(y.type),
    src: tmp, srcOffset: 0, srcStrides: stridesOf(y.shape), maps: y.shape.map(() => null),
  }, y.dtype);
}

