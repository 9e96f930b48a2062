// cortex_m.quantized_lstm: arm_lstm_unidirectional_s8 / _s16 (CMSIS-NN's integer LSTM, TFLite's scheme), time
// major, one direction. The node carries the recurrent state the way the float aten.lstm does: the initial
// hidden state h0 and cell state c0 are inputs, the last hidden state Y_h and the cell state Y_c are outputs,
// so a model that feeds Y_h / Y_c back as its next call's h0 / c0 continues the sequence bit for bit. Both
// back ends copy h0 into Y_h's buffer and c0 into Y_c's and hand those to the kernel as its persistent
// hidden_state / cell_state (the kernel updates them in place).
//
// Operands: x [S,N,I] (i8 / i16), h0 [1,N,H] (same dtype) or null (zero state), c0 [1,N,H] i16 or null, then
// per gate in the library's order forget, input, cell, output: input weights i8 [H,I], hidden weights i8
// [H,H], input effective bias and hidden effective bias [H] (i32 for s8, i64 for s16).
// Attributes: `precision` ("s8" | "s16"), per gate (same order) `input_multipliers`, `input_shifts`,
// `hidden_multipliers`, `hidden_shifts`; `forget_to_cell_multiplier` / `_shift`, `input_to_cell_multiplier` /
// `_shift`, `cell_clip`, `cell_scale_power`, `output_multiplier` / `_shift` / `_offset`.
// Outputs: Y [S,1,N,H], Y_h [1,N,H] (both the input's dtype, on the output grid), Y_c [1,N,H] i16.
import { makeType, type Node, type TensorType, type Value } from "../../ir/graph.js";
import { IRError } from "../../ir/errors.js";
import { defineOp } from "../../ir/registry.js";
import { fail, intAttr, numsAttr, operand, optionalOperand } from "./decode.js";
import { need } from "./shapes.js";

export const LSTM_GATES = ["forget", "input", "cell", "output"] as const;
export type LstmGateName = (typeof LSTM_GATES)[number];

/** Operand slot of the first gate array (after x, h0, c0); each gate takes four. */
export const LSTM_GATE_BASE = 3;

export interface LstmGateRecord {
  inputMultiplier: number; inputShift: number; hiddenMultiplier: number; hiddenShift: number;
  /** Sigmoid for forget / input / output, tanh for the cell gate (the library's fixed choice). */
  activation: "sigmoid" | "tanh";
  inputWeights: Value; hiddenWeights: Value; inputBias: Value; hiddenBias: Value;
}

export interface QuantizedLstmParams {
  precision: "s8" | "s16";
  steps: number; batch: number; inputSize: number; hiddenSize: number;
  forgetToCellMultiplier: number; forgetToCellShift: number;
  inputToCellMultiplier: number; inputToCellShift: number;
  cellClip: number; cellScalePower: number;
  outputMultiplier: number; outputShift: number; outputOffset: number;
  gates: Record<LstmGateName, LstmGateRecord>;
  operands: { x: Value; h0: Value | null; c0: Value | null };
  outputs: { y: Value; yh: Value; yc: Value };
}

/** The four per-gate lists of an attribute name, each of exactly four integers. */
function gateInts(node: Node, key: string): number[] {
  const v = numsAttr(node, key);
  if (v.length !== 4 || v.some((x) => !Number.isInteger(x))) fail(node, `attribute ${key} must hold 4 integers (forget, input, cell, output), got [${v}]`);
  return v;
}

function decodeLstm(node: Node): QuantizedLstmParams {
  const precision = node.attrs.precision;
  if (precision !== "s8" && precision !== "s16") fail(node, `precision must be "s8" or "s16", got ${JSON.stringify(precision)}`);
  const act = precision === "s8" ? "i8" : "i16";
  const x = operand(node, 0, "input", act);
  if (x.rank !== 3) fail(node, `input must be [seq, batch, input], got [${x.shape}]`);
  const [S, N, I] = x.shape as [number, number, number];
  if (node.inputs.length !== LSTM_GATE_BASE + 16) fail(node, `needs ${LSTM_GATE_BASE + 16} operands, has ${node.inputs.length}`);
  const w = operand(node, LSTM_GATE_BASE, "forget input weights", "i8");
  if (w.rank !== 2 || w.shape[1] !== I) fail(node, `input weights [${w.shape}] do not match input size ${I}`);
  const H = w.shape[0]!;
  const state = (v: Value | null, what: string): void => {
    if (v && (v.numel !== N * H)) fail(node, `${what} [${v.shape}] does not hold ${N}×${H} values`);
  };
  const h0 = optionalOperand(node, 1, "initial hidden state", act);
  const c0 = optionalOperand(node, 2, "initial cell state", "i16");
  state(h0, "initial hidden state");
  state(c0, "initial cell state");
  if (node.outputs.length !== 3) fail(node, `needs 3 outputs (Y, Y_h, Y_c), has ${node.outputs.length}`);
  const [y, yh, yc] = node.outputs as [Value, Value, Value];
  if (y.dtype !== act || yh.dtype !== act || yc.dtype !== "i16") fail(node, `outputs must be ${act}, ${act}, i16; got ${y.dtype}, ${yh.dtype}, ${yc.dtype}`);
  if (y.numel !== S * N * H) fail(node, `output [${y.shape}] does not hold ${S}×${N}×${H} values`);
  state(yh, "hidden state output");
  state(yc, "cell state output");
  const bias = precision === "s8" ? "i32" : "i64";
  const [im, is, hm, hs] = ["input_multipliers", "input_shifts", "hidden_multipliers", "hidden_shifts"].map((k) => gateInts(node, k)) as [number[], number[], number[], number[]];
  const gates = {} as Record<LstmGateName, LstmGateRecord>;
  LSTM_GATES.forEach((name, g) => {
    const at = LSTM_GATE_BASE + 4 * g;
    const inputWeights = operand(node, at, `${name} input weights`, "i8");
    const hiddenWeights = operand(node, at + 1, `${name} hidden weights`, "i8");
    const inputBias = operand(node, at + 2, `${name} input effective bias`, bias);
    const hiddenBias = operand(node, at + 3, `${name} hidden effective bias`, bias);
    if (inputWeights.shape.join() !== `${H},${I}`) fail(node, `${name} input weights must be [${H},${I}], got [${inputWeights.shape}]`);
    if (hiddenWeights.shape.join() !== `${H},${H}`) fail(node, `${name} hidden weights must be [${H},${H}], got [${hiddenWeights.shape}]`);
    if (inputBias.numel !== H || hiddenBias.numel !== H) fail(node, `${name} effective biases must hold ${H} values`);
    for (const v of [inputWeights, hiddenWeights, inputBias, hiddenBias]) if (!v.isConst()) fail(node, `${name} gate operand ${v.name} must be a constant`);
    gates[name] = {
      inputMultiplier: im[g]!, inputShift: is[g]!, hiddenMultiplier: hm[g]!, hiddenShift: hs[g]!,
      activation: name === "cell" ? "tanh" : "sigmoid", inputWeights, hiddenWeights, inputBias, hiddenBias,
    };
  });
  const cellClip = intAttr(node, "cell_clip");
  if (cellClip < 0 || cellClip > 32767) fail(node, `cell_clip ${cellClip} is not in [0, 32767]`);
  const cellScalePower = intAttr(node, "cell_scale_power");
  // tanh reads the cell as Q3.12 after a left shift of power + 12 (arm_nn_activation_s16's range).
  if (cellScalePower < -15 || cellScalePower > 2) fail(node, `cell_scale_power ${cellScalePower} is not in [-15, 2]`);
  const outputOffset = intAttr(node, "output_offset");
  if (precision === "s16" ? outputOffset !== 0 : outputOffset < -128 || outputOffset > 127) fail(node, `output_offset ${outputOffset} does not fit ${act}`);
  return {
    precision, steps: S, batch: N, inputSize: I, hiddenSize: H,
    forgetToCellMultiplier: intAttr(node, "forget_to_cell_multiplier"), forgetToCellShift: intAttr(node, "forget_to_cell_shift"),
    inputToCellMultiplier: intAttr(node, "input_to_cell_multiplier"), inputToCellShift: intAttr(node, "input_to_cell_shift"),
    cellClip, cellScalePower,
    outputMultiplier: intAttr(node, "output_multiplier"), outputShift: intAttr(node, "output_shift"), outputOffset,
    gates, operands: { x, h0, c0 }, outputs: { y, yh, yc },
  };
}

export const QUANTIZED_LSTM = defineOp<QuantizedLstmParams>({
  name: "cortex_m.quantized_lstm",
  infer(inputs: (TensorType | null)[], attrs) {
    const x = need(inputs[0] ?? null, "input");
    const w = need(inputs[LSTM_GATE_BASE] ?? null, "forget input weights");
    if (x.shape.length !== 3) throw new IRError(`cortex_m.quantized_lstm: input must be [seq, batch, input], got [${x.shape}]`);
    const [S, N] = x.shape as [number, number, number];
    const H = w.shape[0]!;
    const dt = attrs.precision === "s16" ? "i16" : "i8";
    return [makeType(dt, [S, 1, N, H]), makeType(dt, [1, N, H]), makeType("i16", [1, N, H])];
  },
  decode: decodeLstm,
});
