// LSTM → aten.lstm (ONNX semantics, gate order i, o, f, c). Only what exported
// PyTorch LSTMs use: forward direction, layout 0, default activations, no peepholes.
import { fmt } from "../context.js";
import { ImportIssue } from "../issue.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";
import { LSTM_OP } from "../../../ops/rnn/lstm.js";

const lstm: Converter = (ctx, n) => {
  const x = ctx.need(n, 0, "X");
  const w = ctx.need(n, 1, "W");
  const r = ctx.need(n, 2, "R");
  const b = ctx.input(n, 3);
  const seqLens = ctx.input(n, 4);
  const h0 = ctx.input(n, 5);
  const c0 = ctx.input(n, 6);
  if (ctx.input(n, 7)) throw new ImportIssue("peephole weights (input P) are not supported");
  const direction = n.str("direction", "forward");
  if (direction !== "forward") throw new ImportIssue(`direction '${direction}' is not supported (only forward)`);
  if (n.int("layout", 0) !== 0) throw new ImportIssue("layout=1 (batch-first) is not supported");
  if (n.int("input_forget", 0) !== 0) throw new ImportIssue("input_forget=1 is not supported");
  if (n.has("clip")) throw new ImportIssue("cell clipping is not supported");
  const acts = n.strs("activations");
  if (acts && acts.join(",").toLowerCase() !== "sigmoid,tanh,tanh") throw new ImportIssue(`activations ${acts.join(",")} are not supported (only Sigmoid,Tanh,Tanh)`);
  if (x.rank !== 3) throw new ImportIssue(`X must be [seq, batch, input], got ${fmt(x.shape)}`);
  const hidden = n.int("hidden_size", r.shape[2] ?? 0);
  if (w.rank !== 3 || w.shape[0] !== 1 || w.shape[1] !== 4 * hidden || w.shape[2] !== x.shape[2]) {
    throw new ImportIssue(`W ${fmt(w.shape)} does not match hidden_size ${hidden} and input ${fmt(x.shape)}`);
  }
  if (seqLens) {
    const lens = ctx.constInts(seqLens, "sequence_lens");
    if (lens.some((l) => l !== x.shape[0])) throw new ImportIssue("sequence_lens shorter than the sequence are not supported");
  }
  return ctx.emit(LSTM_OP.name, [x, w, r, b, h0, c0], { hidden_size: hidden });
};

export const LSTM_CONVERTERS: Record<string, Converter> = { LSTM: lstm };

/** The ops this family's converters may emit (the importer refuses any other: see ImportContext.emit). */
export const LSTM_EMITS: readonly OpDef[] = [LSTM_OP];
