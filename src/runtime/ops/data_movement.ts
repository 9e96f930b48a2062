// Data-movement catalog ops on int8 (or any) values: permute, slice, cat,
// split, index_select, pad, upsample_nearest2d, and cortex_m.pad /
// cortex_m.transpose. Each is a logical index map; the planned move honours
// every input's and output's dim_order (the clean-up keeps some of them
// channels-last). What the map cannot express runs through the float fallback.
import type { Node } from "../../ir/graph.js";
import { padS8, padS8Ref, type Dims } from "../../kernels/index.js";
import type { PrepareContext, PrepareFn, Step } from "../context.js";
import { prepareFloatFallback } from "./float_fallback.js";
import { numAttr, numsAttr } from "./common.js";
import { moveStep } from "./layout.js";

function preparePermute(node: Node, ctx: PrepareContext, key: string): Step | null {
  const dims = numsAttr(node, key, ctx);
  return moveStep(ctx, node.output, [node.input(0)], (o, s) => {
    for (let k = 0; k < dims.length; k++) s[dims[k]!] = o[k]!;
    return 0;
  });
}

function prepareSlice(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const dim = numAttr(node, "dim", ctx);
  const start = Math.min(Math.max((node.attrs.start as number | undefined) ?? 0, 0), x.shape[dim]!);
  const step = (node.attrs.step as number | undefined) ?? 1;
  return moveStep(ctx, node.output, [x], (o, s) => {
    s.set(o);
    s[dim] = start + o[dim]! * step;
    return 0;
  });
}

function prepareCat(node: Node, ctx: PrepareContext): Step | null {
  const dim = numAttr(node, "dim", ctx);
  const ins = node.inputs.filter((v) => v !== null).map((v) => v!);
  const y = node.output;
  // For every index along `dim`: which input and where in it.
  const which = new Int32Array(y.shape[dim]!);
  const local = new Int32Array(y.shape[dim]!);
  let at = 0;
  ins.forEach((v, j) => {
    for (let i = 0; i < v.shape[dim]!; i++, at++) {
      which[at] = j;
      local[at] = i;
    }
  });
  if (at !== y.shape[dim]) ctx.fail(node, `inputs add up to ${at} along dim ${dim}, output has ${y.shape[dim]}`);
  return moveStep(ctx, y, ins, (o, s) => {
    s.set(o);
    const k = o[dim]!;
    s[dim] = local[k]!;
    return which[k]!;
  });
}

function prepareSplit(node: Node, ctx: PrepareContext): Step | null {
  const dim = numAttr(node, "dim", ctx);
  const x = node.input(0);
  const steps: Step[] = [];
  let offset = 0;
  for (const y of node.outputs) {
    const off = offset;
    const st = moveStep(ctx, y, [x], (o, s) => {
      s.set(o);
      s[dim] = o[dim]! + off;
      return 0;
    });
    if (st) steps.push(st);
    offset += y.shape[dim]!;
  }
  return () => {
    for (const s of steps) s();
  };
}

function prepareIndexSelect(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const index = node.input(1);
  if (!index.data) return prepareFloatFallback(node, ctx); // indices known only at run time
  const dim = numAttr(node, "dim", ctx);
  const size = x.shape[dim]!;
  const idx = Int32Array.from(index.data as ArrayLike<number>, (j) => (j < 0 ? j + size : j));
  if (idx.some((j) => j < 0 || j >= size)) ctx.fail(node, `an index is out of range for size ${size}`);
  return moveStep(ctx, node.output, [x], (o, s) => {
    s.set(o);
    s[dim] = idx[o[dim]!]!;
    return 0;
  });
}

/** Where an out-of-range index i of a length-n dim reads from, per pad mode (-1: the fill value). */
const BORDER: Record<string, (i: number, n: number) => number> = {
  constant: () => -1,
  reflect: (i, n) => (i < 0 ? -i : 2 * (n - 1) - i), // the shape rule keeps pads below n
};

function preparePad(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const pads = numsAttr(node, "pads", ctx);
  const r = x.rank;
  const mode = (node.attrs.mode as string | undefined) ?? "constant";
  if (!(mode in BORDER) || pads.length !== 2 * r) return prepareFloatFallback(node, ctx);
  const begin = pads.slice(0, r);
  const shape = x.shape;
  const border = BORDER[mode]!;
  return moveStep(ctx, node.output, [x], (o, s) => {
    for (let d = 0; d < r; d++) {
      let i = o[d]! - begin[d]!;
      if (i < 0 || i >= shape[d]!) {
        i = border(i, shape[d]!);
        if (i < 0) return -1;
      }
      s[d] = i;
    }
    return 0;
  }, (node.attrs.value as number | undefined) ?? 0);
}

function prepareUpsample(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const y = node.output;
  if (x.rank !== 4) ctx.fail(node, `expects a 4-D input, got [${x.shape}]`);
  const [, , h, w] = x.shape as [number, number, number, number];
  const [, , oh, ow] = y.shape as [number, number, number, number];
  // ONNX Resize nearest, asymmetric coordinates, floor: src = floor(dst·in/out).
  const srcH = Int32Array.from({ length: oh }, (_, o) => Math.min(h - 1, Math.floor((o * h) / oh)));
  const srcW = Int32Array.from({ length: ow }, (_, o) => Math.min(w - 1, Math.floor((o * w) / ow)));
  return moveStep(ctx, y, [x], (o, s) => {
    s[0] = o[0]!;
    s[1] = o[1]!;
    s[2] = srcH[o[2]!]!;
    s[3] = srcW[o[3]!]!;
    return 0;
  });
}

/** cortex_m.pad: arm_pad_s8 over the physical dims (pre/post pads are in dim_order order). */
function prepareCortexPad(node: Node, ctx: PrepareContext): Step | null {
  const x = node.input(0);
  const y = node.output;
  const pre = numsAttr(node, "pre_pad", ctx);
  const post = numsAttr(node, "post_pad", ctx);
  const value = numAttr(node, "pad_value", ctx);
  if (x.rank !== 4 || pre.length !== 4 || post.length !== 4) ctx.fail(node, `expects a 4-D input and 4 pads per side`);
  const phys = x.type.dimOrder.map((d) => x.shape[d]!);
  const dims = (a: readonly number[]): Dims => ({ n: a[0]!, h: a[1]!, w: a[2]!, c: a[3]! });
  const input = ctx.i8(x);
  const output = ctx.i8(y);
  const kernel = ctx.reference ? padS8Ref : padS8;
  return () => {
    kernel(input, output, value, dims(phys), dims(pre), dims(post));
  };
}

export const dataMovementOps: Record<string, PrepareFn> = {
  "aten.permute_copy": (n, ctx) => preparePermute(n, ctx, "dims"),
  "cortex_m.transpose": (n, ctx) => preparePermute(n, ctx, "perm"),
  "aten.slice_copy": prepareSlice,
  "aten.cat": prepareCat,
  "aten.split_with_sizes_copy": prepareSplit,
  "aten.index_select": prepareIndexSelect,
  "aten.pad": preparePad,
  "aten.upsample_nearest2d": prepareUpsample,
  "cortex_m.pad": prepareCortexPad,
};
