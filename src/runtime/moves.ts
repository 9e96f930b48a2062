// Data movement between arena buffers, planned once and replayed every run.
// A move plan lists, in destination memory order, runs of consecutive
// elements copied from consecutive source positions, and runs filled with a
// constant. It is built from a logical index map (for every output element,
// the logical index of its source element, or "fill": the element-level form
// of an op's source map, ir/source_map.ts) and each side's dim_order, so one
// engine serves permutes, slices, cats, splits, pads, gathers and reshapes
// on any dtype. planRelayout is the strided-loop form for a pure reorder.
import type { TypedArray } from "../ir/dtype.js";
import type { TensorType } from "../ir/graph.js";
import { physicalStrides } from "../ir/layout.js";
import type { SourceOf } from "../ir/source_map.js";
import { numel } from "../ir/tensor.js";

export interface MovePlan {
  /** Triples (dst, src, len) per source number. */
  runs: Int32Array[];
  /** Pairs (dst, len) of filled runs. */
  fills: Int32Array;
  /** Total elements written. */
  count: number;
}

class IntList {
  data = new Int32Array(64);
  length = 0;
  push3(a: number, b: number, c: number): void {
    if (this.length + 3 > this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
    this.data[this.length++] = c;
  }
  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Plan a move into a tensor of type `out` from `sources` (their types give
 * the physical strides), with the logical index map `sourceOf`. Output
 * elements are visited in physical order, so runs merge whenever the source
 * positions are consecutive too.
 */
export function planMoves(out: TensorType, sources: readonly TensorType[], sourceOf: SourceOf): MovePlan {
  const rank = out.shape.length;
  const total = numel(out.shape);
  const srcStrides = sources.map((s) => physicalStrides(s));
  const runs = sources.map(() => new IntList());
  const fills = new IntList();
  const idx = new Int32Array(rank);
  const sidx = new Int32Array(Math.max(1, ...sources.map((s) => s.shape.length)));
  const order = out.dimOrder;
  // Current open run: source number (-1 fill, -2 none), dst start, src start, length.
  let curSrc = -2;
  let curDst = 0;
  let curPos = 0;
  let curLen = 0;
  const close = (): void => {
    if (curSrc === -1) fills.push3(curDst, curLen, 0);
    else if (curSrc >= 0) runs[curSrc]!.push3(curDst, curPos, curLen);
  };
  for (let p = 0; p < total; p++) {
    const s = sourceOf(idx, sidx);
    let pos = 0;
    if (s >= 0) {
      const st = srcStrides[s]!;
      for (let k = 0; k < st.length; k++) pos += sidx[k]! * st[k]!;
    }
    if (s === curSrc && (s === -1 || pos === curPos + curLen)) {
      curLen++;
    } else {
      close();
      curSrc = s;
      curDst = p;
      curPos = pos;
      curLen = 1;
    }
    // Next output index in physical order (odometer over dim_order, innermost last).
    for (let k = rank - 1; k >= 0; k--) {
      const d = order[k]!;
      if (++idx[d]! < out.shape[d]!) break;
      idx[d] = 0;
    }
  }
  close();
  const f = fills.finish();
  // fills were pushed as triples (dst, len, 0); keep pairs.
  const pairs = new Int32Array((f.length / 3) * 2);
  for (let i = 0, j = 0; i < f.length; i += 3, j += 2) {
    pairs[j] = f[i]!;
    pairs[j + 1] = f[i + 1]!;
  }
  return { runs: runs.map((r) => r.finish()), fills: pairs, count: total };
}

/** Replay the runs of one source. */
export function copyRuns(src: TypedArray, dst: TypedArray, runs: Int32Array): void {
  for (let i = 0; i < runs.length; i += 3) {
    const d = runs[i]!;
    const s = runs[i + 1]!;
    const n = runs[i + 2]!;
    if (n === 1) {
      dst[d] = src[s]!;
    } else if (n < 32) {
      for (let k = 0; k < n; k++) dst[d + k] = src[s + k]!;
    } else {
      (dst as Int8Array).set((src as Int8Array).subarray(s, s + n), d);
    }
  }
}

export function fillRuns(dst: TypedArray, fills: Int32Array, value: number): void {
  for (let i = 0; i < fills.length; i += 2) dst.fill(value, fills[i]!, fills[i]! + fills[i + 1]!);
}

/** Copies a tensor between two buffers. */
export type Relayout = (src: TypedArray, dst: TypedArray) => void;

/**
 * A physical reorder from layout `from` to layout `to` of the same logical
 * tensor, as strided loops: destination dims in memory order, size-1 dims
 * dropped and dims that stay adjacent in both layouts merged, so NCHW↔NHWC
 * becomes a 3-level loop and an identical layout a single block copy.
 */
export function planRelayout(to: TensorType, from: TensorType): Relayout {
  const ds = physicalStrides(to);
  const ss = physicalStrides(from);
  // Dims by destination stride, outermost first.
  const dims = to.dimOrder.filter((d) => to.shape[d]! > 1);
  const size: number[] = [];
  const sst: number[] = [];
  const dst: number[] = [];
  for (const d of dims) {
    const k = size.length - 1;
    if (k >= 0 && sst[k] === ss[d]! * to.shape[d]! && dst[k] === ds[d]! * to.shape[d]!) {
      size[k] = size[k]! * to.shape[d]!;
      sst[k] = ss[d]!;
      dst[k] = ds[d]!;
    } else {
      size.push(to.shape[d]!);
      sst.push(ss[d]!);
      dst.push(ds[d]!);
    }
  }
  const total = numel(to.shape);
  if (size.length <= 1 && (sst[0] ?? 1) === 1) {
    return (src, out) => (out as Int8Array).set((src as Int8Array).subarray(0, total));
  }
  const r = size.length;
  const inner = size[r - 1]!;
  const innerStride = sst[r - 1]!;
  if (r === 2) {
    const [n0] = size as [number];
    const s0 = sst[0]!;
    return (src, out) => {
      let o = 0;
      for (let a = 0; a < n0; a++) {
        let p = a * s0;
        for (let k = 0; k < inner; k++, p += innerStride) out[o++] = src[p]!;
      }
    };
  }
  if (r === 3) {
    const [n0, n1] = size as [number, number];
    const [s0, s1] = sst as [number, number];
    return (src, out) => {
      let o = 0;
      for (let a = 0; a < n0; a++) {
        for (let b = 0; b < n1; b++) {
          let p = a * s0 + b * s1;
          for (let k = 0; k < inner; k++, p += innerStride) out[o++] = src[p]!;
        }
      }
    };
  }
  // General rank: odometer over the outer dims.
  const outerSize = size.slice(0, -1);
  const outerStride = sst.slice(0, -1);
  const idx = new Int32Array(r - 1);
  return (src, out) => {
    idx.fill(0);
    let base = 0;
    for (let o = 0; o < total; ) {
      let p = base;
      for (let k = 0; k < inner; k++, p += innerStride) out[o++] = src[p]!;
      for (let k = r - 2; k >= 0; k--) {
        base += outerStride[k]!;
        if (++idx[k]! < outerSize[k]!) break;
        base -= outerStride[k]! * outerSize[k]!;
        idx[k] = 0;
      }
    }
  };
}
