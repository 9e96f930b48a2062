// ONNX op type → converter. Each family lives in its own file.
import { ACTIVATION_CONVERTERS } from "./activation.js";
import { CONSTANT_CONVERTERS } from "./constant.js";
import { CONTROL_CONVERTERS } from "./control.js";
import { CONV_CONVERTERS } from "./conv.js";
import { ELEMENTWISE_CONVERTERS } from "./elementwise.js";
import { LINEAR_CONVERTERS } from "./linear.js";
import { LSTM_CONVERTERS } from "./lstm.js";
import { PAD_CONVERTERS } from "./pad.js";
import { POOL_CONVERTERS } from "./pool.js";
import { REDUCE_CONVERTERS } from "./reduce.js";
import { RESHAPE_CONVERTERS } from "./reshape.js";
import { RESIZE_CONVERTERS } from "./resize.js";
import { SLICING_CONVERTERS } from "./slicing.js";
import type { Converter } from "./types.js";

const FAMILIES: Record<string, Converter>[] = [
  ACTIVATION_CONVERTERS, CONSTANT_CONVERTERS, CONTROL_CONVERTERS, CONV_CONVERTERS, ELEMENTWISE_CONVERTERS,
  LINEAR_CONVERTERS, LSTM_CONVERTERS, PAD_CONVERTERS, POOL_CONVERTERS, REDUCE_CONVERTERS, RESHAPE_CONVERTERS,
  RESIZE_CONVERTERS, SLICING_CONVERTERS,
];

export const CONVERTERS: ReadonlyMap<string, Converter> = (() => {
  const m = new Map<string, Converter>();
  for (const fam of FAMILIES) {
    for (const [op, conv] of Object.entries(fam)) {
      if (m.has(op)) throw new Error(`ONNX op ${op} has two converters`);
      m.set(op, conv);
    }
  }
  return m;
})();

/** ONNX op types the importer understands, sorted. */
export function supportedOnnxOps(): string[] {
  return [...CONVERTERS.keys()].sort();
}
