import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../../../test/support/op_run.js";
import { getOp } from "../../ir/registry.js";
import { makeType } from "../../ir/graph.js";
import { mulberry32 } from "../../ir/prng.js";

const CONV = "aten.convolution";
const base = { stride: [1], padding: [0], dilation: [1], groups: 1, transposed: false, output_padding: [0] };

test("conv1d x=[1,1,5] k=3 s=2 p=1 with bias (hand computed)", () => {
  // padded x = [0,1,2,3,4,5,0]; windows start at 0,2,4; w = [1,0,-1]
  const y = run1(CONV, [t([1, 1, 5], [1, 2, 3, 4, 5]), t([1, 1, 3], [1, 0, -1]), t([1], [0.5])], { ...base, stride: [2], padding: [1] });
  assert.deepEqual(y.shape, [1, 1, 3]);
  assertClose(y.data, [-1.5, -1.5, 4.5]);
});

test("conv1d asymmetric padding_end and dilation", () => {
  const a = run1(CONV, [t([1, 1, 4], [1, 2, 3, 4]), t([1, 1, 2], [1, 1]), null], { ...base, padding: [0], padding_end: [1] });
  assertClose(a.data, [3, 5, 7, 4]);
  const d = run1(CONV, [t([1, 1, 5], [1, 2, 3, 4, 5]), t([1, 1, 2], [1, 10]), null], { ...base, dilation: [2] });
  assertClose(d.data, [31, 42, 53]);
});

test("conv1d multi-channel pointwise x=[2,2,2] w=[3,2,1]", () => {
  // y[n,o,l] = sum_c w[o,c] x[n,c,l]
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  const w = [1, 0, 0, 1, 1, -1];
  const y = run1(CONV, [t([2, 2, 2], x), t([3, 2, 1], w), null], base);
  assertClose(y.data, [1, 2, 3, 4, -2, -2, 5, 6, 7, 8, -2, -2]);
});

test("conv2d depthwise groups=2 and padding 1 k=3", () => {
  const x = t([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
  const w = t([2, 1, 2, 2], [1, 1, 1, 1, 1, 0, 0, -1]);
  const y = run1(CONV, [x, w, null], { ...base, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 2 });
  assert.deepEqual(y.shape, [1, 2, 1, 1]);
  assertClose(y.data, [10, -3]);
  const p = run1(CONV, [t([1, 1, 2, 2], [1, 1, 1, 1]), t([1, 1, 3, 3], new Array(9).fill(1)), null], { ...base, stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
  assertClose(p.data, [4, 4, 4, 4]);
});

test("conv2d stride 2 with asymmetric padding x=[1,1,3,3]", () => {
  // pad bottom/right by 1: padded 4x4, k=2 s=2 -> 2x2 output of block sums
  const y = run1(CONV, [t([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]), t([1, 1, 2, 2], [1, 1, 1, 1]), null],
    { ...base, stride: [2, 2], padding: [0, 0], padding_end: [1, 1], dilation: [1, 1] });
  assertClose(y.data, [12, 9, 15, 9]);
});

test("conv_transpose2d stride 1 / stride 2 / padding / output_padding", () => {
  const x = t([1, 1, 2, 2], [1, 2, 3, 4]);
  const w = t([1, 1, 2, 2], [1, 1, 1, 1]);
  const tr = { ...base, transposed: true, stride: [1, 1], padding: [0, 0], dilation: [1, 1], output_padding: [0, 0] };
  assertClose(run1(CONV, [x, w, null], tr).data, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
  assertClose(run1(CONV, [x, w, null], { ...tr, padding: [1, 1] }).data, [10]);
  const s2 = run1(CONV, [x, w, null], { ...tr, stride: [2, 2] });
  assertClose(s2.data, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  const op = run1(CONV, [x, w, t([1], [0.5])], { ...tr, stride: [2, 2], output_padding: [1, 1] });
  assert.deepEqual(op.shape, [1, 1, 5, 5]);
  assert.equal(op.data[4], 0.5);
  assert.equal(op.data[0], 1.5);
});

test("conv_transpose1d and grouped transposed weight IOK", () => {
  const y = run1(CONV, [t([1, 1, 3], [1, 2, 3]), t([1, 1, 2], [1, -1]), null], { ...base, transposed: true });
  assertClose(y.data, [1, 1, 1, -3]);
  // groups=2, in 2 channels, w [2,1,1]: each channel scaled separately
  const g = run1(CONV, [t([1, 2, 2], [1, 2, 3, 4]), t([2, 1, 1], [2, 3]), null], { ...base, transposed: true, groups: 2 });
  assertClose(g.data, [2, 4, 9, 12]);
});

test("conv shape rule rejects mismatched channels", () => {
  assert.throws(() => getOp(CONV).infer([makeType("f32", [1, 3, 8, 8]), makeType("f32", [4, 2, 3, 3]), null], { ...base, stride: [1, 1], padding: [0, 0], dilation: [1, 1] }), /groups/);
});

/** Direct formula: y[n,o,oh,ow] = b[o] + sum_{c in group, kh, kw} x[n,c,oh*s-p+kh*d, ow*s-p+kw*d] w[o,c',kh,kw]. */
function naiveConv2d(x: Float32Array, xs: number[], w: Float32Array, ws: number[], s: number[], p0: number[], p1: number[], d: number[], g: number): { data: number[]; shape: number[] } {
  const [N, C, H, W] = xs as [number, number, number, number];
  const [O, CG, KH, KW] = ws as [number, number, number, number];
  const OH = Math.floor((H + p0[0]! + p1[0]! - d[0]! * (KH - 1) - 1) / s[0]!) + 1;
  const OW = Math.floor((W + p0[1]! + p1[1]! - d[1]! * (KW - 1) - 1) / s[1]!) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let acc = 0;
    const grp = Math.floor(o / (O / g));
    for (let cg = 0; cg < CG; cg++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
      const ih = oh * s[0]! - p0[0]! + kh * d[0]!, iw = ow * s[1]! - p0[1]! + kw * d[1]!;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      acc += x[((n * C + grp * CG + cg) * H + ih) * W + iw]! * w[((o * CG + cg) * KH + kh) * KW + kw]!;
    }
    out.push(acc);
  }
  return { data: out, shape: [N, O, OH, OW] };
}

test("conv2d matches a naive reference on awkward shapes (groups, stride, dilation, asymmetric pad, wide rows)", () => {
  const next = mulberry32(1);
  const rnd = () => next() * 2 - 1;
  const cases: { xs: number[]; ws: number[]; s: number[]; p0: number[]; p1: number[]; d: number[]; g: number }[] = [
    { xs: [2, 6, 7, 9], ws: [9, 2, 3, 2], s: [2, 1], p0: [1, 0], p1: [2, 1], d: [1, 2], g: 3 },
    { xs: [1, 5, 3, 600], ws: [6, 5, 1, 3], s: [1, 2], p0: [0, 1], p1: [0, 1], d: [1, 1], g: 1 },
    { xs: [1, 4, 40, 30], ws: [4, 1, 3, 3], s: [1, 1], p0: [1, 1], p1: [1, 1], d: [1, 1], g: 4 },
    { xs: [1, 3, 11, 13], ws: [7, 3, 5, 5], s: [3, 2], p0: [2, 2], p1: [0, 3], d: [1, 1], g: 1 },
  ];
  for (const c of cases) {
    const xd = Float32Array.from({ length: c.xs.reduce((a, b) => a * b) }, rnd);
    const wd = Float32Array.from({ length: c.ws.reduce((a, b) => a * b) }, rnd);
    const e = naiveConv2d(xd, c.xs, wd, c.ws, c.s, c.p0, c.p1, c.d, c.g);
    const y = run1(CONV, [t(c.xs, xd), t(c.ws, wd), null], { stride: c.s, padding: c.p0, padding_end: c.p1, dilation: c.d, groups: c.g, transposed: false, output_padding: [0, 0] });
    assert.deepEqual(y.shape, e.shape);
    assertClose(y.data, e.data, 1e-5, JSON.stringify(c));
  }
});
