// Shared by the int16 lowering tests (not a test file): a hand-built Q/DQ graph with int16 regions, the form the
// quantizer writes (perTensor(scale, 0, "i16", -32768, 32767)), so the s16 lowering is tested without it.
import "../../src/ops/index.js";
import "../../src/ops/cortex_m/index.js";
import { Graph, makeType, type Attrs, type Value } from "../../src/ir/graph.js";
import { DEQUANTIZE_PER_CHANNEL, DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../../src/ops/quant/quant_ops.js";
import { LINEAR_OP } from "../../src/ops/linear/linear.js";
import { SOFTMAX } from "../../src/ops/softmax/softmax.js";
import { ADD, MUL } from "../../src/ops/elementwise/binary.js";
import { SIGMOID, TANH } from "../../src/ops/activation/activations.js";

export const int16 = (scale: number): Attrs => ({ scale, zero_point: 0, quant_min: -32768, quant_max: 32767, dtype: "i16" });
export const int8 = (scale: number, zp: number): Attrs => ({ scale, zero_point: zp, quant_min: -128, quant_max: 127, dtype: "i8" });

/** xorshift32 values in [lo, hi): fixed for every run. */
export function seeded(n: number, seed: number, lo: number, hi: number): number[] {
  let s = (seed * 2654435761) >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  });
}

/** v → quantize (attrs) → dequantize: a tensor on the given grid. */
export function qdq(g: Graph, v: Value, attrs: Attrs, name: string): Value {
  const q = g.op(QUANTIZE_PER_TENSOR.name, [v], attrs, { name: `${name}_q` });
  return g.op(DEQUANTIZE_PER_TENSOR.name, [q], attrs, { name: `${name}_dq` });
}

/**
 * A quantized linear: int8 weights (per tensor, symmetric) and a bias on the grid s_in·s_w, int64 when the input is
 * int16 (the 16x8 scheme) and int32 otherwise, each read through its dequantize.
 */
export function linear(g: Graph, x: Value, inScale: number, o: number, k: number, seed: number, name: string, wide: boolean): Value {
  const ws = 0.5 / 127;
  const w = g.addConst(`${name}_w`, "i8", [o, k], Int8Array.from(seeded(o * k, seed, -127, 128).map(Math.floor)));
  const wdq = g.op(DEQUANTIZE_PER_TENSOR.name, [w], { scale: ws, zero_point: 0, quant_min: -127, quant_max: 127, dtype: "i8" }, { name: `${name}_wdq` });
  const bs = Math.fround(inScale * ws);
  const bias = seeded(o, seed + 1, -0.3, 0.3).map((v) => Math.round(v / bs));
  const b = wide ? g.addConst(`${name}_b`, "i64", [o], Float64Array.from(bias)) : g.addConst(`${name}_b`, "i32", [o], Int32Array.from(bias));
  const bdq = g.op(DEQUANTIZE_PER_CHANNEL.name, [b], {
    scales: bias.map(() => bs), zero_points: bias.map(() => 0), axis: 0,
    quant_min: wide ? -(2 ** 53) : -(2 ** 31), quant_max: wide ? 2 ** 53 : 2 ** 31 - 1, dtype: wide ? "i64" : "i32",
  }, { name: `${name}_bdq` });
  return g.op(LINEAR_OP.name, [x, wdq, bdq], {}, { name });
}

/**
 * The mixed model: x [2, 16] → int16: linear → {sigmoid, tanh} → mul → add(·, tanh) → linear → softmax (output
 * `probs`), and from the add an int8 region: requantized to int8 → linear → output `logits8`. The sigmoid / tanh
 * input scale is 2^-11 (arm_nn_activation_s16's grid 2^(left_shift − 12)); their and softmax's outputs are Q0.15.
 */
export function mixedModel(): Graph {
  const g = new Graph("mixed16");
  const x = g.addInput("x", makeType("f32", [2, 16]));
  const sx = 4 / 32767;
  const xq = qdq(g, x, int16(sx), "x");
  const h = qdq(g, linear(g, xq, sx, 12, 16, 1, "fc1", true), int16(2 ** -11), "fc1");
  const sg = qdq(g, g.op(SIGMOID.name, [h], {}, { name: "sigmoid" }), int16(1 / 32768), "sigmoid");
  const th = qdq(g, g.op(TANH.name, [h], {}, { name: "tanh" }), int16(1 / 32768), "tanh");
  const m = qdq(g, g.op(MUL.name, [sg, th], {}, { name: "mul" }), int16(1 / 32768), "mul");
  const sa = 2 / 32767;
  const a = qdq(g, g.op(ADD.name, [m, th], {}, { name: "add" }), int16(sa), "add");
  const z = qdq(g, linear(g, a, sa, 6, 12, 3, "fc2", true), int16(6 / 32767), "fc2");
  const probs = qdq(g, g.op(SOFTMAX.name, [z], { dim: 1 }, { name: "softmax" }), int16(1 / 32768), "softmax");
  // The int8 region: the add's output requantized to int8 (a dequantize, then the int8 quantize).
  const a8 = qdq(g, a, int8(2 / 255, 0), "a8");
  const logits8 = qdq(g, linear(g, a8, 2 / 255, 5, 12, 5, "fc3", false), int8(3 / 255, 3), "fc3");
  g.outputs = [probs, logits8];
  return g;
}
