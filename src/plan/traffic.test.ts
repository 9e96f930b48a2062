import { test } from "node:test";
import assert from "node:assert/strict";
import { Graph, type Value } from "../ir/graph.js";
import { planGraph } from "./graph_plan.js";
import { trafficOf } from "./traffic.js";
import { assertGraphPlanSafe, constant, i8, op1, ty } from "../../test/support/plan_checks.js";

const NHWC = [0, 2, 3, 1];

function conv(g: Graph, x: Value, cout: number, hw: number, scratchBytes: number): Value {
  const cin = x.shape[1]!;
  const s = op1(g, "cortex_m.scratch", [], ty("u8", [scratchBytes]), { bytes: scratchBytes });
  const w = constant(g, "w", "i8", [cout, 1, 1, cin]);
  const b = constant(g, "b", "i32", [cout]);
  const m = constant(g, "m", "i32", [cout]);
  const sh = constant(g, "sh", "i32", [cout]);
  return op1(g, "cortex_m.quantized_conv2d", [x, w, b, m, sh, s], i8([1, cout, hw, hw], NHWC));
}

test("per-op bytes: activations, weights and scratch of a conv", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 4, 2, 2], NHWC));
  const y = conv(g, x, 8, 2, 40);
  g.outputs = [y];
  const p = planGraph(g);
  assertGraphPlanSafe(g, p);
  const t = trafficOf(g, p);
  assert.equal(t.perOp.length, 1, "the scratch node is not a run-time op");
  const c = t.perOp[0]!;
  assert.equal(c.kind, "compute");
  assert.equal(c.readBytes, 16); // 1·4·2·2 int8
  assert.equal(c.writeBytes, 32); // 1·8·2·2
  assert.equal(c.weightBytes, 8 * 4 + 3 * 8 * 4); // OHWI int8 + bias, multipliers, shifts int32
  assert.equal(c.scratchBytes, 40);
  assert.equal(t.totalBytes, 16 + 32 + 128 + 40);
  assert.equal(t.layoutBytes, 0);
});

test("layout ops between two convs are counted; layout at the graph edges is not", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 4, 2, 2]));
  // NCHW input → NHWC for the first conv (edge: not between convs).
  const xin = op1(g, "dim_order_ops._clone_dim_order", [x], i8([1, 4, 2, 2], NHWC), { dim_order: NHWC });
  const a = conv(g, xin, 4, 2, 0);
  // Unwrap / wrap chain between the convs: NHWC → NCHW, view, quantize-free relu, back to NHWC.
  const u = op1(g, "dim_order_ops._clone_dim_order", [a], i8([1, 4, 2, 2]), { dim_order: [0, 1, 2, 3] });
  const r = op1(g, "aten.relu", [u], i8([1, 4, 2, 2]));
  const w = op1(g, "dim_order_ops._clone_dim_order", [r], i8([1, 4, 2, 2], NHWC), { dim_order: NHWC });
  const b = conv(g, w, 4, 2, 0);
  // After the last conv: a transpose and a flattening view to the output (edge).
  const tr = op1(g, "cortex_m.transpose", [b], i8([1, 4, 2, 2]), { perm: [0, 3, 1, 2] });
  g.outputs = [op1(g, "aten.view_copy", [tr], i8([1, 16]), { size: [1, 16] })];
  const p = planGraph(g);
  assertGraphPlanSafe(g, p);
  const t = trafficOf(g, p);
  const layouts = t.perOp.filter((o) => o.kind === "layout");
  assert.deepEqual(layouts.map((o) => o.op), [
    "dim_order_ops._clone_dim_order",
    "dim_order_ops._clone_dim_order",
    "dim_order_ops._clone_dim_order",
    "cortex_m.transpose",
    "aten.view_copy",
  ]);
  // Every layout op moves 16 bytes in and 16 out, except the aliased final view.
  assert.equal(p.aliases.size, 1);
  assert.equal(t.layoutBytes, 4 * 32);
  assert.equal(t.layoutBytesBetweenConvs, 2 * 32);
  assert.equal(t.computeBytes + t.layoutBytes, t.totalBytes);
});

test("a layout op leading to a non-conv op is not between convs", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 4, 2, 2], NHWC));
  const a = conv(g, x, 4, 2, 0);
  const u = op1(g, "cortex_m.pad", [a], i8([1, 4, 4, 4], NHWC), { pre_pad: [0, 1, 1, 0], post_pad: [0, 1, 1, 0], pad_value: 0 });
  g.outputs = [op1(g, "cortex_m.softmax", [u], i8([1, 4, 4, 4], NHWC))];
  const t = trafficOf(g, planGraph(g));
  assert.equal(t.layoutBytes, 16 + 64);
  assert.equal(t.layoutBytesBetweenConvs, 0);
});

test("a LUT activation between the unwrap and the wrap keeps the chain (YOLO's conv → SiLU → conv)", () => {
  const g = new Graph();
  const x = g.addInput("x", i8([1, 4, 2, 2], NHWC));
  const a = conv(g, x, 4, 2, 0);
  const u = op1(g, "dim_order_ops._clone_dim_order", [a], i8([1, 4, 2, 2]), { dim_order: [0, 1, 2, 3] });
  const s = op1(g, "cortex_m.quantized_activation", [u, constant(g, "lut", "i8", [256])], i8([1, 4, 2, 2]), { function: "silu" });
  const w = op1(g, "dim_order_ops._clone_dim_order", [s], i8([1, 4, 2, 2], NHWC), { dim_order: NHWC });
  g.outputs = [conv(g, w, 4, 2, 0)];
  const t = trafficOf(g, planGraph(g));
  assert.equal(t.layoutBytesBetweenConvs, 2 * 32);
  // A binary op ends the chain: it is not a wrap/unwrap step.
  const h = new Graph();
  const y = h.addInput("y", i8([1, 4, 2, 2], NHWC));
  const b = conv(h, y, 4, 2, 0);
  const ub = op1(h, "dim_order_ops._clone_dim_order", [b], i8([1, 4, 2, 2]), { dim_order: [0, 1, 2, 3] });
  const sum = op1(h, "cortex_m.quantized_add", [ub, ub], i8([1, 4, 2, 2]));
  const wb = op1(h, "dim_order_ops._clone_dim_order", [sum], i8([1, 4, 2, 2], NHWC), { dim_order: NHWC });
  h.outputs = [conv(h, wb, 4, 2, 0)];
  assert.equal(trafficOf(h, planGraph(h)).layoutBytesBetweenConvs, 0);
});
