import { test } from "node:test";
import assert from "node:assert/strict";
import { compileSmall, count, stepsFromFakeQuant } from "../../../test/support/lower_small.js";

// Conv2d shapes the lowering must take to CMSIS-NN (name, input NCHW, module).
const CASES = [
  { name: "stride2", input: [1, 3, 9, 9], depthwise: false, opts: { out: 8, k: 3, stride: 2, pad: 1 } },
  { name: "padding2", input: [1, 4, 7, 7], depthwise: false, opts: { out: 4, k: 3, pad: 2 } },
  { name: "dilation2", input: [1, 4, 9, 9], depthwise: false, opts: { out: 6, k: 3, dilation: 2, pad: 2 } },
  { name: "groups2", input: [1, 4, 8, 8], depthwise: false, opts: { out: 8, k: 3, pad: 1, groups: 2 } },
  { name: "groups4", input: [1, 8, 6, 6], depthwise: false, opts: { out: 8, k: 3, pad: 1, groups: 4 } },
  { name: "depthwise_multiplier2", input: [1, 4, 8, 8], depthwise: true, opts: { out: 8, k: 3, pad: 1, groups: 4 } },
  { name: "pointwise_1x1", input: [1, 16, 5, 5], depthwise: false, opts: { out: 8, k: 1 } },
  { name: "asymmetric_kernel_stride", input: [1, 3, 10, 12], depthwise: false, opts: { out: 5, k: [3, 5], stride: [2, 1], pad: [1, 2] } },
];

for (const c of CASES) {
  test(`conv2d case ${c.name} x=[${c.input}] lowers to cortex_m`, () => {
    for (const target of ["cortex-m55", "cortex-m4", "cortex-m0plus"]) {
      const r = compileSmall((b, x) => b.relu(b.conv2d(x, c.opts)), c.input, target);
      const g = r.final;
      assert.equal(count(g, "aten.convolution"), 0, target);
      assert.equal(count(g, "aten.relu"), 0, `${target}: relu fused`);
      assert.equal(count(g, c.depthwise ? "cortex_m.quantized_depthwise_conv2d" : "cortex_m.quantized_conv2d"), 1, target);
      const conv = g.nodes.find((n) => n.op.startsWith("cortex_m.quantized_") && n.op.includes("conv"))!;
      const groups = (c.opts as { groups?: number }).groups ?? 1;
      // Grouped and depthwise kernels index the bias per group: it must never be NULL.
      if (groups > 1) assert.ok(conv.inputs[2], "grouped/depthwise conv gets a real bias");
      // Output keeps NHWC bytes; the input is wrapped to NHWC when it has more than one channel.
      assert.deepEqual(conv.output.type.dimOrder, [0, 2, 3, 1]);
      assert.deepEqual(conv.input(0).type.dimOrder, [0, 2, 3, 1]);
      const { steps, optVsRef } = stepsFromFakeQuant(r);
      assert.equal(optVsRef, 0, `${c.name} on ${target}: ${optVsRef} elements differ between optimized and reference kernels`);
      assert.ok(steps <= 1 + 1e-4, `${c.name} on ${target}: int8 is ${steps} steps from fake-quant`);
    }
  });
}
