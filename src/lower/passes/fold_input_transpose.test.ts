import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { ModelBuilder } from "../../builder/index.js";
import { verifyGraph } from "../../ir/verify.js";
import { randomSource } from "../../quantize/calibrate.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import { lowerOptions } from "../options.js";
import { lowerGraph } from "../pipeline.js";
import { foldInputTranspose } from "./fold_input_transpose.js";

/** The lowered program (before the clean-up) of NHWC input → permute(perm) → conv. */
function lowered(perm: number[], shape: number[]) {
  const b = new ModelBuilder("t", 2);
  b.output(b.conv2d(b.permute(b.input("x", shape), perm), { out: 4, k: 3, pad: 1 }));
  const q = quantizeGraph(b.build(), randomSource(2, { seed: 1 }), { sqnr: false });
  return lowerGraph(q.graph, lowerOptions("cortex-m4")).lowered;
}

test("FoldInputTranspose: the conv reads the NHWC input when transpose + channels-last clone restore its bytes", () => {
  const g = lowered([0, 3, 1, 2], [1, 8, 6, 3]);
  const conv = g.nodes.find((n) => n.op === "cortex_m.quantized_conv2d")!;
  assert.equal(conv.input(0).producer!.op, "dim_order_ops._clone_dim_order");
  assert.equal(foldInputTranspose.run(g, lowerOptions("cortex-m4")).changed, true);
  verifyGraph(g);
  assert.equal(conv.input(0).producer!.op, "cortex_m.quantize_per_tensor");
  assert.ok(!g.nodes.some((n) => n.op === "aten.permute_copy"));
  assert.equal(foldInputTranspose.run(g, lowerOptions("cortex-m4")).changed, false);
});

test("FoldInputTranspose leaves a transpose whose clone does not restore the bytes", () => {
  const g = lowered([0, 3, 2, 1], [1, 8, 6, 3]);
  assert.equal(foldInputTranspose.run(g, lowerOptions("cortex-m4")).changed, false);
  assert.ok(g.nodes.some((n) => n.op === "aten.permute_copy"));
});
