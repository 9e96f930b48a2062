// The conv rewrites chosen for the real library (trimmed padding-only taps,
// one-input-channel depthwise as a regular conv) give the same output bytes as
// the conv lowered as written, in the simulator, on every core class.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { ModelBuilder } from "../../builder/index.js";
import type { Graph, Value } from "../../ir/graph.js";
import { randomFeeds } from "../../io/feeds.js";
import { planGraph } from "../../plan/graph_plan.js";
import { randomSource } from "../../quantize/calibrate.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import { createProgram } from "../../runtime/program.js";
import { buildStages } from "../../driver/stages.js";
import { lowerOptions } from "../options.js";
import { lowerGraph } from "../pipeline.js";
import { sliceTaps, trimAxis } from "../substitutions/conv_trim.js";

test("trimAxis keeps exactly the taps some output applies to a real input (hand-worked cases)", () => {
  // Wav2Letter layer 18's shape: K=32, pad 16 over 2 rows → 3 outputs; output o reads row o − 16 + t,
  // so rows 0..1 are met by taps 14..17 only.
  assert.deepEqual(trimAxis({ len: 2, outLen: 3, k: 32, stride: 1, pad: 16, padEnd: 16, dilation: 1 }), { first: 14, k: 4, pad: 2, padEnd: 2 });
  // Every tap meets the input somewhere: nothing to trim.
  assert.equal(trimAxis({ len: 10, outLen: 10, k: 3, stride: 1, pad: 1, padEnd: 1, dilation: 1 }), null);
  // Dilation 2, K=5, pad 4 over 3 rows: output o reads o − 4 + 2t; taps 1..3 meet rows 0..2.
  assert.deepEqual(trimAxis({ len: 3, outLen: 3, k: 5, stride: 1, pad: 4, padEnd: 4, dilation: 2 }), { first: 1, k: 3, pad: 2, padEnd: 2 });
  // Stride 3, K=4, pad 3 over 4 rows (2 outputs, o reads 3o − 3 + t): output 1 meets rows 0..3 with every tap.
  assert.deepEqual(trimAxis({ len: 4, outLen: 2, k: 4, stride: 3, pad: 3, padEnd: 0, dilation: 1 }), null);
  // Only padding everywhere (no tap meets the input): left alone.
  assert.equal(trimAxis({ len: 1, outLen: 1, k: 2, stride: 1, pad: 5, padEnd: 0, dilation: 1 }), null);
});

test("sliceTaps keeps the named taps of each output/input channel pair", () => {
  // [O=2, I=1, KH=3, KW=2], values 0..11; keep rows 1..2 and column 1.
  const data = Int8Array.from({ length: 12 }, (_, i) => i);
  const r = sliceTaps(data, [2, 1, 3, 2], [[1, 2], [1, 1]]);
  assert.deepEqual(r.shape, [2, 1, 2, 1]);
  assert.deepEqual([...r.data], [3, 5, 9, 11]);
});

function lowered(build: (b: ModelBuilder, x: Value) => Value, shape: number[], target: string, asWritten: boolean) {
  const b = new ModelBuilder("case", 5);
  const x = b.input("x", shape);
  b.output(build(b, x));
  const float = b.build();
  const q = quantizeGraph(float, randomSource(4, { seed: 9 }), { sqnr: false });
  const { final } = lowerGraph(q.graph, { ...lowerOptions(target), asWritten });
  return { float, final };
}

function convNode(g: Graph) {
  return g.nodes.find((n) => n.op === "cortex_m.quantized_conv2d" || n.op === "cortex_m.quantized_depthwise_conv2d")!;
}

/** Output bytes of the lowered program and of the program lowered as written, element by element. */
function assertSameBytes(a: Graph, b: Graph, float: Graph, label: string): void {
  const pa = createProgram(a, planGraph(a));
  const pb = createProgram(b, planGraph(b));
  for (const seed of [1, 2, 3]) {
    const feeds = randomFeeds(float, seed);
    const ya = Object.values(pa.run(feeds))[0]!.data;
    const yb = Object.values(pb.run(feeds))[0]!.data;
    assert.equal(ya.length, yb.length, label);
    for (let i = 0; i < ya.length; i++) assert.ok(Object.is(ya[i], yb[i]), `${label} seed ${seed}: element ${i} ${ya[i]} vs ${yb[i]}`);
  }
}

const TARGETS = ["cortex-m55", "cortex-m4", "cortex-m3"];

test("a conv1d whose taps mostly meet padding (K=32, pad 16, length 2) runs trimmed, same bytes", () => {
  const build = (b: ModelBuilder, x: Value) => b.relu(b.conv1d(x, { out: 6, k: 32, pad: 16 }));
  for (const target of TARGETS) {
    const t = lowered(build, [1, 5, 2], target, false);
    const w = lowered(build, [1, 5, 2], target, true);
    const ct = convNode(t.final);
    const cw = convNode(w.final);
    const taps = (n: ReturnType<typeof convNode>) => (n.attrs.filter_dims as number[])[1]! * (n.attrs.filter_dims as number[])[2]!;
    assert.equal(taps(cw), 32, target);
    assert.equal(taps(ct), 4, `${target}: taps 14..17 kept`);
    assert.equal(ct.attrs.trimmed_taps !== undefined, true);
    assertSameBytes(t.final, w.final, t.float, target);
  }
});

test("a conv2d with padding-only taps on both axes runs trimmed, same bytes", () => {
  const build = (b: ModelBuilder, x: Value) => b.conv2d(x, { out: 4, k: [5, 7], pad: [2, 3] });
  for (const target of TARGETS) {
    const t = lowered(build, [1, 3, 2, 3], target, false);
    const w = lowered(build, [1, 3, 2, 3], target, true);
    const ft = convNode(t.final).attrs.filter_dims as number[];
    const fw = convNode(w.final).attrs.filter_dims as number[];
    assert.deepEqual(fw.slice(1, 3), [5, 7]);
    assert.ok(ft[1]! < 5 && ft[2]! < 7, `${target}: trimmed to ${ft}`);
    assertSameBytes(t.final, w.final, t.float, target);
  }
});

test("a depthwise conv1d with padding-only taps runs trimmed, same bytes", () => {
  const build = (b: ModelBuilder, x: Value) => b.depthwise1d(x, { k: 9, pad: 4 });
  for (const target of TARGETS) {
    const t = lowered(build, [1, 6, 2], target, false);
    const w = lowered(build, [1, 6, 2], target, true);
    assert.equal(convNode(t.final).op, "cortex_m.quantized_depthwise_conv2d", target);
    const ft = convNode(t.final).attrs.filter_dims as number[];
    // Output o reads position o − 4 + t over 2 positions: taps 3..5 meet the input.
    assert.equal(ft[1]! * ft[2]!, 3, `${target}: ${ft}`);
    assertSameBytes(t.final, w.final, t.float, target);
  }
});

test("a one-input-channel conv1d (Silero's STFT shape) runs as a regular conv where the cost model says so, same bytes as depthwise", () => {
  const build = (b: ModelBuilder, x: Value) => b.conv1d(x, { out: 20, k: 16, stride: 8 });
  for (const target of TARGETS) {
    const t = lowered(build, [1, 1, 64], target, false);
    const w = lowered(build, [1, 1, 64], target, true);
    assert.equal(convNode(w.final).op, "cortex_m.quantized_depthwise_conv2d", target);
    assert.equal(convNode(t.final).op, "cortex_m.quantized_conv2d", `${target}: ${convNode(t.final).attrs.layout_reason}`);
    assertSameBytes(t.final, w.final, t.float, target);
  }
});

test("silero-vad compiled for cortex-m55 needs an arena of at most 8 KB (the STFT conv needs no transposed filter copy)", async () => {
  const s = await buildStages("silero-vad", { stage: "final", target: "cortex-m55" });
  const stft = s.final!.nodes.find((n) => n.name.endsWith("stft/Conv_1"))!;
  assert.equal(stft.op, "cortex_m.quantized_conv2d");
  assert.ok(s.plan!.arenaBytes <= 8192, `arena ${s.plan!.arenaBytes} B`);
});
