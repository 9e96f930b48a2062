// The one definition of a data-movement op: for every output element, which
// input element it copies (or the fill value). An op spec states it once as
// a SourceMap (OpDef.moves); the float interpreter's eval, the simulator's
// planned copy runs and the C gathers are all derived from it, so a permute,
// slice, pad or upsample cannot mean one thing in TypeScript and another in C.
//
// The map is separable: an output is a union of boxes ("pieces"), each read
// from one input, and along every output dim of a piece the source index is
// identity, affine (start + i·step) or a table (-1: the fill value). Output
// dim k of a piece walks source dim srcDim[k] (a permutation for transposes).
// Only a reshape is not separable; it keeps the row-major flat order.
import { allocArray, type DType } from "./dtype.js";
import { IRError } from "./errors.js";
import { makeType, type Attrs, type Node, type TensorType } from "./graph.js";
import { getOp } from "./registry.js";
import { numel, stridesOf, type Tensor } from "./tensor.js";

/** Along one output dim: identity (null), affine, or an index table (-1 = fill). Tables are plain arrays (the C emitter writes them out). */
export type DimMap = null | { start: number; step: number } | readonly number[];

/** A box of the output copied from one input. */
export interface MovePiece {
  /** Input slot read. */
  input: number;
  /** Box origin in the output (logical index). */
  at: readonly number[];
  /** Box extent per output dim. */
  shape: readonly number[];
  /** For each output dim k, the source dim it walks. */
  srcDim: readonly number[];
  /** For each output dim k: box index i → source index along srcDim[k]. */
  maps: readonly DimMap[];
}

export type SourceMap =
  /** Pieces tile (part of) the output; elements no piece covers, and table entries -1, take `fill`. */
  | { kind: "gather"; pieces: readonly MovePiece[]; fill: number }
  /** Same row-major flat order, new shape (view_copy). */
  | { kind: "reshape"; input: number };

/** What a source map may depend on: input shapes, physical order (dialect ops whose attributes are physical), and constant data (gather indices). */
export interface MoveInput {
  readonly shape: readonly number[];
  readonly dimOrder?: readonly number[];
  readonly data?: ArrayLike<number> | null;
}

/** One piece covering the whole output: output dim k reads source dim srcDim[k] (identity when omitted) through maps[k]. */
export function wholePiece(shape: readonly number[], maps?: readonly DimMap[], srcDim?: readonly number[], input = 0): MovePiece {
  return {
    input,
    at: shape.map(() => 0),
    shape: [...shape],
    srcDim: srcDim ? [...srcDim] : shape.map((_, k) => k),
    maps: maps ? [...maps] : shape.map(() => null),
  };
}

/** A single-piece gather. */
export function gather(piece: MovePiece, fill = 0): SourceMap {
  return { kind: "gather", pieces: [piece], fill };
}

/** The index along the source dim for box index i (-1: fill). */
export function mapIndex(m: DimMap, i: number): number {
  if (m === null) return i;
  if ("start" in m) return m.start + i * m.step;
  return (m as readonly number[])[i]!;
}

/** Every index of a dim map over n box indices, as a table. */
export function mapTable(m: DimMap, n: number): Int32Array {
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = mapIndex(m, i);
  return t;
}

/** The map copies input 0 unchanged: one piece, same shape, no permutation, identity maps. */
export function isIdentityMove(map: SourceMap, outShape: readonly number[], inShape: readonly number[]): boolean {
  if (map.kind !== "gather" || map.pieces.length !== 1) return false;
  const p = map.pieces[0]!;
  if (p.input !== 0 || outShape.length !== inShape.length || outShape.some((d, k) => d !== inShape[k])) return false;
  return p.shape.every((n, k) => n === outShape[k] && p.at[k] === 0 && p.srcDim[k] === k && mapIsIdentity(p.maps[k]!, n));
}

function mapIsIdentity(m: DimMap, n: number): boolean {
  if (m === null) return true;
  for (let i = 0; i < n; i++) if (mapIndex(m, i) !== i) return false;
  return true;
}

/**
 * Writes the source logical index of output logical index `out` into `src`
 * and returns the input slot read, or -1 for the fill value.
 */
export type SourceOf = (out: Int32Array, src: Int32Array) => number;

/** Row-major flat index preserved: output logical index → flat → source logical index. */
export function reshapeSource(outShape: readonly number[], srcShape: readonly number[]): SourceOf {
  const r = srcShape.length;
  return (o, s) => {
    let flat = 0;
    for (let k = 0; k < outShape.length; k++) flat = flat * outShape[k]! + o[k]!;
    for (let k = r - 1; k >= 0; k--) {
      const d = srcShape[k]!;
      s[k] = flat % d;
      flat = (flat - s[k]!) / d;
    }
    return 0;
  };
}

/** The element-level form of a map (what the simulator's copy planner walks). */
export function elementSource(map: SourceMap, outShape: readonly number[], inShapes: readonly (readonly number[])[]): SourceOf {
  if (map.kind === "reshape") return reshapeSource(outShape, inShapes[map.input]!);
  const pieces = map.pieces.map((p) => ({ p, tables: p.maps.map((m, k) => mapTable(m, p.shape[k]!)) }));
  const r = outShape.length;
  return (o, s) => {
    for (const { p, tables } of pieces) {
      let inside = true;
      for (let k = 0; k < r; k++) {
        const i = o[k]! - p.at[k]!;
        if (i < 0 || i >= p.shape[k]!) {
          inside = false;
          break;
        }
      }
      if (!inside) continue;
      for (let k = 0; k < r; k++) {
        const j = tables[k]![o[k]! - p.at[k]!]!;
        if (j < 0) return -1;
        s[p.srcDim[k]!] = j;
      }
      return p.input;
    }
    return -1;
  };
}

/**
 * Run a map on logical row-major tensors (the float reference): every
 * output starts as the fill value, then each piece copies its box.
 */
export function applyMove(map: SourceMap, inputs: readonly (Tensor | null)[], outShape: readonly number[], dtype: DType): Tensor {
  const dst = allocArray(dtype, numel(outShape));
  if (map.kind === "reshape") {
    dst.set(inputs[map.input]!.data);
    return { dtype, shape: [...outShape], data: dst };
  }
  if (map.fill !== 0) dst.fill(map.fill);
  const os = stridesOf(outShape);
  const r = outShape.length;
  for (const p of map.pieces) {
    if (p.shape.some((n) => n === 0)) continue;
    const x = inputs[p.input]!;
    const xs = stridesOf(x.shape);
    // Per output dim, the source element offset of every box index (-1: fill).
    const offs = p.maps.map((m, k) => {
      const t = mapTable(m, p.shape[k]!);
      const st = xs[p.srcDim[k]!]!;
      for (let i = 0; i < t.length; i++) t[i] = t[i]! < 0 ? -1 : t[i]! * st;
      return t;
    });
    let dstBase = 0;
    for (let k = 0; k < r; k++) dstBase += p.at[k]! * os[k]!;
    if (r === 0) {
      dst[0] = x.data[0]!;
      continue;
    }
    const inner = offs[r - 1]!;
    const innerN = p.shape[r - 1]!;
    const idx = new Array<number>(r - 1).fill(0);
    const outer = numel(p.shape.slice(0, r - 1));
    for (let q = 0; q < outer; q++) {
      let src = 0;
      let d = dstBase;
      for (let k = 0; k < r - 1; k++) {
        const off = offs[k]![idx[k]!]!;
        if (off < 0) src = -1;
        else if (src >= 0) src += off;
        d += idx[k]! * os[k]!;
      }
      if (src >= 0) {
        for (let i = 0; i < innerN; i++) {
          const off = inner[i]!;
          if (off >= 0) dst[d + i] = x.data[src + off]!;
        }
      }
      for (let k = r - 2; k >= 0; k--) {
        if (++idx[k]! < p.shape[k]!) break;
        idx[k] = 0;
      }
    }
  }
  return { dtype, shape: [...outShape], data: dst };
}

/** What evalMoves needs of a spec. */
interface MoveSpec {
  name: string;
  infer(inputs: (TensorType | null)[], attrs: Attrs): TensorType[];
  moves?(inputs: readonly MoveInput[], attrs: Attrs): SourceMap[] | null;
}

/** The float eval of a data-movement spec: its shape rule gives the outputs, its map fills them. */
export function evalMoves(def: MoveSpec, inputs: readonly (Tensor | null)[], attrs: Attrs): Tensor[] {
  const types = def.infer(inputs.map((t) => (t ? makeType(t.dtype, t.shape) : null)), attrs);
  const maps = def.moves?.(inputs.map((t) => (t ? { shape: t.shape, data: t.data } : { shape: [] })), attrs);
  if (!maps) throw new IRError(`${def.name}: no source map for these inputs`);
  return maps.map((m, i) => applyMove(m, inputs, types[i]!.shape, types[i]!.dtype));
}

/** The source maps of a data-movement node (null: they need run-time values). Throws when the op has none. */
export function movesOf(node: Node): SourceMap[] | null {
  const def = getOp(node.op);
  if (!def.moves) throw new IRError(`op ${node.op} (node ${node.name}) has no source map`);
  return def.moves(node.inputs.map((v) => (v ? { shape: v.shape, dimOrder: v.type.dimOrder, data: v.data } : { shape: [] })), node.attrs);
}
