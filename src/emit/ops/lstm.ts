// cortex_m.quantized_lstm in C: arm_lstm_unidirectional_s8 / _s16 (the real library, or the portable subset's
// arm_lstm_s8_s16.c). The parameter block is built in the step from the record; the gate weights and effective
// biases are weight constants. h0 / c0 are copied into the Y_h / Y_c buffers (or those set to the zero state),
// which the kernel takes as its persistent hidden_state / cell_state and updates in place; temp1 / temp2 are
// static int16 buffers of batch × hidden (the library's scratch for one step's gates). Same order and layouts
// as the simulator's binding (src/runtime/ops/lstm.ts).
import type { Node } from "../../ir/graph.js";
import { rowMajor } from "../../ir/layout.js";
import { LSTM_GATES, QUANTIZED_LSTM, type QuantizedLstmParams } from "../../ops/cortex_m/lstm.js";
import { cInt } from "../cfmt.js";
import type { EmitContext } from "../context.js";
import { inLayout, outLayout } from "../moves.js";
import { bind, callChecked } from "./common.js";

function emitLstm(p: QuantizedLstmParams, _node: Node, ctx: EmitContext): void {
  const { x, h0, c0 } = p.operands;
  const { y, yh, yc } = p.outputs;
  const s16 = p.precision === "s16";
  const act = s16 ? "int16_t" : "int8_t";
  const n = p.batch * p.hiddenSize;
  const input = inLayout(ctx, x, rowMajor(x.type), "lstm_x");
  const h0p = h0 ? inLayout(ctx, h0, rowMajor(h0.type), "lstm_h0") : null;
  const c0p = c0 ? inLayout(ctx, c0, rowMajor(c0.type), "lstm_c0") : null;
  const out = outLayout(ctx, y, rowMajor(y.type), "lstm_y");
  const hid = outLayout(ctx, yh, rowMajor(yh.type), "lstm_h");
  const cell = outLayout(ctx, yc, rowMajor(yc.type), "lstm_c");
  const temp1 = ctx.staticBuffer("int16_t", "lstm_temp1", n);
  const temp2 = ctx.staticBuffer("int16_t", "lstm_temp2", n);
  ctx.line("{");
  ctx.line(`${act} *hidden = (${act} *)${hid.ptr};`);
  ctx.line(`int16_t *cell = (int16_t *)${cell.ptr};`);
  if (h0p) ctx.line(`memcpy(hidden, ${h0p}, ${n}u * sizeof(${act}));`);
  else ctx.line(`for (int32_t i = 0; i < ${n}; i++) hidden[i] = (${act})${cInt(p.outputOffset)};`);
  if (c0p) ctx.line(`memcpy(cell, ${c0p}, ${n}u * sizeof(int16_t));`);
  else ctx.line(`memset(cell, 0, ${n}u * sizeof(int16_t));`);
  ctx.line("cmsis_nn_lstm_params params;");
  ctx.line("memset(&params, 0, sizeof(params));");
  const set = (field: string, v: number | string): void => ctx.line(`params.${field} = ${typeof v === "number" ? cInt(v) : v};`);
  set("time_major", 1);
  set("batch_size", p.batch);
  set("time_steps", p.steps);
  set("input_size", p.inputSize);
  set("hidden_size", p.hiddenSize);
  // input_offset stays 0: the input zero point is folded into the effective biases (the kernels do not read it).
  set("forget_to_cell_multiplier", p.forgetToCellMultiplier);
  set("forget_to_cell_shift", p.forgetToCellShift);
  set("input_to_cell_multiplier", p.inputToCellMultiplier);
  set("input_to_cell_shift", p.inputToCellShift);
  set("cell_clip", p.cellClip);
  set("cell_scale_power", p.cellScalePower);
  set("output_multiplier", p.outputMultiplier);
  set("output_shift", p.outputShift);
  set("output_offset", p.outputOffset);
  for (const name of LSTM_GATES) {
    const g = p.gates[name];
    const f = `${name}_gate`;
    set(`${f}.input_multiplier`, g.inputMultiplier);
    set(`${f}.input_shift`, g.inputShift);
    set(`${f}.input_weights`, ctx.ptr(g.inputWeights));
    set(`${f}.input_effective_bias`, ctx.ptr(g.inputBias));
    set(`${f}.hidden_multiplier`, g.hiddenMultiplier);
    set(`${f}.hidden_shift`, g.hiddenShift);
    set(`${f}.hidden_weights`, ctx.ptr(g.hiddenWeights));
    set(`${f}.hidden_effective_bias`, ctx.ptr(g.hiddenBias));
    set(`${f}.bias`, "NULL");
    set(`${f}.activation_type`, g.activation === "tanh" ? "ARM_TANH" : "ARM_SIGMOID");
  }
  ctx.line(`cmsis_nn_lstm_context buffers = {${temp1}, ${temp2}, cell, hidden};`);
  callChecked(ctx, s16 ? "arm_lstm_unidirectional_s16" : "arm_lstm_unidirectional_s8", [`(const ${act} *)${input}`, `(${act} *)${out.ptr}`, "&params", "&buffers"]);
  ctx.line("}");
  out.finish();
  hid.finish();
  cell.finish();
}

export const lstmEmitters = [bind(QUANTIZED_LSTM, emitLstm)];
