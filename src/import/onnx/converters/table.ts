// ONNX op type → converter. Each family lives in its own file.
import { ACTIVATION_CONVERTERS, ACTIVATION_EMITS } from "./activation.js";
import { BROADCAST_CONVERTERS, BROADCAST_EMITS } from "./broadcast.js";
import { CONSTANT_CONVERTERS, CONSTANT_EMITS } from "./constant.js";
import { CONTROL_CONVERTERS, CONTROL_EMITS } from "./control.js";
import { CONV_CONVERTERS, CONV_EMITS } from "./conv.js";
import { ELEMENTWISE_CONVERTERS, ELEMENTWISE_EMITS } from "./elementwise.js";
import { LINEAR_CONVERTERS, LINEAR_EMITS } from "./linear.js";
import { LSTM_CONVERTERS, LSTM_EMITS } from "./lstm.js";
import { NORMALIZATION_CONVERTERS, NORMALIZATION_EMITS } from "./normalization.js";
import { PAD_CONVERTERS, PAD_EMITS } from "./pad.js";
import { QDQ_CONVERTERS, QDQ_EMITS } from "./qdq.js";
import { POOL_CONVERTERS, POOL_EMITS } from "./pool.js";
import { REDUCE_CONVERTERS, REDUCE_EMITS } from "./reduce.js";
import { RESHAPE_CONVERTERS, RESHAPE_EMITS } from "./reshape.js";
import { RESIZE_CONVERTERS, RESIZE_EMITS } from "./resize.js";
import { SLICING_CONVERTERS, SLICING_EMITS } from "./slicing.js";
import type { OpDef } from "../../../ir/registry.js";
import type { Converter } from "./types.js";

/** A family of converters and the ops they may emit (null: a control op whose inlined nodes are checked themselves). */
interface Family {
  converters: Record<string, Converter>;
  emits: readonly OpDef[] | null;
}

const FAMILIES: Family[] = [
  { converters: ACTIVATION_CONVERTERS, emits: ACTIVATION_EMITS },
  { converters: BROADCAST_CONVERTERS, emits: BROADCAST_EMITS },
  { converters: CONSTANT_CONVERTERS, emits: CONSTANT_EMITS },
  { converters: CONTROL_CONVERTERS, emits: CONTROL_EMITS },
  { converters: CONV_CONVERTERS, emits: CONV_EMITS },
  { converters: ELEMENTWISE_CONVERTERS, emits: ELEMENTWISE_EMITS },
  { converters: LINEAR_CONVERTERS, emits: LINEAR_EMITS },
  { converters: LSTM_CONVERTERS, emits: LSTM_EMITS },
  { converters: NORMALIZATION_CONVERTERS, emits: NORMALIZATION_EMITS },
  { converters: PAD_CONVERTERS, emits: PAD_EMITS },
  { converters: POOL_CONVERTERS, emits: POOL_EMITS },
  { converters: QDQ_CONVERTERS, emits: QDQ_EMITS },
  { converters: REDUCE_CONVERTERS, emits: REDUCE_EMITS },
  { converters: RESHAPE_CONVERTERS, emits: RESHAPE_EMITS },
  { converters: RESIZE_CONVERTERS, emits: RESIZE_EMITS },
  { converters: SLICING_CONVERTERS, emits: SLICING_EMITS },
];

export const CONVERTERS: ReadonlyMap<string, Converter> = (() => {
  const m = new Map<string, Converter>();
  for (const fam of FAMILIES) {
    for (const [op, conv] of Object.entries(fam.converters)) {
      if (m.has(op)) throw new Error(`ONNX op ${op} has two converters`);
      m.set(op, conv);
    }
  }
  return m;
})();

/** ONNX op type → the names of the ops its converter may emit (null: not checked, e.g. If). */
export const CONVERTER_EMITS: ReadonlyMap<string, ReadonlySet<string> | null> = new Map(
  FAMILIES.flatMap((fam) => {
    const names = fam.emits ? new Set(fam.emits.map((d) => d.name)) : null;
    return Object.keys(fam.converters).map((op) => [op, names] as const);
  }),
);

/** Every op some converter declares it may emit: what the ONNX importer can produce. */
export function importableOps(): ReadonlySet<string> {
  return new Set(FAMILIES.flatMap((fam) => (fam.emits ?? []).map((d) => d.name)));
}

/** ONNX op types the importer understands, sorted. */
export function supportedOnnxOps(): string[] {
  return [...CONVERTERS.keys()].sort();
}
