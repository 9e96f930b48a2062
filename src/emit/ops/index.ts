// The emitter table: op name → emit function, one file per op family.
import type { EmitFn } from "./common.js";
import { convEmitters } from "./conv.js";
import { dataMovementEmitters } from "./data_movement.js";
import { elementwiseEmitters } from "./elementwise.js";
import { floatEmitters } from "./float.js";
import { linearEmitters } from "./linear.js";
import { poolEmitters } from "./pool.js";
import { quantEmitters } from "./quant.js";
import { softmaxEmitters } from "./softmax.js";

export const EMITTERS: ReadonlyMap<string, EmitFn> = new Map<string, EmitFn>(Object.entries({
  ...convEmitters,
  ...linearEmitters,
  ...elementwiseEmitters,
  ...poolEmitters,
  ...softmaxEmitters,
  ...quantEmitters,
  ...dataMovementEmitters,
  ...floatEmitters,
}));

export type { EmitFn };
