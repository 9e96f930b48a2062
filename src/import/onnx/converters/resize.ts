// Resize (opsets 10–21) and Upsample (opsets 7–9).
//
// Integer nearest up-scaling of H and W, where every ONNX coordinate mode that
// picks floor(dst·in/out) agrees with it, stays aten.upsample_nearest2d (the
// lowering keeps it on int8 and layout propagation passes through it). Every
// other nearest resize is separable: per resized axis an index table (the ONNX
// coordinate transformation, then the rounding mode, then a clamp) picked by
// aten.index_select. Linear is separable too: per axis the two neighbours are
// picked and mixed with constant weights, y = x[i0]·w0 + x[i1]·w1, which is the
// bilinear (or trilinear) interpolation ONNX defines. Coordinates are computed in
// single precision, as onnxruntime does, so ties round the same way.
import type { Value } from "../../../ir/graph.js";
import { fmt, normAxis, type ImportContext } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OnnxNode } from "../proto.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { ADD, MUL } from "../../../ops/elementwise/binary.js";
import { UPSAMPLE_NEAREST2D } from "../../../ops/resize/upsample.js";
import { INDEX_SELECT_OP } from "../../../ops/shape/slice.js";

const f = Math.fround;

type Coord = "half_pixel" | "half_pixel_symmetric" | "pytorch_half_pixel" | "align_corners" | "asymmetric" | "tf_half_pixel_for_nn";
/** "simple" is the rounding of Resize-10 and Upsample: floor when enlarging, ceil when shrinking. */
type Rounding = "round_prefer_floor" | "round_prefer_ceil" | "floor" | "ceil" | "simple";
const COORDS: readonly string[] = ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"];
const ROUNDINGS: readonly string[] = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];

interface Plan {
  mode: "nearest" | "linear";
  coord: Coord;
  rounding: Rounding;
  /** Output size per dim. */
  out: number[];
  /** The scale per dim the coordinates use: the given scale, or out/in when sizes were given. */
  scale: number[];
}

/** Source coordinate of output index o along one axis (single precision, as onnxruntime computes it). */
function sourceCoord(coord: Coord, o: number, scale: number, inSize: number, outSize: number): number {
  switch (coord) {
    case "half_pixel":
      return f(f(f(o + 0.5) / scale) - 0.5);
    case "half_pixel_symmetric": {
      const adjustment = f(outSize / f(scale * inSize));
      const center = f(inSize / 2);
      const offset = f(center * f(1 - adjustment));
      // offset + (o + 0.5)/scale − 0.5, added left to right as onnxruntime writes it.
      return f(f(offset + f(f(o + 0.5) / scale)) - 0.5);
    }
    case "pytorch_half_pixel":
      return outSize > 1 ? f(f(f(o + 0.5) / scale) - 0.5) : 0;
    case "align_corners":
      return outSize === 1 ? 0 : f(f(o * f(inSize - 1)) / f(outSize - 1));
    case "asymmetric":
      return f(o / scale);
    case "tf_half_pixel_for_nn":
      return f(f(o + 0.5) / scale);
  }
}

function nearestIndex(rounding: Rounding, x: number, inSize: number, enlarging: boolean): number {
  let i: number;
  switch (rounding) {
    case "round_prefer_floor":
      i = x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
      break;
    case "round_prefer_ceil":
      i = Math.round(x); // JavaScript rounds halves up: that is prefer-ceil
      break;
    case "floor":
      i = Math.floor(x);
      break;
    case "ceil":
      i = Math.ceil(x);
      break;
    case "simple":
      i = enlarging ? Math.trunc(x) : Math.ceil(x);
      break;
  }
  return Math.min(Math.max(i, 0), inSize - 1);
}

/** The two neighbours and their weights along one axis (onnxruntime's bilinear set-up). */
function linearTaps(x: number, inSize: number): { i0: number; i1: number; w0: number; w1: number } {
  const c = Math.max(0, Math.min(x, inSize - 1));
  const i0 = Math.min(Math.trunc(c), inSize - 1);
  const i1 = Math.min(i0 + 1, inSize - 1);
  if (i0 === i1) return { i0, i1, w0: 0.5, w1: 0.5 };
  // The weight of a neighbour is the distance to the other one.
  return { i0, i1, w0: f(Math.abs(f(c - i1))), w1: f(Math.abs(f(c - i0))) };
}

function pick(ctx: ImportContext, x: Value, dim: number, index: number[], suffix: string): Value {
  if (index.length === x.shape[dim] && index.every((v, i) => v === i)) return x;
  return ctx.emit1(INDEX_SELECT_OP.name, [x, ctx.literal("i64", [index.length], index, suffix)], { dim });
}

/** A constant weight vector laid along `dim` of a tensor of rank `rank`. */
function weights(ctx: ImportContext, w: number[], dim: number, rank: number, suffix: string): Value {
  const shape = Array.from({ length: rank }, (_, i) => (i === dim ? w.length : 1));
  return ctx.literal("f32", shape, w, suffix);
}

/** The integer nearest up-scaling that aten.upsample_nearest2d computes exactly (see the file comment). */
function isUpsampleNearest2d(x: Value, p: Plan): boolean {
  if (x.rank !== 4 || p.mode !== "nearest") return false;
  const floorLike = (p.coord === "asymmetric" && (p.rounding === "floor" || p.rounding === "simple"))
    || ((p.coord === "half_pixel" || p.coord === "pytorch_half_pixel") && (p.rounding === "round_prefer_floor" || p.rounding === "round_prefer_ceil"));
  if (!floorLike || p.out[0] !== x.shape[0] || p.out[1] !== x.shape[1]) return false;
  return [2, 3].every((i) => p.out[i]! >= x.shape[i]! && p.out[i]! % x.shape[i]! === 0 && p.scale[i] === p.out[i]! / x.shape[i]!);
}

function resizeWith(ctx: ImportContext, x: Value, p: Plan): Value {
  if (p.out.some((d) => d <= 0)) throw new ImportIssue(`resizing ${fmt(x.shape)} gives an empty output ${fmt(p.out)}`);
  if (isUpsampleNearest2d(x, p)) return ctx.emit1(UPSAMPLE_NEAREST2D.name, [x], { output_size: [p.out[2]!, p.out[3]!] });
  let y = x;
  for (let d = 0; d < x.rank; d++) {
    const inSize = x.shape[d]!;
    const outSize = p.out[d]!;
    if (outSize === inSize && p.scale[d] === 1) continue;
    const coords = Array.from({ length: outSize }, (_, o) => sourceCoord(p.coord, o, p.scale[d]!, inSize, outSize));
    if (p.mode === "nearest") {
      y = pick(ctx, y, d, coords.map((c) => nearestIndex(p.rounding, c, inSize, p.scale[d]! >= 1)), `index${d}`);
      continue;
    }
    const taps = coords.map((c) => linearTaps(c, inSize));
    const a = pick(ctx, y, d, taps.map((t) => t.i0), `lo${d}`);
    if (taps.every((t) => t.w1 === 0 || t.i0 === t.i1)) {
      // Every sample falls on a source pixel: the lower neighbour with weight 1.
      y = a;
      continue;
    }
    const b = pick(ctx, y, d, taps.map((t) => t.i1), `hi${d}`);
    const wa = ctx.emit1(MUL.name, [a, weights(ctx, taps.map((t) => t.w0), d, x.rank, `w_lo${d}`)]);
    const wb = ctx.emit1(MUL.name, [b, weights(ctx, taps.map((t) => t.w1), d, x.rank, `w_hi${d}`)]);
    y = ctx.emit1(ADD.name, [wa, wb]);
  }
  return y;
}

function readMode(n: OnnxNode): "nearest" | "linear" {
  const mode = n.str("mode", "nearest");
  if (mode === "nearest") return "nearest";
  if (mode === "linear" || mode === "bilinear" || mode === "trilinear") return "linear";
  throw new ImportIssue(`mode '${mode}' is not supported (nearest, linear)`);
}

/** Output sizes from per-dim scales: floor(in·scale) in single precision, as onnxruntime computes them. */
function sizesFromScales(x: Value, scales: number[]): number[] {
  if (scales.length !== x.rank) throw new ImportIssue(`${scales.length} scales for a rank-${x.rank} input ${fmt(x.shape)}`);
  if (scales.some((s) => !(s > 0))) throw new ImportIssue(`scales ${fmt(scales)} must be positive`);
  return x.shape.map((d, i) => Math.floor(f(f(scales[i]!) * d)));
}

/** Resize-11 and later: X, roi, scales, sizes; attributes choose the coordinate and rounding modes. */
const resize: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const mode = readMode(n);
  if (ctx.opset === 10) {
    // Resize-10 is Upsample-9 under another name: asymmetric coordinates, "simple" rounding.
    const scales = Array.from(ctx.constData(ctx.need(n, 1, "scales"), "scales").data);
    return [resizeWith(ctx, x, { mode, coord: "asymmetric", rounding: "simple", out: sizesFromScales(x, scales), scale: scales.map(f) })];
  }
  const coord = n.str("coordinate_transformation_mode", "half_pixel");
  if (coord === "tf_crop_and_resize") throw new ImportIssue("coordinate_transformation_mode 'tf_crop_and_resize' is not supported (it crops to a region of interest)");
  if (!COORDS.includes(coord)) throw new ImportIssue(`coordinate_transformation_mode '${coord}' is not supported`);
  const rounding = n.str("nearest_mode", "round_prefer_floor");
  if (!ROUNDINGS.includes(rounding)) throw new ImportIssue(`nearest_mode '${rounding}' is not supported`);
  const policy = n.str("keep_aspect_ratio_policy", "stretch");
  if (policy !== "stretch") throw new ImportIssue(`keep_aspect_ratio_policy '${policy}' is not supported (only stretch)`);
  const axes = (n.ints("axes") ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, x.rank));
  const scalesV = ctx.input(n, 2);
  const sizesV = ctx.input(n, 3);
  const sizes = sizesV ? ctx.constInts(sizesV, "sizes") : [];
  const scalesGiven = scalesV ? Array.from(ctx.constData(scalesV, "scales").data) : [];
  // scales/sizes name the listed axes only; the others keep their size.
  const spread = (vals: number[], fill: (i: number) => number): number[] => {
    if (vals.length !== axes.length) throw new ImportIssue(`${vals.length} scales/sizes for ${axes.length} axes of ${fmt(x.shape)}`);
    const full = x.shape.map((_, i) => fill(i));
    axes.forEach((a, k) => { full[a] = vals[k]!; });
    return full;
  };
  let out: number[];
  let scale: number[];
  if (sizes.length > 0) {
    out = spread(sizes, (i) => x.shape[i]!);
    scale = out.map((o, i) => f(o / x.shape[i]!));
  } else if (scalesGiven.length > 0) {
    scale = spread(scalesGiven, () => 1).map(f);
    out = sizesFromScales(x, scale);
  } else {
    throw new ImportIssue("neither scales nor sizes is given");
  }
  if (mode === "linear" && n.int("antialias", 0) !== 0 && scale.some((s) => s < 1)) {
    throw new ImportIssue("antialias when shrinking is not supported");
  }
  return [resizeWith(ctx, x, { mode, coord: coord as Coord, rounding: rounding as Rounding, out, scale })];
};

/** Upsample (opsets 7–9, deprecated in 10): scales as an attribute (7–8) or an input (9). */
const upsample: Converter = (ctx, n) => {
  const x = ctx.need(n, 0);
  const mode = readMode(n);
  const scales = ctx.opset >= 9 ? Array.from(ctx.constData(ctx.need(n, 1, "scales"), "scales").data) : n.floats("scales");
  if (!scales) throw new ImportIssue("missing scales");
  return [resizeWith(ctx, x, { mode, coord: "asymmetric", rounding: "simple", out: sizesFromScales(x, scales), scale: scales.map(f) })];
};

export const RESIZE_CONVERTERS: Record<string, Converter> = { Resize: resize, Upsample: upsample };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const RESIZE_EMITS: readonly OpDef[] = [UPSAMPLE_NEAREST2D, INDEX_SELECT_OP, MUL, ADD];
