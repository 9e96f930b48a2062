// Shared by the lowering tests (not a test file): a builder model quantized and
// lowered end to end, op counts, and the distance to the fake-quant graph.
import "../../src/ops/index.js";
import "../../src/ops/cortex_m/index.js";
import { ModelBuilder } from "../../src/builder/index.js";
import type { Graph, Value } from "../../src/ir/graph.js";
import { quantizeGraph } from "../../src/quantize/quantize.js";
import { randomSource } from "../../src/quantize/calibrate.js";
import { lowerGraph } from "../../src/lower/pipeline.js";
import { lowerOptions } from "../../src/lower/options.js";

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

import { runFloat } from "../../src/interp/float.js";
import { randomFeeds } from "../../src/io/feeds.js";
import { planGraph } from "../../src/plan/graph_plan.js";
import { createProgram } from "../../src/runtime/program.js";

/**
 * Largest difference, in quantization steps of the output, between the
 * lowered program run with the int8 kernels and the fake-quant (Q/DQ) graph
 * run by the float interpreter, over a few seeded inputs; and how many output
 * elements the optimized kernels and the plain reference kernels disagree on.
 */
export function stepsFromFakeQuant(r: ReturnType<typeof compileSmall>, seeds = [1, 2, 3]): { steps: number; optVsRef: number } {
  const final = r.final;
  const plan = planGraph(final);
  const program = createProgram(final, plan);
  const reference = createProgram(final, plan, { reference: true });
  const out = final.outputs[0]!;
  const deq = out.producer!;
  const scale = deq.attrs.scale as number;
  let worst = 0;
  let optVsRef = 0;
  for (const seed of seeds) {
    const feeds = randomFeeds(r.float, seed);
    const got = Object.values(program.run(feeds))[0]!.data;
    const ref = Object.values(reference.run(feeds))[0]!.data;
    const want = Object.values(runFloat(r.quantized, feeds))[0]!.data;
    for (let i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / scale);
      if (!Object.is(got[i], ref[i])) optVsRef++;
    }
  }
  return { steps: worst, optVsRef };
}
