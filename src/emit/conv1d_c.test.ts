// The 8 conv1d op cases (lowering.md §12.1) as generated C on the host
// (ASan + UBSan) and the emulated Cortex-M55 / M4 / M3: every output byte
// equals the TypeScript int8 runtime's.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";
import { formatVerifyTable, verifyC, type VerifyRow } from "../driver/engines_c.js";
import { assertIdentical, cTargets, feedsOf, smallModel } from "./testing.js";

// lowering.md §12.1: batch 1, channels-first 3-D input; only conv1d_bias has a bias.
const CONV1D_CASES: { name: string; input: number[]; depthwise: boolean; build: (b: ModelBuilder, x: Value) => Value }[] = [
  { name: "conv1d", input: [1, 2, 8], depthwise: false, build: (b, x) => b.conv1d(x, { out: 4, k: 1, bias: false }) },
  { name: "conv1d_kernel3", input: [1, 4, 16], depthwise: false, build: (b, x) => b.conv1d(x, { out: 8, k: 3, pad: 1, bias: false }) },
  { name: "conv1d_stride", input: [1, 4, 16], depthwise: false, build: (b, x) => b.conv1d(x, { out: 8, k: 3, stride: 2, pad: 1, bias: false }) },
  { name: "conv1d_bias", input: [1, 3, 12], depthwise: false, build: (b, x) => b.conv1d(x, { out: 6, k: 3, pad: 1, bias: true }) },
  { name: "conv1d_pointwise", input: [1, 8, 12], depthwise: false, build: (b, x) => b.conv1d(x, { out: 4, k: 1, bias: false }) },
  { name: "conv1d_large_kernel_stride", input: [1, 1, 64], depthwise: true, build: (b, x) => b.conv1d(x, { out: 16, k: 16, stride: 8, bias: false }) },
  { name: "conv1d_relu", input: [1, 4, 16], depthwise: false, build: (b, x) => b.relu(b.conv1d(x, { out: 8, k: 3, pad: 1, bias: false })) },
  { name: "depthwise_conv1d", input: [1, 4, 16], depthwise: true, build: (b, x) => b.conv1d(x, { out: 4, k: 3, pad: 1, groups: 4, bias: false }) },
];

test("conv1d op cases: generated C = int8 runtime on host and emulated boards", async () => {
  const targets = cTargets();
  const rows: VerifyRow[] = [];
  // Two cases at a time: each build already compiles its sources in parallel.
  const queue = [...CONV1D_CASES];
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const m = smallModel(c.build, c.input);
      const ops = m.final!.nodes.map((n) => n.op);
      assert.ok(ops.includes(c.depthwise ? "cortex_m.quantized_depthwise_conv2d" : "cortex_m.quantized_conv2d"), c.name);
      rows.push(...(await verifyC(m, { model: c.name, name: c.name, targets, steps: feedsOf(m, [11]) })));
    }
  };
  await Promise.all([worker(), worker()]);
  console.log(formatVerifyTable(rows));
  assert.equal(rows.length, CONV1D_CASES.length * targets.length);
  assertIdentical(rows);
});
