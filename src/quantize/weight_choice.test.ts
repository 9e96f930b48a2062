// Per layer, max-abs or MSE-clipped weight scales, chosen by the layer's
// output error on calibration inputs (weight_choice.ts). One weight row where
// MSE clipping pays: the largest weight is 1, the 511 others sit at ±60.5
// max-abs steps (the worst rounding, half a step each), and clipping to 0.99
// puts them within 0.11 of a step for a 0.01 cut of the largest. Inputs that
// meet only the largest weight must choose max-abs; inputs that never meet it
// must choose the clipped, finer scale.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../ops/index.js";
import { ModelBuilder } from "../builder/index.js";
import { mulberry32 } from "../ir/prng.js";
import type { Tensor } from "../ir/tensor.js";
import { feedSetsSource } from "./calibrate.js";
import { quantizeGraph } from "./quantize.js";

const DQ = "quantized_decomposed.dequantize_per_tensor";
const N = 512;

/** w[0] = 1, the others ±60.5/127: half a max-abs step off the grid. */
function row(): Float32Array {
  return Float32Array.from({ length: N }, (_, j) => (j === 0 ? 1 : ((j % 2) * 2 - 1) * (60.5 / 127)));
}

function weightScale(w: Float32Array, inputs: (j: number, run: number) => number) {
  const b = new ModelBuilder("wchoice", 1);
  const x = b.input("x", [1, N]);
  b.output(b.linear(x, { out: 1, weight: w, bias: false, name: "fc" }), "y");
  const g = b.build();
  const sets: Record<string, Tensor>[] = Array.from({ length: 16 }, (_, r) => ({ x: { dtype: "f32", shape: [1, N], data: Float32Array.from({ length: N }, (_, j) => inputs(j, r)) } }));
  const q = quantizeGraph(g, feedSetsSource(sets), { observer: { kind: "minmax" }, progress: false, sqnr: false });
  const fc = q.graph.nodes.find((n) => n.op === "aten.linear")!;
  const dq = fc.inputs[1]!.producer!;
  assert.equal(dq.op, DQ, "linear weights per tensor");
  return { scale: dq.attrs["scale"] as number, row: q.layers.find((l) => l.name === "fc")! };
}

test("weight scales: the layer's output error on calibration data chooses max-abs or MSE clipping", () => {
  const w = row();
  const maxAbsScale = Math.fround(1 / 127);
  const big = new Set([0]);
  const rnd = mulberry32(5);
  const noise = Float32Array.from({ length: 16 * N }, () => rnd() * 2 - 1);

  // Inputs meet only the largest weight: clipping it is the whole error, max-abs (exact for it) must win.
  const onBig = weightScale(w, (j, r) => (big.has(j) ? noise[r * N + j]! : 0));
  assert.equal(onBig.row.weightRange?.by, "output");
  assert.equal(onBig.row.weightRange?.chosen, "maxabs", JSON.stringify(onBig.row.weightRange));
  assert.equal(onBig.scale, maxAbsScale);

  // Inputs never meet it: clipping costs nothing and the clipped grid fits every other weight better.
  const offBig = weightScale(w, (j, r) => (big.has(j) ? 0 : noise[r * N + j]!));
  assert.equal(offBig.row.weightRange?.by, "output");
  assert.equal(offBig.row.weightRange?.chosen, "mse", JSON.stringify(offBig.row.weightRange));
  assert.ok(offBig.scale < maxAbsScale, `clipped scale ${offBig.scale} < max-abs ${maxAbsScale}`);
  assert.ok(offBig.row.weightRange!.error.mse < offBig.row.weightRange!.error.maxabs);
});
