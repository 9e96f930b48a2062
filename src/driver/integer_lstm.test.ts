// The integer LSTM in compiled models (--integer-only): aten.lstm lowers to cortex_m.quantized_lstm
// (arm_lstm_unidirectional_s8, or _s16 when its activations are int16), the hidden state on the output's grid
// and the cell on an int16 power-of-two grid, both carried through the model's inputs and outputs. Default
// builds keep the float LSTM. The generated C of the same models is compared in integer_lstm_c.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Graph } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { randomFeeds } from "../io/feeds.js";
import { createProgram } from "../runtime/program.js";
import { LSTM_OP } from "../ops/rnn/lstm.js";
import { QUANTIZED_LSTM } from "../ops/cortex_m/lstm.js";
import { nodeMacs } from "../ops/cortex_m/macs.js";
import { decoderOf } from "../ir/bindings.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/cortex_m/quant.js";
import { loadModel } from "../models/index.js";
import { quantizeGraph } from "../quantize/quantize.js";
import { randomSource } from "../quantize/calibrate.js";
import { lowerGraph } from "../lower/pipeline.js";
import { lowerOptions } from "../lower/options.js";
import { buildStages } from "./stages.js";
import { compileConvLstm, CONV_LSTM_CALIB, convLstmModel, convLstmStatelessModel } from "../../test/support/conv_lstm.js";

test("--integer-only conv → LSTM: the LSTM lowers to cortex_m.quantized_lstm (s8; s16 with --precision int16), a default build keeps it float", async () => {
  const s = await compileConvLstm("cortex-m4");
  const lstms = s.final!.nodes.filter((n) => n.op === QUANTIZED_LSTM.name);
  assert.equal(lstms.length, 1);
  assert.ok(!s.final!.nodes.some((n) => n.op === LSTM_OP.name));
  const p = decoderOf(QUANTIZED_LSTM)(lstms[0]!);
  assert.equal(p.precision, "s8");
  assert.deepEqual([p.steps, p.batch, p.inputSize, p.hiddenSize], [6, 1, 5, 6]);
  assert.equal(nodeMacs(lstms[0]!), 6 * 4 * 6 * (5 + 6), "MACs: steps × 4 gates × H × (I + H)");
  assert.deepEqual([p.operands.x.dtype, p.operands.h0?.dtype, p.operands.c0?.dtype], ["i8", "i8", "i16"]);
  // The cell grid is a power of two; forget→cell is 2^-15 and input→cell 2^(-30-p) exactly (mantissa 2^30).
  const cellScale = p.outputs.yc.type.qparams!.scale[0]!;
  assert.equal(cellScale, 2 ** p.cellScalePower);
  assert.deepEqual([p.forgetToCellMultiplier, p.forgetToCellShift], [2 ** 30, -14]);
  assert.deepEqual([p.inputToCellMultiplier, p.inputToCellShift], [2 ** 30, -29 - p.cellScalePower]);
  // h0 is read on Y's grid (the kernel carries its output codes as the hidden state).
  assert.deepEqual(p.operands.h0!.type.qparams!.scale, p.outputs.y.type.qparams!.scale);

  const s16 = await compileConvLstm("cortex-m4", { precision: "int16" });
  const p16 = decoderOf(QUANTIZED_LSTM)(s16.final!.nodes.find((n) => n.op === QUANTIZED_LSTM.name)!);
  assert.equal(p16.precision, "s16");
  assert.deepEqual([p16.operands.x.dtype, p16.outputs.y.dtype, p16.outputs.yh.dtype, p16.outputs.yc.dtype], ["i16", "i16", "i16", "i16"]);
  assert.equal(p16.outputOffset, 0);

  // --int16 on the LSTM (and the conv feeding it, which must then output int16): s16.
  const n16 = await compileConvLstm("cortex-m4", { int16Nodes: ["conv", "lstm.lstm"] });
  assert.equal(decoderOf(QUANTIZED_LSTM)(n16.final!.nodes.find((n) => n.op === QUANTIZED_LSTM.name)!).precision, "s16");

  const d = await buildStages(convLstmModel(), { stage: "final", target: "cortex-m4", calibRandom: CONV_LSTM_CALIB });
  assert.ok(d.final!.nodes.some((n) => n.op === LSTM_OP.name), "default build: float LSTM");
  assert.ok(!d.final!.nodes.some((n) => n.op === QUANTIZED_LSTM.name));
});

/** Streams `calls` random inputs x through `run`, feeding h → h0 and c → c0 (outputs by position y, h, c). */
function stream(run: (f: Record<string, Tensor>) => Tensor[], g: Graph, calls: number, fresh = false): Tensor[][] {
  const outs: Tensor[][] = [];
  let state: [Tensor, Tensor] | null = null;
  for (let k = 0; k < calls; k++) {
    const f = randomFeeds(g, 40 + k);
    const [hName, cName] = [g.inputs[1]!.name, g.inputs[2]!.name];
    f[hName] = state && !fresh ? state[0] : { dtype: "f32", shape: [1, 1, 6], data: new Float32Array(6) };
    f[cName] = state && !fresh ? state[1] : { dtype: "f32", shape: [1, 1, 6], data: new Float32Array(6) };
    const o = run(f);
    outs.push(o);
    state = [o[1]!, o[2]!];
  }
  return outs;
}

test("integer LSTM streamed over 6 calls with h and c carried: close to the float model, and the carried state matters", async () => {
  for (const precision of ["int8", "int16"] as const) {
    const s = await compileConvLstm("cortex-m4", { precision });
    const fg = convLstmModel();
    const prog = createProgram(s.final!, s.plan!);
    const sim = (f: Record<string, Tensor>) => { const o = prog.run(f); return s.final!.outputs.map((v) => o[v.name]!); };
    const flt = (f: Record<string, Tensor>) => { const o = runFloat(fg, f); return fg.outputs.map((v) => o[v.name]!); };
    const q = stream(sim, s.final!, 6);
    const r = stream(flt, fg, 6);
    let sig = 0, err = 0;
    for (let k = 0; k < q.length; k++) {
      for (let i = 0; i < r[k]![0]!.data.length; i++) {
        sig += r[k]![0]!.data[i]! ** 2;
        err += (r[k]![0]!.data[i]! - q[k]![0]!.data[i]!) ** 2;
      }
      // The cell leaves on its grid 2^p: every dequantized value is an integer multiple of it.
      const cellScale = s.final!.nodes.find((n) => n.op === QUANTIZED_LSTM.name)!.outputs[2]!.type.qparams!.scale[0]!;
      assert.ok(q[k]![2]!.data.every((v) => Number.isInteger(v / cellScale)));
    }
    const sqnr = 10 * Math.log10(sig / err);
    console.log(`conv → LSTM --integer-only ${precision}: y over 6 streamed calls (state carried) vs float: SQNR ${sqnr.toFixed(1)} dB`);
    assert.ok(sqnr > (precision === "int8" ? 15 : 25), `${precision}: SQNR ${sqnr}`);
    // Without the carried state the later calls differ: the state really goes through h0 / c0.
    const fresh = stream(sim, s.final!, 3, true);
    assert.notDeepEqual(Array.from(fresh[2]![0]!.data), Array.from(q[2]![0]!.data));
  }
});

test("Silero VAD v5 --integer-only: its LSTM is cortex_m.quantized_lstm, the [2,1,128] state split and joined in float at the model's border", () => {
  const { graph: g, builtin } = loadModel("silero-vad");
  const q = quantizeGraph(g, randomSource(8, { stream: builtin!.stream! }), { integerOnly: true, sqnr: false });
  const { final } = lowerGraph(q.graph, lowerOptions("cortex-m4"));
  assert.ok(!final.nodes.some((n) => n.op === LSTM_OP.name));
  const lstm = final.nodes.find((n) => n.op === QUANTIZED_LSTM.name);
  assert.ok(lstm, "quantized_lstm in the final graph");
  const p = decoderOf(QUANTIZED_LSTM)(lstm);
  assert.deepEqual([p.precision, p.inputSize, p.hiddenSize, p.operands.h0?.dtype, p.operands.c0?.dtype], ["s8", 128, 128, "i8", "i16"]);
  // h0 / c0 are quantized from the float state input (border ops), and Y_c leaves through a dequantize.
  for (const v of [p.operands.h0!, p.operands.c0!]) assert.equal(v.producer?.op, QUANTIZE_PER_TENSOR.name);
  assert.ok(p.outputs.yc.users().every((u) => u.op === DEQUANTIZE_PER_TENSOR.name));
});

test("integer LSTM without initial state, batch 2: starts from zero (h at the output zero point, c 0) on every call, close to float", async () => {
  const fg = convLstmStatelessModel();
  const s = await buildStages(fg, { stage: "final", target: "cortex-m4", calibRandom: CONV_LSTM_CALIB, integerOnly: true });
  const p = decoderOf(QUANTIZED_LSTM)(s.final!.nodes.find((n) => n.op === QUANTIZED_LSTM.name)!);
  assert.deepEqual([p.operands.h0, p.operands.c0, p.batch, p.steps], [null, null, 2, 6]);
  const prog = createProgram(s.final!, s.plan!);
  let sig = 0, err = 0;
  for (const seed of [70, 71, 72]) {
    const f = randomFeeds(fg, seed);
    const want = runFloat(fg, f)[fg.outputs[0]!.name]!.data;
    const got = prog.run(f)[s.final!.outputs[0]!.name]!.data;
    // The same input twice gives the same output: no state survives a call.
    assert.deepEqual(Array.from(prog.run(f)[s.final!.outputs[0]!.name]!.data), Array.from(got));
    for (let i = 0; i < want.length; i++) { sig += want[i]! ** 2; err += (want[i]! - got[i]!) ** 2; }
  }
  const sqnr = 10 * Math.log10(sig / err);
  console.log(`conv → LSTM (batch 2, no initial state) --integer-only int8 vs float: SQNR ${sqnr.toFixed(1)} dB`);
  assert.ok(sqnr > 15, `SQNR ${sqnr}`);
});
