import { makeType } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { need, nums } from "./shapes.js";

// Data-movement ops of the cortex_m dialect (the other families have a file each:
// conv.ts, linear.ts, elementwise.ts, pool.ts, quant.ts, softmax.ts, scratch.ts).

/** pre_pad / post_pad are in physical (dim_order) order, as arm_pad_s8 takes them. */
defineOp({
  name: "cortex_m.pad",
  dataMovement: true,
  traits: { layout: true },
  infer: ([x], a) => {
    const t = need(x, "x");
    const pre = nums(a.pre_pad, "pre_pad");
    const post = nums(a.post_pad, "post_pad");
    const shape = [...t.shape];
    t.dimOrder.forEach((logical, phys) => {
      shape[logical] = shape[logical]! + pre[phys]! + post[phys]!;
    });
    return [makeType(t.dtype, shape, t.dimOrder)];
  },
});

/** perm is logical; output is contiguous in the permuted logical order. */
defineOp({
  name: "cortex_m.transpose",
  dataMovement: true,
  traits: { layout: true },
  infer: ([x], a) => {
    const t = need(x, "x");
    const perm = nums(a.perm, "perm");
    return [makeType(t.dtype, perm.map((p) => t.shape[p]!))];
  },
});
