// Small graphs for the unit tests of the lowering passes: the layout ops by
// name, and a builder model quantized with random calibration (the Q/DQ graph
// the lowering passes start from).
import "../../src/ops/index.js";
import "../../src/ops/cortex_m/index.js";
import { ModelBuilder } from "../../src/builder/index.js";
import type { Graph, Value } from "../../src/ir/graph.js";
import { randomSource } from "../../src/quantize/calibrate.js";
import { quantizeGraph } from "../../src/quantize/quantize.js";

export const NHWC = [0, 2, 3, 1];
export const NCHW = [0, 1, 2, 3];

/** Op names without their namespace, in schedule order: what a test compares before and after a pass. */
export function opsOf(g: Graph): string[] {
  return g.nodes.map((n) => n.op.split(".").pop()!);
}

/** Number of nodes running `op` (full name). */
export function countOp(g: Graph, op: string): number {
  return g.nodes.filter((n) => n.op === op).length;
}

export function clone(g: Graph, x: Value, order: number[]): Value {
  return g.op("dim_order_ops._clone_dim_order", [x], { dim_order: order });
}

export function view(g: Graph, x: Value, size: number[]): Value {
  return g.op("aten.view_copy", [x], { size });
}

/** Build a one-input model and quantize it (random calibration, fixed seeds): the graph lowering starts from. */
export function quantizedModel(build: (b: ModelBuilder, x: Value) => Value, inputShape: number[]): Graph {
  const b = new ModelBuilder("case", 7);
  const x = b.input("x", inputShape);
  b.output(build(b, x));
  return quantizeGraph(b.build(), randomSource(2, { seed: 3 }), { sqnr: false, progress: false }).graph;
}
