// The C generator's bindings, one file per op family: lowered ops' emitters
// receive the spec's decoded record. Each family also names the profiler
// category of its ops (cmsis-lower profile), so an op's category is wherever
// its emitter is bound.
import { Bindings, type Binding } from "../../ir/bindings.js";
import type { EmitFn } from "./common.js";
import { convEmitters } from "./conv.js";
import { dataMovementEmitters, layoutEmitters } from "./data_movement.js";
import { elementwiseEmitters } from "./elementwise.js";
import { floatEmitters } from "./float.js";
import { hypotEmitters, hypotF32Emitters } from "./hypot.js";
import { stftEmitters } from "./stft.js";
import { convF32Emitters } from "./conv_f32.js";
import { requantizeEmitters } from "./requantize.js";
import { linearEmitters } from "./linear.js";
import { lstmEmitters } from "./lstm.js";
import { poolEmitters } from "./pool.js";
import { quantEmitters } from "./quant.js";
import { s16Emitters } from "./s16.js";
import { softmaxEmitters } from "./softmax.js";
import { logSoftmaxEmitters } from "./log_softmax.js";

export const STEP_CATEGORIES = ["conv", "layout", "data_movement", "quantize", "float", "other_int8"] as const;
export type StepCategory = (typeof STEP_CATEGORIES)[number];

const FAMILIES: readonly (readonly [StepCategory, readonly Binding<EmitFn>[]])[] = [
  ["conv", convEmitters],
  ["conv", linearEmitters],
  ["other_int8", elementwiseEmitters],
  ["other_int8", poolEmitters],
  ["other_int8", softmaxEmitters],
  ["other_int8", logSoftmaxEmitters],
  ["other_int8", s16Emitters],
  ["other_int8", hypotEmitters],
  ["quantize", requantizeEmitters],
  ["other_int8", lstmEmitters],
  ["quantize", quantEmitters],
  ["layout", layoutEmitters],
  ["data_movement", dataMovementEmitters],
  // The ops that stay in float: bound by spec, no record (they read the node).
  ["float", floatEmitters],
  ["float", stftEmitters],
  ["float", convF32Emitters],
  ["float", hypotF32Emitters],
];

export const EMITTERS: Bindings<EmitFn> = new Bindings<EmitFn>("C generator", FAMILIES.flatMap(([, rows]) => rows));

const CATEGORY: ReadonlyMap<string, StepCategory> = new Map(FAMILIES.flatMap(([c, rows]) => rows.map((r) => [r.op, c] as const)));

/** The profiler category of a lowered op (other_int8 for an op without an emitter). */
export function opCategory(op: string): StepCategory {
  return CATEGORY.get(op) ?? "other_int8";
}

export type { EmitFn };
