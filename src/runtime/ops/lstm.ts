// cortex_m.quantized_lstm in the simulator: the bit-exact TS twins of arm_lstm_unidirectional_s8 / _s16
// (src/kernels/lstm_s8.ts, lstm_s16.ts). As the generated C does, h0 and c0 are copied into the Y_h and Y_c
// buffers first (zero state when absent: the output zero point for h, 0 for c), which the kernel then carries
// as its hidden and cell state and leaves holding the last step's.
import type { Node } from "../../ir/graph.js";
import { rowMajor } from "../../ir/layout.js";
import { lstmUnidirectionalS16, lstmUnidirectionalS8, type LstmS8Params } from "../../kernels/index.js";
import { LSTM_GATES, QUANTIZED_LSTM, type LstmGateName, type QuantizedLstmParams } from "../../ops/cortex_m/lstm.js";
import type { LstmGate } from "../../kernels/lstm_gates.js";
import { inputIn, outputIn, wrapStep, type PrepareContext, type Step } from "../context.js";
import { bind, checker } from "./common.js";

function prepareLstm(p: QuantizedLstmParams, node: Node, ctx: PrepareContext): Step {
  const { x, h0, c0 } = p.operands;
  const { y, yh, yc } = p.outputs;
  const inp = inputIn(ctx, x, rowMajor(x.type));
  const out = outputIn(ctx, y, rowMajor(y.type));
  // The state tensors are [1, N, H]: any layout of them is row-major bytes only if it says so.
  const hIn = h0 ? inputIn(ctx, h0, rowMajor(h0.type)) : null;
  const cIn = c0 ? inputIn(ctx, c0, rowMajor(c0.type)) : null;
  const hOut = outputIn(ctx, yh, rowMajor(yh.type));
  const cOut = outputIn(ctx, yc, rowMajor(yc.type));
  const gate = (name: LstmGateName): LstmGate<ArrayLike<number>> => {
    const r = p.gates[name];
    return {
      inputMultiplier: r.inputMultiplier, inputShift: r.inputShift, inputWeights: ctx.i8(r.inputWeights), inputEffectiveBias: ctx.view(r.inputBias),
      hiddenMultiplier: r.hiddenMultiplier, hiddenShift: r.hiddenShift, hiddenWeights: ctx.i8(r.hiddenWeights), hiddenEffectiveBias: ctx.view(r.hiddenBias),
      activation: r.activation,
    };
  };
  const [forgetGate, inputGate, cellGate, outputGate] = LSTM_GATES.map(gate) as [LstmGate<ArrayLike<number>>, LstmGate<ArrayLike<number>>, LstmGate<ArrayLike<number>>, LstmGate<ArrayLike<number>>];
  const params: LstmS8Params = {
    timeMajor: true, batchSize: p.batch, timeSteps: p.steps, inputSize: p.inputSize, hiddenSize: p.hiddenSize,
    forgetToCellMultiplier: p.forgetToCellMultiplier, forgetToCellShift: p.forgetToCellShift,
    inputToCellMultiplier: p.inputToCellMultiplier, inputToCellShift: p.inputToCellShift,
    cellClip: p.cellClip, cellScalePower: p.cellScalePower,
    outputMultiplier: p.outputMultiplier, outputShift: p.outputShift, outputOffset: p.outputOffset,
    forgetGate, inputGate, cellGate, outputGate,
  };
  const hidden = hOut.data as Int8Array | Int16Array;
  const cell = cOut.data as Int16Array;
  const input = inp.data, output = out.data;
  const hSrc = hIn?.data ?? null, cSrc = cIn?.data ?? null;
  const s16 = p.precision === "s16";
  const check = checker(node, ctx, s16 ? "arm_lstm_unidirectional_s16" : "arm_lstm_unidirectional_s8");
  const run = (): void => {
    if (hSrc) hidden.set(hSrc);
    else hidden.fill(p.outputOffset);
    if (cSrc) cell.set(cSrc);
    else cell.fill(0);
    check(s16
      ? lstmUnidirectionalS16(input as Int16Array, output as Int16Array, params, { cell, hidden: hidden as Int16Array })
      : lstmUnidirectionalS8(input as Int8Array, output as Int8Array, params, { cell, hidden: hidden as Int8Array }));
  };
  return wrapStep([inp.pre, hIn?.pre ?? null, cIn?.pre ?? null], run, [out.post, hOut.post, cOut.post]);
}

export const lstmBindings = [bind(QUANTIZED_LSTM, prepareLstm)];
