// The 8 conv1d op cases (lowering.md §12.1) as generated C on the host
// (ASan + UBSan) and the emulated Cortex-M55 / M4 / M3: every output byte
// equals the TypeScript int8 runtime's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatVerifyTable, verifyC, type VerifyRow } from "./engines_c.js";
import { assertIdentical, cTargets, feedsOf, smallModel } from "../../test/support/c_models.js";
import { CONV1D_CASES } from "../models/conv1d_cases.js";


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
