import { test } from "node:test";
import assert from "node:assert/strict";
import { assertClose, run1, t } from "../testing.js";
import { getOp } from "../../ir/registry.js";
import { makeType } from "../../ir/graph.js";

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

test("conv2d speed: 64->64 3x3 on 80x80 (~0.47 GFLOP) under 5 s", () => {
  const x = t([1, 64, 80, 80], Float32Array.from({ length: 64 * 6400 }, (_, i) => Math.sin(i)));
  const w = t([64, 64, 3, 3], Float32Array.from({ length: 64 * 64 * 9 }, (_, i) => Math.cos(i)));
  const t0 = performance.now();
  const y = run1(CONV, [x, w, null], { ...base, stride: [1, 1], padding: [1, 1], dilation: [1, 1] });
  const ms = performance.now() - t0;
  assert.ok(ms < 5000, `took ${ms} ms`);
  // spot-check one interior output against a direct sum
  let e = 0;
  for (let c = 0; c < 64; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
    e += Math.fround(Math.sin(c * 6400 + (10 + kh - 1) * 80 + (20 + kw - 1))) * Math.fround(Math.cos(((5 * 64 + c) * 3 + kh) * 3 + kw));
  }
  assertClose([y.data[5 * 6400 + 10 * 80 + 20]!], [e], 1e-5);
});
