// aten.lstm with ONNX LSTM semantics: forward direction only, default
// activations (sigmoid for gates, tanh for cell/output), no peepholes, gate
// order i, o, f, c in W [1,4H,in], R [1,4H,H] and B [1,8H] = [Wb | Rb].
//   it = σ(Xt·Wiᵀ + Ht-1·Riᵀ + Wbi + Rbi)    ft, ot likewise
//   ct = tanh(Xt·Wcᵀ + Ht-1·Rcᵀ + Wbc + Rbc)
//   Ct = ft⊙Ct-1 + it⊙ct,   Ht = ot⊙tanh(Ct)
// Outputs Y [seq,1,batch,H], Y_h [1,batch,H], Y_c [1,batch,H].
import { defineOp } from "../../ir/registry.js";
import { fmtShape } from "../../ir/tensor.js";
import type { Attrs, TensorType } from "../../ir/graph.js";
import type { Tensor } from "../../ir/tensor.js";
import { attrNum, needT, out, shapeError } from "../common.js";

const LSTM = "aten.lstm";

/** Shapes of an aten.lstm call: seq S, batch N, input I, hidden H (throws on mismatched operands). */
export function lstmDims(inputs: ({ shape: number[] } | null)[], attrs: Attrs) {
  const [X, W, R, B, h0, c0] = inputs;
  if (!X || !W || !R) return shapeError(LSTM, "needs X, W and R");
  const H = attrNum(LSTM, attrs, "hidden_size");
  if (X.shape.length !== 3) shapeError(LSTM, `X must be [seq,batch,input], got ${fmtShape(X.shape)}`);
  const [S, N, I] = X.shape as [number, number, number];
  const expect = (t: { shape: number[] } | null | undefined, shape: number[], what: string) => {
    if (t && (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
      shapeError(LSTM, `${what} is ${fmtShape(t.shape)}, expected ${fmtShape(shape)} (hidden_size ${H}, one direction)`);
    }
  };
  expect(W, [1, 4 * H, I], "W");
  expect(R, [1, 4 * H, H], "R");
  expect(B, [1, 8 * H], "B");
  expect(h0, [1, N, H], "initial_h");
  expect(c0, [1, N, H], "initial_c");
  return { S, N, I, H };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * One step's gate pre-activations for batch row n:
 *   gates[g] = (B[g] + B[4H+g]) + Σk x[k]·W[g][k] + Σk h[k]·R[g][k]
 * summed in double in that order, x = X[xo..xo+I), h = h[ho..ho+H). (The float reference; the
 * device and the simulator run the single-precision twin, src/kernels/float32/kernels.ts.)
 */
export type LstmGates = (X: ArrayLike<number>, xo: number, h: Float64Array, ho: number, gates: Float64Array) => void;

/** The plain gate loops (four gates share each load; each gate's sum keeps its order). */
export function lstmGatesJs(W: ArrayLike<number>, R: ArrayLike<number>, B: ArrayLike<number> | null, I: number, H: number): LstmGates {
  return (X, xo, h, ho, gates) => {
    let g = 0;
    for (; g + 4 <= 4 * H; g += 4) {
      let a0 = B ? B[g]! + B[4 * H + g]! : 0;
      let a1 = B ? B[g + 1]! + B[4 * H + g + 1]! : 0;
      let a2 = B ? B[g + 2]! + B[4 * H + g + 2]! : 0;
      let a3 = B ? B[g + 3]! + B[4 * H + g + 3]! : 0;
      const w0 = g * I, w1 = w0 + I, w2 = w1 + I, w3 = w2 + I;
      for (let k = 0; k < I; k++) {
        const x = X[xo + k]!;
        a0 += x * W[w0 + k]!; a1 += x * W[w1 + k]!; a2 += x * W[w2 + k]!; a3 += x * W[w3 + k]!;
      }
      const r0 = g * H, r1 = r0 + H, r2 = r1 + H, r3 = r2 + H;
      for (let k = 0; k < H; k++) {
        const y = h[ho + k]!;
        a0 += y * R[r0 + k]!; a1 += y * R[r1 + k]!; a2 += y * R[r2 + k]!; a3 += y * R[r3 + k]!;
      }
      gates[g] = a0; gates[g + 1] = a1; gates[g + 2] = a2; gates[g + 3] = a3;
    }
    for (; g < 4 * H; g++) {
      let acc = B ? B[g]! + B[4 * H + g]! : 0;
      for (let k = 0; k < I; k++) acc += X[xo + k]! * W[g * I + k]!;
      for (let k = 0; k < H; k++) acc += h[ho + k]! * R[g * H + k]!;
      gates[g] = acc;
    }
  };
}

/** The forward pass of the float reference (double precision, the plain gate loops). */
export function lstmForward(inputs: (Tensor | null)[], attrs: Attrs): Tensor[] {
  const { S, N, I, H } = lstmDims(inputs, attrs);
  const X = needT(LSTM, inputs, 0).data;
  const B = inputs[3]?.data ?? null;
  const gatesOf = lstmGatesJs(needT(LSTM, inputs, 1).data, needT(LSTM, inputs, 2).data, B, I, H);
  const h = new Float64Array(N * H);
  const c = new Float64Array(N * H);
  // State is kept as f32 between steps, matching an f32 runtime.
  if (inputs[4]) h.set(Float32Array.from(inputs[4].data));
  if (inputs[5]) c.set(Float32Array.from(inputs[5].data));
  const Y = new Float32Array(S * N * H);
  const gates = new Float64Array(4 * H);
  const hNew = new Float64Array(N * H);
  for (let t = 0; t < S; t++) {
    for (let n = 0; n < N; n++) {
      gatesOf(X, (t * N + n) * I, h, n * H, gates);
      for (let j = 0; j < H; j++) {
        const it = sigmoid(gates[j]!);
        const ot = sigmoid(gates[H + j]!);
        const ft = sigmoid(gates[2 * H + j]!);
        const ct = Math.tanh(gates[3 * H + j]!);
        const C = Math.fround(ft * c[n * H + j]! + it * ct);
        c[n * H + j] = C;
        hNew[n * H + j] = Math.fround(ot * Math.tanh(C));
      }
    }
    h.set(hNew);
    for (let i = 0; i < N * H; i++) Y[t * N * H + i] = h[i]!;
  }
  return [
    { dtype: "f32", shape: [S, 1, N, H], data: Y },
    { dtype: "f32", shape: [1, N, H], data: Float32Array.from(h) },
    { dtype: "f32", shape: [1, N, H], data: Float32Array.from(c) },
  ];
}

export const LSTM_OP = defineOp({
  name: LSTM,
  // Integer only in an integer-only build (cortex_m.quantized_lstm: CMSIS-NN's integer LSTM, TFLite's scheme):
  // its gates are Q3.12 / Q0.15 whatever the data, so a default build keeps the more exact float kernel.
  // X is the activation input; W, R and B are quantized per gate by the lowering (lstm_quant.ts); h0 / Y_h
  // share Y's grid and c0 / Y_c are the int16 cell (recurrentState).
  quant: {
    patterns: [{
      name: "lstm", inputs: ["act", "ignore", "ignore", "ignore", "ignore", "ignore"], output: "observed", tails: [], integerOnly: true,
      recurrentState: { hiddenIn: 4, hiddenOut: 1, cellIn: 5, cellOut: 2 },
    }],
  },
  infer(inputs: (TensorType | null)[], attrs) {
    const { S, N, H } = lstmDims(inputs, attrs);
    const dt = inputs[0]!.dtype;
    return [out(dt, [S, 1, N, H]), out(dt, [1, N, H]), out(dt, [1, N, H])];
  },
  eval(inputs, attrs) {
    return lstmForward(inputs, attrs);
  },
});
