// int8 transposed convolution (issue #14): a quantized 2-D aten.convolution with transposed
// weights lowers to cortex_m.quantized_transpose_conv2d (arm_transpose_conv_wrapper_s8). Two
// layers cover both CMSIS-NN paths: C_IN 24 at stride 2 takes the reverse-conv path (flipped
// filter through arm_convolve_s8), C_IN 8 the row-scatter arm_transpose_conv_s8; one has a bias,
// one padding and output_padding. The int8 program stays close to float, and the generated C
// equals the simulator byte for byte on the host and the emulated boards, with the portable
// subset and with the real CMSIS-NN.
import "../ops/index.js";
import "../ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelBuilder } from "../builder/index.js";
import type { Graph } from "../ir/graph.js";
import { randomFeeds } from "../io/feeds.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { planGraph } from "../plan/graph_plan.js";
import { randomSource } from "../quantize/calibrate.js";
import { quantizeGraph } from "../quantize/quantize.js";
import type { EmitInput } from "../emit/project.js";
import { formatVerifyTable, verifyC } from "./engines_c.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { sqnrVsFloat } from "../../test/support/quality.js";

const TCONV = "cortex_m.quantized_transpose_conv2d";
const seq = (n: number, scale: number, shift = 0) => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 1.3 + shift) * scale));

/** x [1, 3, 5, 5] → conv 3→24 → relu → convT 24→8 (k2 s2, bias) → relu → convT 8→4 (k3 s2 pad 1, output_padding 1, no bias). */
function model(): Graph {
  const b = new ModelBuilder("tconv", 13);
  const x = b.input("x", [1, 3, 5, 5]);
  const c = b.relu(b.conv2d(x, { out: 24, k: 3, pad: 1 }));
  const t1 = b.relu(b.graph.op("aten.convolution", [c, b.param("w1", [24, 8, 2, 2], seq(24 * 8 * 4, 0.3)), b.param("b1", [8], seq(8, 0.1, 2))],
    { stride: [2, 2], padding: [0, 0], dilation: [1, 1], groups: 1, transposed: true, output_padding: [0, 0] } as never));
  const t2 = b.graph.op("aten.convolution", [t1, b.param("w2", [8, 4, 3, 3], seq(8 * 4 * 9, 0.4, 1)), null],
    { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1, transposed: true, output_padding: [1, 1] } as never);
  b.output(t2, "y");
  return b.build();
}

function compile(target: string): EmitInput {
  const q = quantizeGraph(model(), randomSource(4, { seed: 3 }), { sqnr: false });
  const options = lowerOptions(target);
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options };
}


test("quantized ConvTranspose lowers to arm_transpose_conv_wrapper_s8, no float op, NHWC end to end, close to float", () => {
  for (const target of ["cortex-m55", "cortex-m4", "cortex-m3"]) {
    const m = compile(target);
    const ops = m.final!.nodes.map((n) => n.op);
    assert.equal(ops.filter((o) => o === TCONV).length, 2, `${target}: ${ops.join(", ")}`);
    assert.ok(!ops.includes("aten.convolution"), `${target}: a convolution stayed float`);
    // Only the model's own input and output cross a layout change: none between the convs.
    const between = m.final!.nodes.filter((n) => n.op.endsWith("clone_dim_order") || n.op.endsWith("permute_copy"));
    assert.ok(between.length <= 2, `${target}: layout ops ${between.map((n) => n.name).join(", ")}`);
    const reverse = m.final!.nodes.filter((n) => n.op === TCONV && n.inputs[6]);
    assert.equal(reverse.length, 1, "the C_IN 24 layer takes the reverse-conv path");
    const db = sqnrVsFloat(m, model(), [1, 2, 3]);
    console.log(`# tconv ${target}: int8 vs float SQNR ${db.toFixed(2)} dB`);
    assert.ok(db > 25, `${target}: SQNR ${db} dB`);
  }
});

test("quantized ConvTranspose: C = simulator (portable subset and real CMSIS-NN)", async () => {
  const rows = [];
  const NN = realCmsisNn();
  for (const [target, board] of [["cortex-m55", "mps3-an547"], ["cortex-m4", "mps2-an386"]] as const) {
    const m = compile(target);
    const steps = [1, 2].map((s) => randomFeeds(m.final!, s));
    const targets = cTargets().filter((t) => t === "host" || t === board);
    rows.push(...(await verifyC(m, { model: `tconv ${target}`, name: "tconv", targets, steps })));
    if (NN) rows.push(...(await verifyC(m, { model: `tconv ${target} (real CMSIS-NN)`, name: "tconv", targets, steps, cmsisNn: NN })));
  }
  console.log(formatVerifyTable(rows));
  assert.ok(rows.length > 0);
  assertIdentical(rows);
});
