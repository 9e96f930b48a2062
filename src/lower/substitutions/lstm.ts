// aten.lstm quantized (its pattern applies in integer-only builds) → cortex_m.quantized_lstm, CMSIS-NN's
// arm_lstm_unidirectional_s8 / _s16. The quantizer left X, h0 and Y / Y_h on one activation grid each (h0 and
// Y_h share Y's: the kernel writes its hidden state as output codes) and c0 / Y_c on the int16 cell grid 2^p;
// the gate weights, effective biases and fixed-point multipliers follow from those grids and the float
// weights (TFLite's integer LSTM scheme, src/ops/rnn/lstm_quant.ts). s8 or s16 is the activations' dtype.
import type { Graph, Node, Value } from "../../ir/graph.js";
import { makeType } from "../../ir/graph.js";
import type { QParams } from "../../ir/quant.js";
import { LSTM_OP, lstmDims } from "../../ops/rnn/lstm.js";
import { lstmIntegerParams, type LstmIntegerParams, type LstmQuantConfig } from "../../ops/rnn/lstm_quant.js";
import { LSTM_GATES, QUANTIZED_LSTM } from "../../ops/cortex_m/lstm.js";
import { markSource, Q, qparamsOfNode, quantizedInput, soleUser } from "../match.js";
import { registerSubstitution } from "./registry.js";

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const sameGrid = (a: QParams, b: QParams): boolean =>
  a.dtype === b.dtype && a.scale[0] === b.scale[0] && a.zeroPoint[0] === b.zeroPoint[0];

/** The quantize node ending output `o` (its only reader), or null. */
function outputQuant(g: Graph, o: Value): Node | null {
  const q = soleUser(g, o);
  return q && q.op === Q ? q : null;
}

function lowerLstm(g: Graph, node: Node): string | null {
  // Only the integer-only pattern quantizes an LSTM (a default build keeps it float even when it reads int8).
  if (node.meta.qrole !== "pattern") return "runs in float (the integer LSTM, arm_lstm_unidirectional_s8 / _s16, is used by --integer-only builds)";
  const x = quantizedInput(node.inputs[0] ?? null);
  if (!x || x.q.scheme !== "per_tensor" || (x.value.dtype !== "i8" && x.value.dtype !== "i16")) return "LSTM input is not quantized per tensor";
  const dt = x.value.dtype;
  const s16 = dt === "i16";
  const quants = node.outputs.map((o) => outputQuant(g, o));
  if (quants.some((q) => !q)) return "an LSTM output is not quantized (every output needs its quantize node)";
  const [qy, qh, qc] = quants.map((q) => qparamsOfNode(q!)) as [QParams, QParams, QParams];
  if (qy.dtype !== dt || !sameGrid(qy, qh)) return `Y and Y_h must share one ${dt} grid (the kernel's hidden state is its output)`;
  if (qc.dtype !== "i16" || qc.zeroPoint[0] !== 0 || !Number.isInteger(Math.log2(qc.scale[0]!))) return "the cell state must be int16 at a power-of-two scale";
  if (s16 && (x.q.zeroPoint[0] !== 0 || qy.zeroPoint[0] !== 0)) return "int16 LSTM activations must be symmetric (zero point 0)";
  const h0 = node.inputs[4] ? quantizedInput(node.inputs[4]) : null;
  const c0 = node.inputs[5] ? quantizedInput(node.inputs[5]) : null;
  if (node.inputs[4] && (!h0 || !sameGrid(h0.q, qy))) return "initial hidden state is not on the output's grid";
  if (node.inputs[5] && (!c0 || !sameGrid(c0.q, qc))) return "initial cell state is not on the cell's grid";
  const [W, R, B] = [node.inputs[1], node.inputs[2], node.inputs[3] ?? null];
  if (!W?.data || !R?.data || (B && !B.data)) return "LSTM weights are not constants";
  const { S, N, I, H } = lstmDims(node.inputs.map((v) => (v ? { shape: v.shape } : null)), node.attrs);
  const cfg: LstmQuantConfig = {
    precision: s16 ? "s16" : "s8",
    input: { scale: x.q.scale[0]!, zeroPoint: x.q.zeroPoint[0]! },
    hidden: { scale: qy.scale[0]!, zeroPoint: qy.zeroPoint[0]! },
    cellPower: Math.log2(qc.scale[0]!),
  };
  let p: LstmIntegerParams;
  try {
    p = lstmIntegerParams(W.data, R.data, B?.data ?? null, { steps: S, batch: N, input: I, hidden: H }, cfg);
  } catch (e) {
    return (e as Error).message;
  }
  const gateOf = { forget: p.forgetGate, input: p.inputGate, cell: p.cellGate, output: p.outputGate };
  if (!s16 && LSTM_GATES.some((n) => [...gateOf[n].inputEffectiveBias, ...gateOf[n].hiddenEffectiveBias].some((b) => b < INT32_MIN || b > INT32_MAX))) {
    return "an effective bias does not fit int32 (arm_lstm_unidirectional_s8)";
  }
  const biasType = s16 ? "i64" : "i32";
  const gateOperands: Value[] = [];
  for (const name of LSTM_GATES) {
    const gt = gateOf[name];
    const base = `${node.name}_${name}`;
    gateOperands.push(
      g.addConst(`${base}_input_weights`, "i8", [H, I], gt.inputWeights),
      g.addConst(`${base}_hidden_weights`, "i8", [H, H], gt.hiddenWeights),
      g.addConst(`${base}_input_bias`, biasType, [H], s16 ? Float64Array.from(gt.inputEffectiveBias) : Int32Array.from(gt.inputEffectiveBias)),
      g.addConst(`${base}_hidden_bias`, biasType, [H], s16 ? Float64Array.from(gt.hiddenEffectiveBias) : Int32Array.from(gt.hiddenEffectiveBias)),
    );
  }
  const per = (f: (gt: (typeof gateOf)["forget"]) => number): number[] => LSTM_GATES.map((n) => f(gateOf[n]));
  const lowered = g.addNode(QUANTIZED_LSTM.name, [x.value, h0?.value ?? null, c0?.value ?? null, ...gateOperands], {
    precision: cfg.precision,
    input_multipliers: per((gt) => gt.inputMultiplier), input_shifts: per((gt) => gt.inputShift),
    hidden_multipliers: per((gt) => gt.hiddenMultiplier), hidden_shifts: per((gt) => gt.hiddenShift),
    forget_to_cell_multiplier: p.forgetToCellMultiplier, forget_to_cell_shift: p.forgetToCellShift,
    input_to_cell_multiplier: p.inputToCellMultiplier, input_to_cell_shift: p.inputToCellShift,
    cell_clip: p.cellClip, cell_scale_power: p.cellScalePower,
    output_multiplier: p.outputMultiplier, output_shift: p.outputShift, output_offset: p.outputOffset,
  }, {
    before: node, name: node.name,
    outputTypes: [makeType(dt, [S, 1, N, H], undefined, qy), makeType(dt, [1, N, H], undefined, qh), makeType("i16", [1, N, H], undefined, qc)],
  });
  lowered.outputs.forEach((o, i) => {
    const q = quants[i]!;
    markSource(o, q.output.name);
    g.replaceAllUses(q.output, o);
  });
  return null;
}

registerSubstitution(LSTM_OP, lowerLstm);
