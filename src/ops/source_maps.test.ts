// Every data-movement op's source map, checked three ways against
// hand-worked expectations (never against another derivation of the same
// map): the float eval on logical tensors, the simulator's planned copy runs
// with row-major and channels-last layouts on either side, and for
// cortex_m.pad the arm_pad_s8 kernel. The importer tests
// (src/import/onnx/converters/{shape,conv}.test.ts) compare the same evals
// with onnxruntime for Transpose, Slice, Concat, Split, Gather, Pad and Resize.
import "./index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, makeType, type Attrs, type TensorType } from "../ir/graph.js";
import { allOpDefs, getOp } from "../ir/registry.js";
import { elementSource, type MoveInput } from "../ir/source_map.js";
import { numel } from "../ir/tensor.js";
import { padS8 } from "../kernels/index.js";
import { copyRuns, fillRuns, planMoves } from "../runtime/moves.js";
import { run, t } from "../../test/support/op_run.js";

const iota = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);

/** Physical bytes of a logical row-major array stored with `order` (written out by hand, not via ir/layout). */
function toPhysical(data: readonly number[], shape: readonly number[], order: readonly number[]): number[] {
  const r = shape.length;
  const out: number[] = [];
  const idx = new Array<number>(r).fill(0);
  const total = numel(shape);
  for (let p = 0; p < total; p++) {
    let flat = 0;
    for (let d = 0; d < r; d++) flat = flat * shape[d]! + idx[d]!;
    out.push(data[flat]!);
    for (let k = r - 1; k >= 0; k--) {
      const d = order[k]!;
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

interface Case {
  op: string;
  inputs: { shape: number[]; data: number[]; dtype?: "f32" | "i64" }[];
  attrs: Attrs;
  /** Hand-worked logical outputs. */
  want: { shape: number[]; data: number[] }[];
}

const CASES: Case[] = [
  // out[a,b,c] = x[b,c,a] for x [2,3,2] = 0..11, dims [2,0,1].
  { op: "aten.permute_copy", inputs: [{ shape: [2, 3, 2], data: iota(12) }], attrs: { dims: [2, 0, 1] },
    want: [{ shape: [2, 2, 3], data: [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11] }] },
  { op: "aten.slice_copy", inputs: [{ shape: [2, 5], data: iota(10) }], attrs: { dim: 1, start: 1, end: 5, step: 2 },
    want: [{ shape: [2, 2], data: [1, 3, 6, 8] }] },
  { op: "aten.cat", inputs: [{ shape: [2, 1], data: [1, 2] }, { shape: [2, 2], data: [3, 4, 5, 6] }, { shape: [2, 1], data: [7, 8] }], attrs: { dim: 1 },
    want: [{ shape: [2, 4], data: [1, 3, 4, 7, 2, 5, 6, 8] }] },
  { op: "aten.cat", inputs: [{ shape: [1, 2], data: [1, 2] }, { shape: [2, 2], data: [3, 4, 5, 6] }], attrs: { dim: 0 },
    want: [{ shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }] },
  { op: "aten.split_with_sizes_copy", inputs: [{ shape: [2, 3], data: iota(6) }], attrs: { dim: 1, split_sizes: [1, 2] },
    want: [{ shape: [2, 1], data: [0, 3] }, { shape: [2, 2], data: [1, 2, 4, 5] }] },
  { op: "aten.index_select", inputs: [{ shape: [3, 2], data: iota(6) }, { shape: [3], data: [2, -3, 1], dtype: "i64" }], attrs: { dim: 0 },
    want: [{ shape: [3, 2], data: [4, 5, 0, 1, 2, 3] }] },
  // numpy.pad([[1,2,3],[4,5,6]], 1, "reflect").
  { op: "aten.pad", inputs: [{ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }], attrs: { pads: [1, 1, 1, 1], mode: "reflect" },
    want: [{ shape: [4, 5], data: [5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2] }] },
  // Constant 9, one row before, one column after; a negative pad crops.
  { op: "aten.pad", inputs: [{ shape: [2, 2], data: [1, 2, 3, 4] }], attrs: { pads: [1, 0, 0, 1], mode: "constant", value: 9 },
    want: [{ shape: [3, 3], data: [9, 9, 9, 1, 2, 9, 3, 4, 9] }] },
  { op: "aten.pad", inputs: [{ shape: [3], data: [1, 2, 3] }], attrs: { pads: [-1, 1], mode: "constant", value: 0 },
    want: [{ shape: [3], data: [2, 3, 0] }] },
  // ONNX Resize nearest, asymmetric, floor: 2 -> 3 reads 0, 0, 1 (0·2/3, 1·2/3, 2·2/3).
  { op: "aten.upsample_nearest2d", inputs: [{ shape: [1, 1, 2, 2], data: [1, 2, 3, 4] }], attrs: { output_size: [3, 3] },
    want: [{ shape: [1, 1, 3, 3], data: [1, 1, 2, 1, 1, 2, 3, 3, 4] }] },
  { op: "aten.view_copy", inputs: [{ shape: [2, 3], data: iota(6) }], attrs: { size: [3, -1] },
    want: [{ shape: [3, 2], data: iota(6) }] },
  { op: "aten.clone", inputs: [{ shape: [2, 2], data: [4, 3, 2, 1] }], attrs: {},
    want: [{ shape: [2, 2], data: [4, 3, 2, 1] }] },
  { op: "dim_order_ops._clone_dim_order", inputs: [{ shape: [1, 2, 1, 2], data: [1, 2, 3, 4] }], attrs: { dim_order: [0, 2, 3, 1] },
    want: [{ shape: [1, 2, 1, 2], data: [1, 2, 3, 4] }] },
];

const caseName = (c: Case): string => `${c.op} ${JSON.stringify(c.attrs)}`;

test("the float eval of every data-movement op is its source map: hand-worked outputs", () => {
  for (const c of CASES) {
    const outs = run(c.op, c.inputs.map((x) => t(x.shape, x.data, x.dtype ?? "f32")), c.attrs);
    assert.equal(outs.length, c.want.length, caseName(c));
    outs.forEach((o, i) => {
      assert.deepEqual(o.shape, c.want[i]!.shape, caseName(c));
      assert.deepEqual([...o.data], c.want[i]!.data, caseName(c));
    });
  }
});

/** Every dim order of rank r worth trying: row-major, reversed, and channels-last for rank 4. */
function ordersOf(r: number): number[][] {
  const rm = iota(r);
  const out = [rm, [...rm].reverse()];
  if (r === 4) out.push([0, 2, 3, 1]);
  return out;
}

/** Run a map through the simulator's planner on physical arrays (the runtime's data path). */
function plannedMove(c: Case, inOrders: number[][], outOrder: number[], j: number): number[] {
  const def = getOp(c.op);
  const moveInputs: MoveInput[] = c.inputs.map((x, k) => ({ shape: x.shape, dimOrder: inOrders[k], data: x.dtype === "i64" ? x.data : null }));
  const map = def.moves!(moveInputs, c.attrs)![j]!;
  const want = c.want[j]!;
  const outType = makeType("f32", want.shape, outOrder);
  const srcTypes: TensorType[] = c.inputs.map((x, k) => makeType("f32", x.shape, inOrders[k]));
  const plan = planMoves(outType, srcTypes, elementSource(map, want.shape, c.inputs.map((x) => x.shape)));
  const dst = new Float32Array(numel(want.shape)).fill(NaN);
  c.inputs.forEach((x, k) => copyRuns(Float32Array.from(toPhysical(x.data, x.shape, inOrders[k]!)), dst, plan.runs[k]!));
  fillRuns(dst, plan.fills, map.kind === "gather" ? map.fill : 0);
  return [...dst];
}

test("the simulator's planned copies of every map give the hand-worked outputs in any layout", () => {
  for (const c of CASES) {
    for (let j = 0; j < c.want.length; j++) {
      const want = c.want[j]!;
      for (const outOrder of ordersOf(want.shape.length)) {
        for (const inOrder of ordersOf(c.inputs[0]!.shape.length)) {
          // index inputs are constants: always row-major.
          const inOrders = c.inputs.map((x, k) => (k === 0 || c.op === "aten.cat" ? (x.shape.length === inOrder.length ? inOrder : iota(x.shape.length)) : iota(x.shape.length)));
          const got = plannedMove(c, inOrders, outOrder, j);
          assert.deepEqual(got, toPhysical(want.data, want.shape, outOrder), `${caseName(c)} output ${j} in [${inOrder}] out [${outOrder}]`);
        }
      }
    }
  }
});

test("index_select has no source map while its indices are computed at run time", () => {
  assert.equal(getOp("aten.index_select").moves!([{ shape: [3, 2] }, { shape: [2], data: null }], { dim: 0 }), null);
  assert.throws(() => getOp("aten.index_select").moves!([{ shape: [3, 2] }, { shape: [1], data: [3] }], { dim: 0 }), /out of range/);
});

test("cortex_m.pad: its map, hand-worked bytes and arm_pad_s8 agree (pads in physical NHWC order)", () => {
  // x logical [1, C=2, H=1, W=2] stored NHWC; pre_pad h=1, post_pad w=1, pad value -5.
  const attrs = { pre_pad: [0, 1, 0, 0], post_pad: [0, 0, 1, 0], pad_value: -5 };
  const xShape = [1, 2, 1, 2];
  const xLogical = [10, 11, 20, 21]; // c0: w0 w1, c1: w0 w1
  const def = getOp("cortex_m.pad");
  const [ty] = def.infer([makeType("i8", xShape, [0, 2, 3, 1])], attrs);
  assert.deepEqual(ty!.shape, [1, 2, 2, 3]);
  const wantLogical = [-5, -5, -5, 10, 11, -5, -5, -5, -5, 20, 21, -5];
  const wantNhwc = [-5, -5, -5, -5, -5, -5, 10, 20, 11, 21, -5, -5];
  const c: Case = { op: "cortex_m.pad", inputs: [{ shape: xShape, data: xLogical }], attrs, want: [{ shape: ty!.shape, data: wantLogical }] };
  assert.deepEqual(plannedMove(c, [[0, 2, 3, 1]], [0, 2, 3, 1], 0), wantNhwc);
  assert.deepEqual(plannedMove(c, [[0, 2, 3, 1]], [0, 1, 2, 3], 0), wantLogical);
  const out = new Int8Array(12);
  padS8(Int8Array.from([10, 20, 11, 21]), out, -5, { n: 1, h: 1, w: 2, c: 2 }, { n: 0, h: 1, w: 0, c: 0 }, { n: 0, h: 0, w: 1, c: 0 });
  assert.deepEqual([...out], wantNhwc);
});

test("cortex_m.pad's map and arm_pad_s8 agree on every padded NHWC shape of a sweep", () => {
  const def = getOp("cortex_m.pad");
  for (const [h, w, ch] of [[3, 2, 1], [2, 5, 3], [1, 1, 4]] as const) {
    for (const pre of [[0, 1, 0, 0], [0, 0, 2, 1], [1, 0, 1, 0]]) {
      const post = [pre[3]!, pre[2]!, pre[1]!, 0];
      const attrs = { pre_pad: pre, post_pad: post, pad_value: 7 };
      const xShape = [1, ch, h, w];
      const x = iota(h * w * ch, -60);
      const [ty] = def.infer([makeType("i8", xShape, [0, 2, 3, 1])], attrs);
      const c: Case = { op: "cortex_m.pad", inputs: [{ shape: xShape, data: x }], attrs, want: [{ shape: ty!.shape, data: [] }] };
      const planned = plannedMove(c, [[0, 2, 3, 1]], [0, 2, 3, 1], 0);
      const out = new Int8Array(numel(ty!.shape));
      const dims = (a: number[]) => ({ n: a[0]!, h: a[1]!, w: a[2]!, c: a[3]! });
      padS8(Int8Array.from(toPhysical(x, xShape, [0, 2, 3, 1])), out, 7, { n: 1, h, w, c: ch }, dims(pre), dims(post));
      assert.deepEqual(planned, [...out], `h${h} w${w} c${ch} pre [${pre}] post [${post}]`);
    }
  }
});

test("cortex_m.transpose's map is the permute's: hand-worked", () => {
  const c: Case = { op: "cortex_m.transpose", inputs: [{ shape: [2, 3], data: iota(6) }], attrs: { perm: [1, 0] }, want: [{ shape: [3, 2], data: [0, 3, 1, 4, 2, 5] }] };
  assert.deepEqual(plannedMove(c, [[0, 1]], [0, 1], 0), c.want[0]!.data);
  assert.throws(() => getOp("cortex_m.transpose").moves!([{ shape: [2, 3] }], { perm: [0, 0] }), /permutation/);
});

test("every data-movement op states a source map (max pools only share their input's parameters)", () => {
  const withMap = allOpDefs().filter((d) => d.moves).map((d) => d.name).sort();
  assert.deepEqual(withMap, [
    "aten.cat", "aten.clone", "aten.index_select", "aten.pad", "aten.permute_copy", "aten.slice_copy",
    "aten.split_with_sizes_copy", "aten.upsample_nearest2d", "aten.view_copy", "cortex_m.pad", "cortex_m.transpose",
    "dim_order_ops._clone_dim_order",
  ]);
  const missing = allOpDefs().filter((d) => d.dataMovement && !d.moves && !/max_pool/.test(d.name)).map((d) => d.name);
  assert.deepEqual(missing, []);
});

test("cortex_m.pad and cortex_m.transpose decode their records once, with the checks both back ends relied on", () => {
  const g = new Graph();
  const x = g.addInput("x", makeType("i8", [1, 3, 2, 4], [0, 2, 3, 1]));
  const pad = g.addNode("cortex_m.pad", [x], { pre_pad: [0, 1, 0, 2], post_pad: [0, 0, 3, 0], pad_value: -128 });
  assert.deepEqual(getOp("cortex_m.pad").decode!(pad), {
    input: { n: 1, h: 2, w: 4, c: 3 }, pre: { n: 0, h: 1, w: 0, c: 2 }, post: { n: 0, h: 0, w: 3, c: 0 }, value: -128,
  });
  const bad = g.addNode("cortex_m.pad", [x], { pre_pad: [0, 1, 0, 0], post_pad: [0, 0, 0, 0], pad_value: 200 });
  assert.throws(() => getOp("cortex_m.pad").decode!(bad), /not an int8/);
  const tr = g.addNode("cortex_m.transpose", [x], { perm: [0, 3, 1, 2] });
  assert.deepEqual(getOp("cortex_m.transpose").decode!(tr), { perm: [0, 3, 1, 2] });
  assert.deepEqual(tr.output.shape, [1, 4, 3, 2]);
});
