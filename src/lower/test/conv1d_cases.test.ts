import { test } from "node:test";
import assert from "node:assert/strict";
import { compileSmall, count, stepsFromFakeQuant } from "../../../test/support/lower_small.js";
import { CONV1D_CASES } from "../../models/conv1d_cases.js";


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
      const { steps, optVsRef } = stepsFromFakeQuant(r);
      assert.equal(optVsRef, 0, `${c.name} on ${target}: ${optVsRef} elements differ between optimized and reference kernels`);
      console.log(`${c.name} ${target}: int8 vs fake-quant ${steps.toFixed(3)} steps`);
      assert.ok(steps <= 1 + 1e-4, `${c.name} on ${target}: ${steps} steps`);
    }
  });
}
