import { IRError } from "../../ir/errors.js";
import { makeType, type TensorType } from "../../ir/graph.js";
import { defineOp } from "../../ir/registry.js";
import { CHANNELS_LAST, need, num, nums, windowOutput } from "./shapes.js";

// Shape rules of the cortex_m dialect (src/lower/CORTEX_M.md is the contract).
// Semantics live in the runtime (src/runtime/ops) and the C emitter (src/emit/ops),
// one file per op family, so the TS simulator and the C code cannot disagree.

const same = (t: TensorType, dtype = t.dtype): TensorType => makeType(dtype, t.shape, t.dimOrder);

defineOp({
  name: "cortex_m.scratch",
  infer: (_i, a) => [makeType("u8", [num(a.bytes, "bytes")])],
});

defineOp({
  name: "cortex_m.quantize_per_tensor",
  unaryElementwise: true,
  traits: { fusableUnary: true },
  infer: ([x]) => {
    const t = need(x, "x");
    if (t.dtype !== "f32") throw new IRError(`quantize expects f32, got ${t.dtype}`);
    return [same(t, "i8")];
  },
});

defineOp({
  name: "cortex_m.dequantize_per_tensor",
  unaryElementwise: true,
  traits: { fusableUnary: true },
  infer: ([x]) => {
    const t = need(x, "x");
    if (t.dtype !== "i8") throw new IRError(`dequantize expects i8, got ${t.dtype}`);
    return [same(t, "f32")];
  },
});

defineOp({
  name: "cortex_m.dequantize_softmax",
  infer: ([x]) => {
    const t = need(x, "x");
    if (t.dtype !== "i8") throw new IRError(`dequantize_softmax expects i8, got ${t.dtype}`);
    return [same(t, "f32")];
  },
});

function convLike(name: string, outChannels: (w: TensorType, a: Record<string, unknown>) => number): void {
  defineOp({
    name,
    traits: { conv: true, reinterpretable: true },
    infer: ([x, w], a) => {
      const xt = need(x, "input");
      const wt = need(w, "weight");
      if (xt.dtype !== "i8" || wt.dtype !== "i8") throw new IRError(`${name} expects int8 input and weight`);
      if (wt.shape.length !== 4) throw new IRError(`${name} weight must be 4-D, got [${wt.shape}]`);
      return [windowOutput(xt, outChannels(wt, a), wt.shape[1]!, wt.shape[2]!, a)];
    },
  });
}
// weight OHWI [O, KH, KW, I/groups]
convLike("cortex_m.quantized_conv2d", (w) => w.shape[0]!);
// weight 1HWC [1, KH, KW, O]
convLike("cortex_m.quantized_depthwise_conv2d", (w) => w.shape[3]!);

defineOp({
  name: "cortex_m.quantized_linear",
  infer: ([x, w]) => {
    const xt = need(x, "input");
    const wt = need(w, "weight");
    const k = xt.shape[xt.shape.length - 1];
    if (wt.shape.length !== 2 || wt.shape[1] !== k) throw new IRError(`linear weight [${wt.shape}] does not match input [${xt.shape}]`);
    return [makeType("i8", [...xt.shape.slice(0, -1), wt.shape[0]!])];
  },
});

function binary(name: string): void {
  defineOp({
    name,
    traits: { inPlace: [0, 1], layoutAgnostic: [0, 1] },
    infer: ([a, b]) => {
      const at = need(a, "a");
      const bt = need(b, "b");
      if (at.shape.join() !== bt.shape.join()) throw new IRError(`${name} needs equal shapes, got [${at.shape}] and [${bt.shape}]`);
      return [same(at)];
    },
  });
}
binary("cortex_m.quantized_add");
binary("cortex_m.quantized_mul");

for (const name of ["cortex_m.quantized_activation", "cortex_m.clamp", "cortex_m.softmax"]) {
  const elementwise = name !== "cortex_m.softmax";
  const traits = elementwise ? { inPlace: [0], layoutAgnostic: [0], fusableUnary: true } : {};
  defineOp({ name, unaryElementwise: elementwise, traits, infer: ([x]) => [same(need(x, "x"))] });
}

function pool(name: string): void {
  defineOp({
    name,
    dataMovement: name.includes("max"),
    traits: { reinterpretable: true },
    infer: ([x], a) => {
      const t = need(x, "x");
      const k = nums(a.kernel_size, "kernel_size");
      return [windowOutput(t, t.shape[1]!, k[0]!, k[1]!, a)];
    },
  });
}
pool("cortex_m.quantized_avg_pool2d");
pool("cortex_m.quantized_max_pool2d");

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

export { CHANNELS_LAST };
