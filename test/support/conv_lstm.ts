// The small --integer-only model of the integer LSTM tests (src/driver/integer_lstm*.test.ts): a conv front end
// feeding an LSTM whose hidden and cell states are model inputs and outputs, as a streaming model carries them.
import type { Graph } from "../../src/ir/graph.js";
import { ModelBuilder } from "../../src/builder/index.js";
import { buildStages, type BuildOptions } from "../../src/driver/stages.js";

/** conv1d → relu → [seq, batch, channels] → LSTM(hidden 6), h0 / c0 in, y / h / c out. */
export function convLstmModel(): Graph {
  const b = new ModelBuilder("conv_lstm", 5);
  const x = b.input("x", [1, 4, 8]);
  const h0 = b.input("h0", [1, 1, 6]);
  const c0 = b.input("c0", [1, 1, 6]);
  const f = b.relu(b.conv1d(x, { out: 5, k: 3 }));
  const { y, h, c } = b.lstm(b.permute(f, [2, 0, 1]), h0, c0, { hidden: 6 });
  b.output(y, "y");
  b.output(h, "h");
  b.output(c, "c");
  return b.build();
}

export const CONV_LSTM_CALIB = 16;

/** Compiled to the final stage for `target` with --integer-only (seeded random calibration). */
export function compileConvLstm(target: string, opts: Partial<BuildOptions> = {}) {
  return buildStages(convLstmModel(), { stage: "final", target, calibRandom: CONV_LSTM_CALIB, integerOnly: true, ...opts });
}


/**
 * The same layers with the state kept as Silero keeps it: one [2, 1, H] input holding h and c, split by
 * slices before the LSTM, and one [2, 1, H] output joining Y_h and Y_c by a cat.
 */
export function convLstmStateModel(): Graph {
  const b = new ModelBuilder("conv_lstm_state", 5);
  const x = b.input("x", [1, 4, 8]);
  const state = b.input("state", [2, 1, 6]);
  const f = b.relu(b.conv1d(x, { out: 5, k: 3 }));
  const { y, h, c } = b.lstm(b.permute(f, [2, 0, 1]), b.slice(state, 0, 0, 1), b.slice(state, 0, 1, 2), { hidden: 6 });
  b.output(y, "y");
  b.output(b.cat([h, c], 0), "stateN");
  return b.build();
}

/** convLstmStateModel compiled like compileConvLstm. */
export function compileConvLstmState(target: string, opts: Partial<BuildOptions> = {}) {
  return buildStages(convLstmStateModel(), { stage: "final", target, calibRandom: CONV_LSTM_CALIB, integerOnly: true, ...opts });
}

/** Batch 2 and no initial state (h0, c0 absent: the LSTM starts from zero on every call); y only. */
export function convLstmStatelessModel(): Graph {
  const b = new ModelBuilder("conv_lstm_b2", 5);
  const x = b.input("x", [2, 4, 8]);
  const f = b.relu(b.conv1d(x, { out: 5, k: 3 }));
  b.output(b.lstm(b.permute(f, [2, 0, 1]), null, null, { hidden: 6 }).y, "y");
  return b.build();
}
