// Layout propagation on graphs as other people write them (issue 14): a
// concat with a constant channel block, a pad, a nearest upsample, and an
// NHWC model input transposed to NCHW for its first conv. After the clean-up
// no layout op is left between two convs (the pad itself is the one data op
// that stays), `--io-layout nhwc` leaves none at all, the clean-up changes no
// output byte (the lowered program before it = the final program), and the
// generated C equals the simulator on the host.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../ops/index.js";
import "../../ops/cortex_m/index.js";
import { ModelBuilder } from "../../builder/index.js";
import type { Graph, Node, Value } from "../../ir/graph.js";
import { traitsOf } from "../../ir/registry.js";
import { randomFeeds } from "../../io/feeds.js";
import { planGraph } from "../../plan/graph_plan.js";
import { createProgram } from "../../runtime/program.js";
import { randomSource } from "../../quantize/calibrate.js";
import { quantizeGraph } from "../../quantize/quantize.js";
import { lowerOptions } from "../options.js";
import { lowerGraph } from "../pipeline.js";
import { verifyC } from "../../driver/engines_c.js";
import { assertIdentical, HOST_CC } from "../../../test/support/c_models.js";
import { PAD_OP } from "../../ops/shape/pad.js";

type Build = (b: ModelBuilder) => Value;
const conv = (b: ModelBuilder, x: Value, out: number, pad = 1): Value => b.relu(b.conv2d(x, { out, k: 3, pad }));

const CASES: Record<string, Build> = {
  // Detectors pad channels with a constant block: cat([y, zeros], dim=1).
  "concat with a constant": (b) => {
    const y = conv(b, b.input("x", [1, 3, 8, 8]), 6);
    const z = b.constant("zeros", [1, 2, 8, 8], new Float32Array(128));
    return b.conv2d(b.cat([y, z], 1), { out: 4, k: 3, pad: 1 });
  },
  "concat with a constant in front": (b) => {
    const y = conv(b, b.input("x", [1, 3, 8, 8]), 6);
    const z = b.constant("ramp", [1, 1, 8, 8], Float32Array.from({ length: 64 }, (_, i) => (i % 9) / 9));
    return b.conv2d(b.cat([z, y], 1), { out: 4, k: 3, pad: 1 });
  },
  // A zero pad (asymmetric) folds into the conv's padding.
  "zero pad": (b) => b.conv2d(b.pad(conv(b, b.input("x", [1, 3, 8, 8]), 6), [1, 2, 0, 1]), { out: 4, k: 3 }),
  // A pad of another value is data: it stays, and channels-last flows through it.
  "pad of 0.5": (b) => b.conv2d(b.pad(conv(b, b.input("x", [1, 3, 8, 8]), 6), [1, 1, 1, 1], "constant", 0.5), { out: 4, k: 3 }),
  "nearest upsample": (b) => b.conv2d(b.upsampleNearest2d(conv(b, b.input("x", [1, 3, 6, 6]), 6), { scale: 2 }), { out: 4, k: 3, pad: 1 }),
  // PP-LCNetV3 / MobileNetV3 blocks: a learnable affine a·x + b (scalar constants) around a
  // hardswish, and a squeeze-and-excitation gate x · clamp(0.2·conv(mean(x)) + 0.5, 0, 1), whose
  // [N,C,1,1] factor the int8 mul repeats over H×W.
  "affine block and squeeze-and-excitation gate": (b) => {
    const y = b.add(b.mul(b.hardswish(b.add(b.mul(conv(b, b.input("x", [1, 3, 8, 8]), 6), 1.3), -0.2)), 0.9), 0.1);
    const gate = b.clamp(b.add(b.mul(b.conv2d(b.mean(y, [2, 3], true), { out: 6, k: 1 }), 0.2), 0.5), 0, 1);
    return b.conv2d(b.mul(y, gate), { out: 4, k: 3, pad: 1 });
  },
  // An NHWC model input transposed to NCHW for the first conv (TF/Keras exports).
  "NHWC input transpose": (b) => b.conv2d(conv(b, b.permute(b.input("x", [1, 8, 8, 3]), [0, 3, 1, 2]), 6), { out: 4, k: 3, pad: 1 }),
};

const isConv = (n: Node): boolean => traitsOf(n.op).conv === true;
const isLayout = (n: Node): boolean => traitsOf(n.op).layout === true && n.op !== "aten.view_copy";

/** Layout ops with a conv before and after them on some data path (through any ops). */
function layoutOpsBetweenConvs(g: Graph): string[] {
  const after = new Set<Node>();
  for (const n of g.nodes) if (n.inputs.some((v) => v?.producer && (isConv(v.producer) || after.has(v.producer)))) after.add(n);
  const before = new Set<Node>();
  for (const n of [...g.nodes].reverse()) if (n.outputs.some((o) => o.users().some((u) => isConv(u) || before.has(u)))) before.add(n);
  return g.nodes.filter((n) => isLayout(n) && after.has(n) && before.has(n)).map((n) => n.op);
}

function compile(build: Build, ioLayout: "nchw" | "nhwc") {
  const b = new ModelBuilder("case", 9);
  b.output(build(b));
  const q = quantizeGraph(b.build(), randomSource(4, { seed: 2 }), { sqnr: false });
  const options = lowerOptions("cortex-m4", ioLayout);
  const { lowered, final } = lowerGraph(q.graph, options);
  return { lowered, final, options };
}

function run(g: Graph, feeds: ReturnType<typeof randomFeeds>): number[] {
  const out = createProgram(g, planGraph(g)).run(feeds);
  return Array.from(out[g.outputs[0]!.name]!.data);
}

for (const [name, build] of Object.entries(CASES)) {
  test(`layout: ${name} — no layout op between convs, none with --io-layout nhwc, same bytes, C = simulator`, async () => {
    for (const io of ["nchw", "nhwc"] as const) {
      const { lowered, final, options } = compile(build, io);
      const keptPad = (n: string) => !(n === PAD_OP.name && name === "pad of 0.5");
      assert.deepEqual(layoutOpsBetweenConvs(final).filter(keptPad), [], `${name} (${io}): layout ops between convs`);
      if (name === "zero pad") assert.ok(!final.nodes.some((n) => n.op === PAD_OP.name), "the zero pad became conv padding");
      if (io === "nhwc") assert.deepEqual(final.nodes.filter(isLayout).map((n) => n.op).filter(keptPad), [], `${name}: layout ops left with --io-layout nhwc`);
      // The clean-up moves bytes around, never changes them: the program before it gives the same outputs.
      for (const seed of [1, 2]) {
        const feeds = randomFeeds(final, seed);
        assert.deepEqual(run(final, feeds), run(lowered, { ...feeds, ...randomFeeds(lowered, seed) }), `${name} (${io}) seed ${seed}`);
      }
      if (HOST_CC && io === "nchw") {
        const rows = await verifyC({ final, plan: planGraph(final), options }, { model: name, name: "case", targets: ["host"], steps: [randomFeeds(final, 5)] });
        assertIdentical(rows);
      }
    }
  });
}

test("layout: a transpose that does not restore the input's bytes is kept (and the outputs agree)", () => {
  // [0,3,2,1] reads the NHWC input as N,C,W,H: the clone after it does not give back the input's bytes.
  const build: Build = (b) => b.conv2d(b.permute(b.input("x", [1, 8, 6, 3]), [0, 3, 2, 1]), { out: 4, k: 3, pad: 1 });
  const { lowered, final } = compile(build, "nchw");
  assert.ok(final.nodes.some((n) => n.op === "aten.permute_copy"), final.nodes.map((n) => n.op).join(", "));
  const feeds = randomFeeds(final, 3);
  assert.deepEqual(run(final, feeds), run(lowered, feeds));
});
