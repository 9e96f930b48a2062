import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelBuilder } from "../../builder/index.js";
import type { Value } from "../../ir/graph.js";
import { compileSmall, count, stepsFromFakeQuant } from "./helpers.js";

// The 8 conv1d op cases of the reference backend (lowering.md §12.1).
export const CONV1D_CASES: { name: string; input: number[]; depthwise: boolean; build: (b: ModelBuilder, x: Value) => Value }[] = [
  { name: "conv1d", input: [1, 2, 8], depthwise: false, build: (b, x) => b.conv1d(x, { out: 4, k: 1, bias: false }) },
  { name: "conv1d_kernel3", input: [1, 4, 16], depthwise: false, build: (b, x) => b.conv1d(x, { out: 8, k: 3, pad: 1, bias: false }) },
  { name: "conv1d_stride", input: [1, 4, 16], depthwise: false, build: (b, x) => b.conv1d(x, { out: 8, k: 3, stride: 2, pad: 1, bias: false }) },
  { name: "conv1d_bias", input: [1, 3, 12], depthwise: false, build: (b, x) => b.conv1d(x, { out: 6, k: 3, pad: 1, bias: true }) },
  { name: "conv1d_pointwise", input: [1, 8, 12], depthwise: false, build: (b, x) => b.conv1d(x, { out: 4, k: 1, bias: false }) },
  { name: "conv1d_large_kernel_stride", input: [1, 1, 64], depthwise: true, build: (b, x) => b.conv1d(x, { out: 16, k: 16, stride: 8, bias: false }) },
  { name: "conv1d_relu", input: [1, 4, 16], depthwise: false, build: (b, x) => b.relu(b.conv1d(x, { out: 8, k: 3, pad: 1, bias: false })) },
  { name: "depthwise_conv1d", input: [1, 4, 16], depthwise: true, build: (b, x) => b.conv1d(x, { out: 4, k: 3, pad: 1, groups: 4, bias: false }) },
];

for (const c of CONV1D_CASES) {
  test(`conv1d case ${c.name} x=[${c.input}] lowers to one ${c.depthwise ? "depthwise" : "conv2d"}`, () => {
    for (const target of ["cortex-m55", "cortex-m4", "cortex-m3"]) {
      const r = compileSmall(c.build, c.input, target);
      for (const g of [r.lowered, r.final]) {
        assert.equal(count(g, "cortex_m.quantized_conv2d"), c.depthwise ? 0 : 1, `${target} conv2d count`);
        assert.equal(count(g, "cortex_m.quantized_depthwise_conv2d"), c.depthwise ? 1 : 0, `${target} depthwise count`);
        assert.equal(count(g, "cortex_m.quantize_per_tensor"), 1);
        assert.equal(count(g, "cortex_m.dequantize_per_tensor"), 1);
        assert.equal(count(g, "aten.convolution"), 0);
        assert.equal(count(g, "aten.relu"), 0);
      }
      // The int8 kernels on the lowered graph vs the fake-quant reference: within one step everywhere.
      const steps = stepsFromFakeQuant(r);
      console.log(`${c.name} ${target}: int8 vs fake-quant ${steps.toFixed(3)} steps`);
      assert.ok(steps <= 1 + 1e-4, `${c.name} on ${target}: ${steps} steps`);
    }
  });
}
