// Per-op runtime tests on tiny hand-built lowered graphs. Expectations come
// from direct loops written here (NCHW logical indexing), the float catalog
// evals, or the reference kernels — never from the runtime under test.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { Graph, makeType, type Attrs, type TensorType, type Value } from "../ir/graph.js";
import type { DType } from "../ir/dtype.js";
import { getOp } from "../ir/registry.js";
import { makeTensor, type Tensor } from "../ir/tensor.js";
import { softmaxS8Ref, elementwiseAddS8Ref, type AddS8Params } from "../kernels/index.js";
import { CHANNELS_LAST } from "../ops/cortex_m/shapes.js";
import { planGraph } from "../plan/graph_plan.js";
import { createProgram } from "./program.js";
import { mulberry32 } from "../ir/prng.js";

const NCHW = [0, 1, 2, 3];
const ID_MULT = 1 << 30; // with shift 1: requantize(x) = x exactly

/** Deterministic small ints in [lo, hi]. */
function ints(n: number, lo: number, hi: number, seed = 1): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

/** Run g optimized and with reference kernels; both must agree; returns the optimized outputs by name. */
function runBoth(g: Graph, feeds: Record<string, Tensor>): Record<string, Tensor> {
  const plan = planGraph(g);
  const a = createProgram(g, plan).run(feeds);
  const b = createProgram(g, plan, { reference: true }).run(feeds);
  for (const k of Object.keys(a)) assert.deepEqual(Array.from(a[k]!.data), Array.from(b[k]!.data), `optimized vs reference kernels differ on ${k}`);
  return a;
}

function input(g: Graph, name: string, dtype: DType, shape: number[], dimOrder?: number[]): Value {
  return g.addInput(name, makeType(dtype, shape, dimOrder));
}

/** Logical NCHW [n,c,h,w] index. */
const at4 = (s: number[], n: number, c: number, h: number, w: number): number => ((n * s[1]! + c) * s[2]! + h) * s[3]! + w;

test("quantized_conv2d: 3x3, stride 2, padding 1, bias, channels-last bytes, matches a direct NCHW loop", () => {
  const g = new Graph("conv");
  const [N, C, H, W, O, K] = [1, 3, 5, 6, 4, 3];
  const x = input(g, "x", "i8", [N, C, H, W], CHANNELS_LAST);
  const wOhwi = ints(O * K * K * C, -3, 3, 7);
  const w = g.addConst("w", "i8", [O, K, K, C], Int8Array.from(wOhwi));
  const bias = g.addConst("b", "i32", [O], Int32Array.from([5, -7, 0, 11]));
  const m = g.addConst("m", "i32", [O], new Int32Array(O).fill(ID_MULT));
  const sh = g.addConst("s", "i32", [O], new Int32Array(O).fill(1));
  const scratch = g.op("cortex_m.scratch", [], { bytes: 2 * C * K * K * 2 });
  const attrs: Attrs = {
    stride: [2, 2], padding: [1, 1], dilation: [1, 1], input_offset: 3, output_offset: -2,
    activation_min: -100, activation_max: 100, kernel: "arm_convolve_s8", target_class: "scalar",
  };
  const y = g.op("cortex_m.quantized_conv2d", [x, w, bias, m, sh, scratch], attrs);
  g.outputs = [y];
  assert.deepEqual(y.shape, [1, 4, 3, 3]);
  const xs = ints(N * C * H * W, -4, 4, 3);
  const out = runBoth(g, { x: makeTensor("i8", [N, C, H, W], xs) })[y.name]!;
  for (let o = 0; o < O; o++) {
    for (let oy = 0; oy < 3; oy++) {
      for (let ox = 0; ox < 3; ox++) {
        let acc = bias.data![o]!;
        for (let ky = 0; ky < K; ky++) {
          for (let kx = 0; kx < K; kx++) {
            const iy = oy * 2 - 1 + ky;
            const ix = ox * 2 - 1 + kx;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            for (let c = 0; c < C; c++) acc += (xs[at4([N, C, H, W], 0, c, iy, ix)]! + 3) * wOhwi[((o * K + ky) * K + kx) * C + c]!;
          }
        }
        const want = Math.max(-100, Math.min(100, acc - 2));
        assert.equal(out.data[at4([1, O, 3, 3], 0, o, oy, ox)], want, `y[${o},${oy},${ox}]`);
      }
    }
  }
});

test("quantized_depthwise_conv2d with depth multiplier 2 matches a direct loop", () => {
  const g = new Graph("dw");
  const [C, H, W, M] = [2, 4, 4, 2];
  const O = C * M;
  const x = input(g, "x", "i8", [1, C, H, W], CHANNELS_LAST);
  const w1hwo = ints(3 * 3 * O, -2, 2, 9);
  const w = g.addConst("w", "i8", [1, 3, 3, O], Int8Array.from(w1hwo));
  const m = g.addConst("m", "i32", [O], new Int32Array(O).fill(ID_MULT));
  const sh = g.addConst("s", "i32", [O], new Int32Array(O).fill(1));
  const scratch = g.op("cortex_m.scratch", [], { bytes: 0 });
  const y = g.op("cortex_m.quantized_depthwise_conv2d", [x, w, null, m, sh, scratch], {
    stride: [1, 1], padding: [1, 1], dilation: [1, 1], depth_multiplier: M, input_offset: 0, output_offset: 1,
    activation_min: -128, activation_max: 127, kernel: "arm_depthwise_conv_s8", target_class: "scalar",
  });
  g.outputs = [y];
  const xs = ints(C * H * W, -5, 5, 4);
  const out = runBoth(g, { x: makeTensor("i8", [1, C, H, W], xs) })[y.name]!;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < M; k++) {
      const o = c * M + k;
      for (let oy = 0; oy < H; oy++) {
        for (let ox = 0; ox < W; ox++) {
          let acc = 0;
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy - 1 + ky;
              const ix = ox - 1 + kx;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) acc += xs[at4([1, C, H, W], 0, c, iy, ix)]! * w1hwo[(ky * 3 + kx) * O + o]!;
            }
          }
          assert.equal(out.data[at4([1, O, H, W], 0, o, oy, ox)], acc + 1, `y[${o},${oy},${ox}]`);
        }
      }
    }
  }
});

test("quantized_linear over rows of the last dim (offsets, bias, activation clamp)", () => {
  const g = new Graph("fc");
  const x = input(g, "x", "i8", [2, 3]);
  const w = g.addConst("w", "i8", [2, 3], Int8Array.from([1, 2, 3, -1, 0, 4]));
  const b = g.addConst("b", "i32", [2], Int32Array.from([10, -3]));
  const y = g.op("cortex_m.quantized_linear", [x, w, b, null], {
    input_offset: 1, filter_offset: 0, output_offset: -1, multiplier: ID_MULT, shift: 1, activation_min: -20, activation_max: 20,
  });
  g.outputs = [y];
  const out = runBoth(g, { x: makeTensor("i8", [2, 3], [1, 2, 3, -4, 5, -6]) })[y.name]!;
  // row 0: x+1 = [2,3,4]: 2+6+12+10 = 30 → 29 → clamp 20; -2+0+16-3 = 11 → 10
  // row 1: x+1 = [-3,6,-5]: -3+12-15+10 = 4 → 3; 3+0-20-3 = -20 → -21 → clamp -20
  assert.deepEqual(Array.from(out.data), [20, 10, 3, -20]);
});

test("quantized_add reads inputs in different dim orders in logical correspondence", () => {
  const g = new Graph("add");
  const shape = [1, 3, 2, 2];
  const a = input(g, "a", "i8", shape, CHANNELS_LAST);
  const b = input(g, "b", "i8", shape, NCHW);
  const p: AddS8Params = {
    input1Offset: 3, input1Mult: 1073741824, input1Shift: 0, input2Offset: -2, input2Mult: 1073741824, input2Shift: 0,
    leftShift: 20, outOffset: 4, outMult: 1073741824, outShift: -19, outActivationMin: -128, outActivationMax: 127,
  };
  const y = g.op("cortex_m.quantized_add", [a, b], {
    input1_offset: p.input1Offset, input1_multiplier: p.input1Mult, input1_shift: p.input1Shift,
    input2_offset: p.input2Offset, input2_multiplier: p.input2Mult, input2_shift: p.input2Shift, left_shift: 20,
    output_offset: p.outOffset, output_multiplier: p.outMult, output_shift: p.outShift, activation_min: -128, activation_max: 127,
  });
  g.outputs = [y];
  const av = ints(12, -60, 60, 5);
  const bv = ints(12, -60, 60, 6);
  const out = runBoth(g, { a: makeTensor("i8", shape, av), b: makeTensor("i8", shape, bv) })[y.name]!;
  const want = new Int8Array(12);
  elementwiseAddS8Ref(Int8Array.from(av), Int8Array.from(bv), p, want, 12);
  assert.deepEqual(Array.from(out.data), Array.from(want));
  // 0.5·(a+3) + 0.5·(b−2), rounded: an independent spot check of the first element
  assert.ok(Math.abs(out.data[0]! - 4 - ((av[0]! + 3) + (bv[0]! - 2)) / 2) <= 1);
});

test("LUT activation and clamp", () => {
  const g = new Graph("lut");
  const x = input(g, "x", "i8", [1, 2, 1, 3], CHANNELS_LAST);
  const table = Int8Array.from({ length: 256 }, (_, i) => Math.max(-128, Math.min(127, -(i - 128))));
  const lut = g.addConst("lut", "i8", [256], table);
  const y = g.op("cortex_m.quantized_activation", [x, lut], { function: "neg" });
  const z = g.op("cortex_m.clamp", [y], { activation_min: -5, activation_max: 100 });
  g.outputs = [y, z];
  const xs = [-128, -3, 0, 2, 7, 127];
  const out = runBoth(g, { x: makeTensor("i8", [1, 2, 1, 3], xs) });
  assert.deepEqual(Array.from(out[y.name]!.data), [127, 3, 0, -2, -7, -127]);
  assert.deepEqual(Array.from(out[z.name]!.data), [100, 3, 0, -2, -5, -5]);
});

test("softmax over the last dim equals arm_softmax_s8 (reference) row by row", () => {
  const g = new Graph("sm");
  const x = input(g, "x", "i8", [2, 5]);
  const y = g.op("cortex_m.softmax", [x], { multiplier: 1717986918, shift: 23, diff_min: -248 });
  g.outputs = [y];
  const xs = [10, -20, 30, 30, 0, -128, 127, 5, 5, -7];
  const out = runBoth(g, { x: makeTensor("i8", [2, 5], xs) })[y.name]!;
  const want = new Int8Array(10);
  softmaxS8Ref(Int8Array.from(xs), 2, 5, 1717986918, 23, -248, want);
  assert.deepEqual(Array.from(out.data), Array.from(want));
  // probabilities at scale 1/256, zero point −128 sum to about 1 per row
  for (let r = 0; r < 2; r++) {
    const sum = Array.from(out.data.slice(r * 5, r * 5 + 5)).reduce((a, q) => a + (q + 128) / 256, 0);
    assert.ok(Math.abs(sum - 1) < 0.03, `row ${r} sums to ${sum}`);
  }
});

test("max and average pooling on NHWC bytes", () => {
  const g = new Graph("pool");
  const shape = [1, 2, 3, 3];
  const x = input(g, "x", "i8", shape, CHANNELS_LAST);
  const common = { kernel_size: [2, 2], stride: [1, 1], padding: [0, 0], activation_min: -128, activation_max: 127 };
  const mx = g.op("cortex_m.quantized_max_pool2d", [x], common);
  const scratch = g.op("cortex_m.scratch", [], { bytes: 0 });
  const av = g.op("cortex_m.quantized_avg_pool2d", [x, scratch], common);
  g.outputs = [mx, av];
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -10];
  const out = runBoth(g, { x: makeTensor("i8", shape, xs) });
  assert.deepEqual(Array.from(out[mx.name]!.data), [5, 6, 8, 9, -1, -2, -4, -5]);
  // averages round half away from zero: (1+2+4+5)/4 = 3, (−1−2−4−5)/4 = −3, (−5−6−8−10)/4 = −7.25 → −7
  assert.deepEqual(Array.from(out[av.name]!.data), [3, 4, 6, 7, -3, -4, -6, -7]);
});

test("quantize_per_tensor equals the fake-quant quantize eval (ties to even); dequantize inverts", () => {
  const g = new Graph("q");
  const x = input(g, "x", "f32", [1, 2, 2, 2], CHANNELS_LAST);
  const attrs = { scale: 0.5, zero_point: 3, quant_min: -128, quant_max: 127 };
  const q = g.op("cortex_m.quantize_per_tensor", [x], attrs);
  const d = g.op("cortex_m.dequantize_per_tensor", [q], { scale: 0.5, zero_point: 3 });
  g.outputs = [q, d];
  const xs = [0.25, 0.75, -0.25, 1.25, 100, -100, 2.2, -0.7];
  const out = runBoth(g, { x: makeTensor("f32", [1, 2, 2, 2], xs) });
  const ref = getOp("quantized_decomposed.quantize_per_tensor").eval!([makeTensor("f32", [8], xs)], { ...attrs, dtype: "i8" })[0]!;
  assert.deepEqual(Array.from(out[q.name]!.data), Array.from(ref.data));
  // x/0.5 = 0.5 → 0, 1.5 → 2, −0.5 → −0, 2.5 → 2 (ties to even), then + 3
  assert.deepEqual(Array.from(out[q.name]!.data).slice(0, 4), [3, 5, 3, 5]);
  assert.deepEqual(Array.from(out[d.name]!.data), Array.from(ref.data, (v) => (v - 3) * 0.5));
});

test("_clone_dim_order writes NHWC bytes into the arena; view_copy of channels-last data reshapes logically", () => {
  const g = new Graph("layout");
  const shape = [1, 3, 2, 2];
  const x = input(g, "x", "i8", shape);
  const c = g.op("dim_order_ops._clone_dim_order", [x], { dim_order: CHANNELS_LAST });
  c.type = { ...c.type, dimOrder: [...CHANNELS_LAST] };
  const v = g.op("aten.view_copy", [c], { size: [1, 12] });
  g.outputs = [c, v];
  const xs = Array.from({ length: 12 }, (_, i) => i);
  const plan = planGraph(g);
  assert.ok(!plan.aliases.has(v), "a view of non-row-major bytes cannot alias");
  const p = createProgram(g, plan);
  const out = p.run({ x: makeTensor("i8", shape, xs) });
  assert.deepEqual(Array.from(out[c.name]!.data), xs, "logical values survive the reorder");
  assert.deepEqual(Array.from(out[v.name]!.data), xs, "the view is a logical reshape");
  const bytes = new Int8Array(p.arena, plan.offsets.get(c)!, 12);
  // NHWC: for each (h, w), the 3 channels
  assert.deepEqual(Array.from(bytes), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
});

/** A data-movement op on int8 values in the given dim orders, checked against the catalog eval on logical tensors. */
function checkMove(op: string, inTypes: TensorType[], attrs: Attrs, outOrders: number[][], extra: (g: Graph) => Value[] = () => []): void {
  const g = new Graph(op);
  const ins = inTypes.map((t, i) => g.addInput(`x${i}`, t));
  const node = g.addNode(op, [...ins, ...extra(g)], attrs);
  node.outputs.forEach((o, i) => {
    if (outOrders[i]) o.type = { ...o.type, dimOrder: [...outOrders[i]!] };
  });
  g.outputs = [...node.outputs];
  const feeds: Record<string, Tensor> = {};
  inTypes.forEach((t, i) => (feeds[`x${i}`] = makeTensor("i8", t.shape, ints(t.shape.reduce((a, b) => a * b, 1), -128, 127, 11 + i))));
  const out = runBoth(g, feeds);
  const want = getOp(op).eval!([...inTypes.map((_, i) => feeds[`x${i}`]!), ...node.inputs.slice(inTypes.length).map((v) => ({ dtype: v!.dtype, shape: v!.shape, data: v!.data! }))], attrs);
  node.outputs.forEach((o, i) => assert.deepEqual(Array.from(out[o.name]!.data), Array.from(want[i]!.data), `${op} output ${i}`));
}

test("int8 data movement honours every value's dim order (cat, split, slice, permute, pad, upsample, index_select)", () => {
  const cl = (shape: number[]): TensorType => makeType("i8", shape, CHANNELS_LAST);
  const nc = (shape: number[]): TensorType => makeType("i8", shape);
  checkMove("aten.cat", [cl([1, 2, 3, 4]), nc([1, 3, 3, 4])], { dim: 1 }, [CHANNELS_LAST]);
  checkMove("aten.cat", [cl([1, 2, 3, 4]), cl([1, 2, 2, 4])], { dim: 2 }, [NCHW]);
  checkMove("aten.split_with_sizes_copy", [cl([1, 5, 2, 3])], { split_sizes: [2, 3], dim: 1 }, [CHANNELS_LAST, NCHW]);
  checkMove("aten.slice_copy", [cl([1, 6, 3, 3])], { dim: 1, start: 1, end: 6, step: 2 }, [CHANNELS_LAST]);
  checkMove("aten.permute_copy", [cl([1, 2, 3, 4])], { dims: [0, 3, 1, 2] }, [NCHW]);
  checkMove("aten.pad", [cl([1, 2, 3, 3])], { pads: [0, 0, 1, 2, 0, 0, 2, 0], mode: "constant", value: -7 }, [CHANNELS_LAST]);
  checkMove("aten.pad", [cl([1, 2, 4, 5])], { pads: [0, 0, 3, 1, 0, 0, 2, 4], mode: "reflect" }, [CHANNELS_LAST]);
  checkMove("aten.pad", [nc([1, 1, 7])], { pads: [0, 0, 6, 0, 0, 5], mode: "reflect" }, [NCHW.slice(0, 3)]);
  checkMove("aten.upsample_nearest2d", [cl([1, 3, 2, 3])], { output_size: [4, 6] }, [CHANNELS_LAST]);
  checkMove("aten.index_select", [cl([1, 4, 2, 2])], { dim: 1 }, [CHANNELS_LAST], (g) => [g.addConst("idx", "i64", [3], Float64Array.from([3, 0, 3]))]);
});

test("float fallback (log_softmax, single precision) on a channels-last f32 value: within 4 ulp of the float64 reference in logical order", () => {
  const g = new Graph("fb");
  const x = input(g, "x", "f32", [1, 3, 2, 2], CHANNELS_LAST);
  const y = g.op("aten.log_softmax", [x], { dim: 1 });
  g.outputs = [y];
  const xs = Array.from({ length: 12 }, (_, i) => Math.sin(i));
  const out = runBoth(g, { x: makeTensor("f32", [1, 3, 2, 2], xs) })[y.name]!;
  const want = getOp("aten.log_softmax").eval!([makeTensor("f32", [1, 3, 2, 2], xs)], { dim: 1 })[0]!;
  // A relayout slip would move values by far more than the kernel's rounding.
  for (let i = 0; i < 12; i++) {
    const tol = 4 * 2 ** (Math.floor(Math.log2(Math.abs(want.data[i]!))) - 23);
    assert.ok(Math.abs(out.data[i]! - want.data[i]!) <= tol, `[${i}] ${out.data[i]} vs ${want.data[i]}`);
  }
});

test("a conv whose input is not NHWC bytes is rejected with the node's name", () => {
  const g = new Graph("bad");
  const x = input(g, "x", "i8", [1, 2, 3, 3]);
  const w = g.addConst("w", "i8", [1, 1, 1, 2], Int8Array.from([1, 1]));
  const m = g.addConst("m", "i32", [1], Int32Array.from([ID_MULT]));
  const s = g.addConst("s", "i32", [1], Int32Array.from([1]));
  const y = g.op("cortex_m.quantized_conv2d", [x, w, null, m, s, null], {
    stride: [1, 1], padding: [0, 0], dilation: [1, 1], input_offset: 0, output_offset: 0, activation_min: -128, activation_max: 127,
  }, { name: "conv_bad" });
  g.outputs = [y];
  assert.throws(() => createProgram(g, planGraph(g)), /conv_bad.*NHWC/);
});
