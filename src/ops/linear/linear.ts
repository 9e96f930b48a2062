// linear (y = x·wᵀ + b over the last dim) and matmul (numpy semantics with
// batch broadcasting and rank-1 promotion). Dot products accumulate in a
// float64 local and round once to f32.
import { IRError } from "../../ir/errors.js";
import type { Value } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { CLAMP_TAILS } from "../activation/activations.js";
import { fmtShape, numel, type Tensor } from "../../ir/tensor.js";
import { broadcastShapes, broadcastStrides, forEachBroadcast, need, needT, out, shapeError } from "../common.js";

const LINEAR = "aten.linear";
const MATMUL = "aten.matmul";

function linearShape(x: number[], w: number[], b: number[] | null): number[] {
  if (x.length < 1 || w.length !== 2 || x[x.length - 1] !== w[1]) shapeError(LINEAR, `input ${fmtShape(x)} does not match weight ${fmtShape(w)} (out,in)`);
  if (b && (b.length !== 1 || b[0] !== w[0])) shapeError(LINEAR, `bias ${fmtShape(b)} does not match ${w[0]} outputs`);
  return [...x.slice(0, -1), w[0]!];
}

const f32 = (v: Value | null | undefined): boolean => !!v && v.dtype === "f32";
const constF32 = (v: Value | null | undefined): boolean => f32(v) && v!.isConst();

// The fully-connected kernel requantizes and clamps, but cannot shift its
// scale the way conv's per-channel path absorbs hardsigmoid: clamp tails only.
export const LINEAR_OP = defineOp({
  name: LINEAR,
  quant: {
    patterns: [{
      name: "linear",
      when: (n) => f32(n.inputs[0]) && constF32(n.inputs[1]) && (!n.inputs[2] || constF32(n.inputs[2])),
      inputs: ["act", "weight_linear", "bias"],
      output: "observed",
      tails: CLAMP_TAILS,
    }],
  },
  infer(inputs) {
    const x = need(LINEAR, inputs, 0, "input x");
    const w = need(LINEAR, inputs, 1, "weight");
    return [out(x.dtype, linearShape(x.shape, w.shape, inputs[2]?.shape ?? null))];
  },
  eval(inputs) {
    const x = needT(LINEAR, inputs, 0);
    const w = needT(LINEAR, inputs, 1);
    const b = inputs[2] ?? null;
    const shape = linearShape(x.shape, w.shape, b?.shape ?? null);
    const [O, K] = w.shape as [number, number];
    const rows = numel(x.shape) / K;
    const y = new Float32Array(rows * O);
    const xd = x.data, wd = w.data;
    for (let r = 0; r < rows; r++) {
      const xb = r * K;
      for (let o = 0; o < O; o++) {
        const wb = o * K;
        let acc = b ? b.data[o]! : 0;
        for (let k = 0; k < K; k++) acc += xd[xb + k]! * wd[wb + k]!;
        y[r * O + o] = acc;
      }
    }
    return [{ dtype: "f32", shape, data: y }];
  },
});

interface MatmulPlan { shape: number[]; batch: number[]; aBatch: number[]; bBatch: number[]; M: number; K: number; N: number }

function matmulPlan(a: number[], b: number[]): MatmulPlan {
  if (a.length === 0 || b.length === 0) shapeError(MATMUL, "scalar operands are not allowed");
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const [M, K] = [A[A.length - 2]!, A[A.length - 1]!];
  const [K2, N] = [B[B.length - 2]!, B[B.length - 1]!];
  if (K !== K2) shapeError(MATMUL, `inner dimensions of ${fmtShape(a)} and ${fmtShape(b)} differ`);
  const aBatch = A.slice(0, -2), bBatch = B.slice(0, -2);
  const batch = broadcastShapes(MATMUL, aBatch, bBatch);
  const shape = [...batch];
  if (a.length > 1) shape.push(M);
  if (b.length > 1) shape.push(N);
  return { shape, batch, aBatch, bBatch, M, K, N };
}

export const MATMUL_OP = defineOp({
  name: MATMUL,
  quant: {
    patterns: [{
      name: "matmul",
      inputs: ["act", "act_or_weight"],
      output: "observed",
      tails: [],
    }],
  },
  infer(inputs) {
    const a = need(MATMUL, inputs, 0, "input a");
    const b = need(MATMUL, inputs, 1, "input b");
    return [out(a.dtype, matmulPlan(a.shape, b.shape).shape)];
  },
  eval(inputs) {
    const a = needT(MATMUL, inputs, 0);
    const b = needT(MATMUL, inputs, 1);
    return [matmul(a, b)];
  },
});

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== "f32" || b.dtype !== "f32") throw new IRError(`${MATMUL}: float eval needs f32 inputs`);
  const { shape, batch, aBatch, bBatch, M, K, N } = matmulPlan(a.shape, b.shape);
  const y = new Float32Array(numel(shape));
  const aS = broadcastStrides(aBatch, batch).map((s) => s * M * K);
  const bS = broadcastStrides(bBatch, batch).map((s) => s * K * N);
  const ad = a.data, bd = b.data;
  const col = new Float64Array(K);
  forEachBroadcast(batch, [aS, bS], (bi, offs) => {
    const ao = offs[0]!, bo = offs[1]!, yo = bi * M * N;
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) col[k] = bd[bo + k * N + n]!; // gather column once per n
      // Four rows share each column load; every output still sums k = 0..K-1 in order, in double
      // (the C kernel's order), so blocking changes no bit.
      let m = 0;
      for (; m + 4 <= M; m += 4) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        const r0 = ao + m * K, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K;
        for (let k = 0; k < K; k++) {
          const c = col[k]!;
          a0 += ad[r0 + k]! * c;
          a1 += ad[r1 + k]! * c;
          a2 += ad[r2 + k]! * c;
          a3 += ad[r3 + k]! * c;
        }
        const o = yo + m * N + n;
        y[o] = a0;
        y[o + N] = a1;
        y[o + 2 * N] = a2;
        y[o + 3 * N] = a3;
      }
      for (; m < M; m++) {
        let acc = 0;
        const ar = ao + m * K;
        for (let k = 0; k < K; k++) acc += ad[ar + k]! * col[k]!;
        y[yo + m * N + n] = acc;
      }
    }
  });
  return { dtype: "f32", shape, data: y };
}
