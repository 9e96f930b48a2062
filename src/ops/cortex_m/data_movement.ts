// Data movement of the cortex_m dialect: cortex_m.pad (arm_pad_s8) and
// cortex_m.transpose. Each spec holds its shape rule, its source map (what
// the op means, element by element) and a decode of the lowered attributes
// into the typed record both back ends consume.
import { IRError } from "../../ir/errors.js";
import { makeType, type Attrs, type Node } from "../../ir/graph.js";
import { defineOp, type OpDef } from "../../ir/registry.js";
import { gather, wholePiece, type MoveInput, type SourceMap } from "../../ir/source_map.js";
import { permuteMap } from "../shape/permute.js";
import { fail } from "./decode.js";
import { need, num, nums } from "./shapes.js";

/** Four extents in physical order, as a cmsis_nn_dims. */
export interface NhwcDims { n: number; h: number; w: number; c: number }

/** cortex_m.pad, decoded: arm_pad_s8's arguments. */
export interface PadParams {
  /** The input's extents in its physical (dim_order) order. */
  input: NhwcDims;
  /** Elements added before / after along each physical dim. */
  pre: NhwcDims;
  post: NhwcDims;
  /** The int8 written into the border. */
  value: number;
}

/** cortex_m.transpose, decoded. */
export interface TransposeParams {
  /** Output dim j reads input dim perm[j] (logical dims; the output is contiguous). */
  perm: number[];
}

const nhwc = (a: readonly number[]): NhwcDims => ({ n: a[0]!, h: a[1]!, w: a[2]!, c: a[3]! });

/** Run a check shared by the source map and decode; decode's failures name the node. */
function named<T>(node: Node, f: () => T): T {
  try {
    return f();
  } catch (e) {
    return fail(node, (e as Error).message);
  }
}

function padAttrs(x: MoveInput, a: Attrs): { order: readonly number[]; pre: number[]; post: number[]; value: number } {
  const pre = nums(a.pre_pad, "pre_pad");
  const post = nums(a.post_pad, "post_pad");
  const order = x.dimOrder ?? x.shape.map((_, i) => i);
  if (x.shape.length !== 4 || pre.length !== 4 || post.length !== 4) throw new IRError("cortex_m.pad expects a 4-D input and 4 pads per side");
  if ([...pre, ...post].some((p) => !Number.isInteger(p) || p < 0)) throw new IRError(`cortex_m.pad pads must be non-negative integers, got [${pre}] and [${post}]`);
  const value = num(a.pad_value, "pad_value");
  if (!Number.isInteger(value) || value < -128 || value > 127) throw new IRError(`cortex_m.pad pad_value ${value} is not an int8`);
  return { order, pre, post, value };
}

/** pre_pad / post_pad are in physical (dim_order) order, as arm_pad_s8 takes them. */
export const CORTEX_M_PAD: OpDef<PadParams> = defineOp<PadParams>({
  name: "cortex_m.pad",
  dataMovement: true,
  traits: { layout: true },
  infer: ([x], a) => {
    const t = need(x, "x");
    const pre = nums(a.pre_pad, "pre_pad");
    const post = nums(a.post_pad, "post_pad");
    const shape = [...t.shape];
    t.dimOrder.forEach((logical, phys) => {
      shape[logical] = shape[logical]! + pre[phys]! + post[phys]!;
    });
    return [makeType(t.dtype, shape, t.dimOrder)];
  },
  /** Logical dim d = dimOrder[p] gets pre[p] fill entries, the input, then post[p]. */
  moves([x], a): SourceMap[] {
    const { order, pre, post, value } = padAttrs(x!, a);
    const before = new Array<number>(4);
    const after = new Array<number>(4);
    order.forEach((d, p) => {
      before[d] = pre[p]!;
      after[d] = post[p]!;
    });
    const maps = x!.shape.map((n, d) => Array.from({ length: before[d]! + n + after[d]! }, (_, o) => {
      const i = o - before[d]!;
      return i >= 0 && i < n ? i : -1;
    }));
    return [gather(wholePiece(maps.map((m) => m.length), maps), value)];
  },
  decode(node: Node): PadParams {
    const x = node.input(0);
    const { order, pre, post, value } = named(node, () => padAttrs({ shape: x.shape, dimOrder: x.type.dimOrder }, node.attrs));
    return { input: nhwc(order.map((d) => x.shape[d]!)), pre: nhwc(pre), post: nhwc(post), value };
  },
});

function transposePerm(x: MoveInput, a: Attrs): number[] {
  const perm = nums(a.perm, "perm");
  const sorted = [...perm].sort((p, q) => p - q);
  if (perm.length !== x.shape.length || sorted.some((d, i) => d !== i)) throw new IRError(`cortex_m.transpose perm [${perm}] is not a permutation of rank ${x.shape.length}`);
  return perm;
}

/** perm is logical; output is contiguous in the permuted logical order. */
export const CORTEX_M_TRANSPOSE: OpDef<TransposeParams> = defineOp<TransposeParams>({
  name: "cortex_m.transpose",
  dataMovement: true,
  traits: { layout: true },
  infer: ([x], a) => {
    const t = need(x, "x");
    const perm = nums(a.perm, "perm");
    return [makeType(t.dtype, perm.map((p) => t.shape[p]!))];
  },
  moves: ([x], a) => [permuteMap(x!.shape, transposePerm(x!, a))],
  decode: (node: Node): TransposeParams => ({ perm: named(node, () => transposePerm(node.input(0), node.attrs)) }),
});
