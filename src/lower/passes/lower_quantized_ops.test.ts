import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelBuilder } from "../../builder/index.js";
import { verifyGraph } from "../../ir/verify.js";
import { lowerOptions } from "../options.js";
import { deadCodeElimination } from "./dce.js";
import { lowerQuantizedOps } from "./lower_quantized_ops.js";
import { countOp, quantizedModel } from "../../../test/support/pass_graphs.js";

const opts = lowerOptions("cortex-m55");

test("LowerQuantizedOps: a quantized conv1d + ReLU becomes one cortex_m conv (ReLU fused); a float op stays", () => {
  const g = quantizedModel((b, x) => b.sqrt(b.relu(b.conv1d(x, { out: 4, k: 3, pad: 1 }))), [1, 3, 8]);
  assert.equal(countOp(g, "aten.convolution"), 1);
  assert.equal(countOp(g, "aten.relu"), 1);
  assert.equal(countOp(g, "cortex_m.quantized_conv2d"), 0);
  assert.equal(lowerQuantizedOps.run(g, opts).changed, true);
  verifyGraph(g);
  assert.equal(countOp(g, "cortex_m.quantized_conv2d"), 1);
  // The replaced float pattern is dead, not yet removed: DCE takes it.
  deadCodeElimination.run(g, opts);
  assert.equal(countOp(g, "aten.convolution"), 0);
  assert.equal(countOp(g, "aten.relu"), 0);
  assert.equal(countOp(g, "aten.sqrt"), 1);
  assert.equal(lowerQuantizedOps.run(g, opts).changed, false);
});

test("LowerQuantizedOps on a float graph: the conv becomes the float cortex_m.conv_f32, the rest stays and records why", () => {
  const b = new ModelBuilder("float", 7);
  b.output(b.relu(b.conv1d(b.input("x", [1, 3, 8]), { out: 4, k: 3, pad: 1 })));
  const g = b.build();
  const w = g.nodes.find((n) => n.op === "aten.convolution")!.inputs[1]!;
  assert.equal(lowerQuantizedOps.run(g, opts).changed, true);
  verifyGraph(g);
  deadCodeElimination.run(g, opts);
  assert.equal(countOp(g, "aten.convolution"), 0);
  const conv = g.nodes.find((n) => n.op === "cortex_m.conv_f32")!;
  // Four output channels per tap: w[oc][ic][k] moves to [ic][k][oc] inside the one block.
  const w4 = conv.inputs[1]!.data!;
  assert.deepEqual(Array.from(w4.slice(0, 4)), [0, 1, 2, 3].map((oc) => w.data![oc * 9]!));
  const relu = g.nodes.find((n) => n.op === "aten.relu")!;
  assert.equal(relu.inputs[0], conv.output);
  assert.equal(typeof relu.meta.notLowered, "string");
  assert.equal(lowerQuantizedOps.run(g, opts).changed, false);
});
