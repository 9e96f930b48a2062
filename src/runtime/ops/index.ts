// The runtime's op table: op name → prepare function. Each op family lives in
// its own file and exports its rows; the ops that stay in float run the
// single-precision kernels (float32.ts); ops missing here run through the
// float fallback (their registered eval).
import type { PrepareFn } from "../context.js";
import { convOps } from "./conv.js";
import { dataMovementOps } from "./data_movement.js";
import { elementwiseOps } from "./elementwise.js";
import { float32Ops } from "./float32.js";
import { layoutOps } from "./layout.js";
import { linearOps } from "./linear.js";
import { minMaxOps } from "./minmax.js";
import { poolOps } from "./pool.js";
import { quantOps } from "./quant.js";
import { softmaxOps } from "./softmax.js";

export const RUNTIME_OPS: ReadonlyMap<string, PrepareFn> = new Map<string, PrepareFn>(Object.entries({
  "cortex_m.scratch": () => null, // an arena slice, read by the op after it
  ...convOps,
  ...linearOps,
  ...elementwiseOps,
  ...minMaxOps,
  ...softmaxOps,
  ...poolOps,
  ...quantOps,
  ...float32Ops,
  ...layoutOps,
  ...dataMovementOps,
}));

export { prepareFloatFallback } from "./float_fallback.js";
