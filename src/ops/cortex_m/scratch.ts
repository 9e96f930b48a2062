// cortex_m.scratch: a kernel's working buffer (cmsis_nn_context), a u8 value
// the planner places in the arena next to the op that reads it. It computes
// nothing; the reading op takes the slice (a 0-byte scratch means NULL).
import { makeType } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { fail, intAttr } from "./decode.js";
import { num } from "./shapes.js";

export interface ScratchParams {
  bytes: number;
}

export const SCRATCH = defineOp<ScratchParams>({
  name: "cortex_m.scratch",
  infer: (_i, a) => [makeType("u8", [num(a.bytes, "bytes")])],
  decode: (node) => {
    const bytes = intAttr(node, "bytes");
    if (bytes < 0) fail(node, `bytes must not be negative, got ${bytes}`);
    if (node.inputs.length !== 0) fail(node, "takes no inputs");
    return { bytes };
  },
});
