import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { ModelBuilder } from "../../builder/index.js";
import type { Graph, Value } from "../../ir/graph.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import { randomSource } from "../../quantize/calibrate.js";
import { lowerGraph } from "../pipeline.js";
import { lowerOptions } from "../options.js";

/** Build → quantize (random calibration) → lower → clean up a small model. */
export function compileSmall(build: (b: ModelBuilder, x: Value) => Value, inputShape: number[], target = "cortex-m55") {
  const b = new ModelBuilder("case", 7);
  const x = b.input("x", inputShape);
  b.output(build(b, x));
  const float = b.build();
  const q = quantizeGraph(float, randomSource(4, { seed: 3 }), { sqnr: false });
  const stages = lowerGraph(q.graph, lowerOptions(target));
  return { float, quantized: q.graph, ...stages };
}

export function count(g: Graph, op: string): number {
  return g.nodes.filter((n) => n.op === op).length;
}
