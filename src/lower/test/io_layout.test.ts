import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import { ModelBuilder } from "../../builder/index.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import { randomSource } from "../../quantize/calibrate.js";
import { lowerGraph } from "../pipeline.js";
import { lowerOptions } from "../options.js";

const LAYOUT = ["aten.view_copy", "dim_order_ops._clone_dim_order", "aten.permute_copy", "cortex_m.transpose"];

function convOnly(kind: "1d" | "2d") {
  const b = new ModelBuilder(`conv${kind}`, 11);
  let x = b.input("x", kind === "1d" ? [1, 8, 32] : [1, 8, 12, 12]);
  for (let i = 0; i < 3; i++) x = b.relu(kind === "1d" ? b.conv1d(x, { out: 8, k: 3, pad: 1 }) : b.conv2d(x, { out: 8, k: 3, pad: 1 }));
  b.output(x);
  return quantizeGraph(b.build(), randomSource(2, { seed: 1 }), { sqnr: false, progress: false }).graph;
}

for (const kind of ["1d", "2d"] as const) {
  test(`--io-layout nhwc: a conv${kind}-only model has no layout op at all`, () => {
    const q = convOnly(kind);
    const nchw = lowerGraph(q, lowerOptions("cortex-m55", "nchw")).final;
    const nhwc = lowerGraph(q, lowerOptions("cortex-m55", "nhwc")).final;
    const layout = (g: typeof nchw) => g.nodes.filter((n) => LAYOUT.includes(n.op)).map((n) => n.op);
    console.log(`conv${kind}: layout ops with nchw io: ${layout(nchw).length} (${layout(nchw).join(", ")}); with nhwc io: ${layout(nhwc).length}`);
    assert.ok(layout(nchw).length > 0);
    assert.deepEqual(layout(nhwc), []);
    // The boundary values now say they hold channels-last bytes.
    const rank = nhwc.inputs[0]!.rank;
    assert.deepEqual(nhwc.inputs[0]!.type.dimOrder, rank === 3 ? [0, 2, 1] : [0, 2, 3, 1]);
    assert.deepEqual(nhwc.outputs[0]!.type.dimOrder, rank === 3 ? [0, 2, 1] : [0, 2, 3, 1]);
  });
}
