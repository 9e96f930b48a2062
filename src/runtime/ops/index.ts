// The simulator's bindings: each op family's file binds its prepare functions
// to the op specs (lowered ops receive the spec's decoded record); the ops
// that stay in float run the single-precision kernels (float32.ts); ops not
// bound here run through the float fallback (their registered eval).
import { Bindings } from "../../ir/bindings.js";
import { SCRATCH } from "../../ops/cortex_m/scratch.js";
import type { PrepareFn } from "../context.js";
import { bind } from "./common.js";
import { convBindings } from "./conv.js";
import { dataMovementBindings } from "./data_movement.js";
import { elementwiseBindings } from "./elementwise.js";
import { float32Bindings } from "./float32.js";
import { hypotBindings } from "./hypot.js";
import { stftBindings } from "./stft.js";
import { convF32Bindings } from "./conv_f32.js";
import { requantizeBindings } from "./requantize.js";
import { layoutBindings } from "./layout.js";
import { linearBindings } from "./linear.js";
import { lstmBindings } from "./lstm.js";
import { poolBindings } from "./pool.js";
import { quantBindings } from "./quant.js";
import { s16Bindings } from "./s16.js";
import { softmaxBindings } from "./softmax.js";
import { logSoftmaxBindings } from "./log_softmax.js";

export const RUNTIME_OPS: Bindings<PrepareFn> = new Bindings<PrepareFn>("simulator", [
  bind(SCRATCH, () => null), // an arena slice, read by the op after it
  ...convBindings,
  ...linearBindings,
  ...elementwiseBindings,
  ...softmaxBindings,
  ...logSoftmaxBindings,
  ...s16Bindings,
  ...hypotBindings,
  ...requantizeBindings,
  ...lstmBindings,
  ...poolBindings,
  ...quantBindings,
  ...layoutBindings,
  ...dataMovementBindings,
  // The ops that stay in float: bound by spec, no record (they read the node).
  ...float32Bindings,
  ...stftBindings,
  ...convF32Bindings,
]);

export { prepareFloatFallback } from "./float_fallback.js";
