// Pre-quantized (QDQ) ONNX models: written in onnxruntime's QDQ format
// (QuantizeLinear → DequantizeLinear around activations, int8 weight
// initializers and int32 biases read through DequantizeLinear) by the
// project's exporter from a graph quantized here, then imported as a user's
// model. They compile without calibration, onnxruntime's int8 execution of the
// file agrees with the compiled program within one output step, uint8
// activations (onnxruntime's default U8S8 format) give the very same program as
// int8, and the generated C equals the simulator on the host and the M4.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../ops/index.js";
import "../../../ops/cortex_m/index.js";
import { ModelBuilder } from "../../../builder/index.js";
import { buildStages } from "../../../driver/stages.js";
import { assertIdentical, HOST_CC, ARM } from "../../../../test/support/c_models.js";
import { formatVerifyTable, referenceRuns, verifyC, type CTarget } from "../../../driver/engines_c.js";
import { exportOnnx } from "../../../export/onnx.js";
import type { Graph } from "../../../ir/graph.js";
import { randomFeeds } from "../../../io/feeds.js";
import { randomSource } from "../../../quantize/calibrate.js";
import { IMPORTED_QPARAMS } from "../../../quantize/imported.js";
import { quantizeGraph } from "../../../quantize/quantize.js";
import { Q_OP, DQ_OP } from "../../../quantize/insert_qdq.js";
import { importOnnx } from "../import.js";
import { runOrt } from "../../../../test/support/ort_compare.js";
import { UserError } from "../../../ir/errors.js";

/** A small CNN with every quantized layer kind a vision QDQ model has: conv+relu, pool, depthwise, 1×1 conv, linear. */
function floatModel(): Graph {
  const b = new ModelBuilder("qdq_cnn", 5);
  const x = b.input("x", [1, 3, 12, 12]);
  let y = b.relu(b.conv2d(x, { out: 8, k: 3, pad: 1 }));
  y = b.maxpool2d(y, { k: 2 });
  y = b.relu(b.depthwise2d(y, { k: 3, pad: 1 }));
  y = b.conv2d(y, { out: 6, k: 1 });
  b.output(b.linear(b.flatten(y), { out: 5 }), "logits");
  return b.build();
}

/** The model as its author would ship it: quantized (seeded calibration), exported as QDQ ONNX. */
function qdqGraph(): Graph {
  return quantizeGraph(floatModel(), randomSource(8, { seed: 11 }), { sqnr: false }).graph;
}

/**
 * onnxruntime's default QDQ format (QUInt8 activations, QInt8 weights): every
 * activation Q/DQ pair moved to uint8 with zero point + 128 (the same real grid).
 */
function toUint8Activations(g: Graph): Graph {
  for (const n of g.nodes) {
    if (n.op !== Q_OP || n.input(0).isConst()) continue;
    n.attrs = { ...n.attrs, dtype: "u8", zero_point: (n.attrs.zero_point as number) + 128, quant_min: 0, quant_max: 255 };
    n.output.type.dtype = "u8";
    for (const u of n.output.users()) {
      assert.equal(u.op, DQ_OP);
      u.attrs = { ...u.attrs, dtype: "u8", zero_point: (u.attrs.zero_point as number) + 128 };
    }
  }
  return g;
}

const outScale = (g: Graph): number => g.outputs[0]!.producer!.attrs.scale as number;

test("a QDQ model (int8 and uint8 activations) compiles without calibration and matches onnxruntime within one step", async () => {
  const int8 = exportOnnx(qdqGraph());
  const uint8 = exportOnnx(toUint8Activations(qdqGraph()));
  // The files really are QDQ models: onnxruntime's operators, uint8 zero points in the second.
  const imported = importOnnx(uint8, { name: "qdq_u8" });
  assert.ok(imported.nodes.some((n) => n.op === Q_OP), "imported QuantizeLinear becomes the project's quantize op");
  // uint8 codes are carried as int8, exactly (zp − 128).
  for (const n of imported.nodes.filter((k) => k.op === Q_OP)) assert.equal(n.attrs.dtype, "i8");

  const s8 = await buildStages(int8, { stage: "final", target: "cortex-m4" });
  const u8 = await buildStages(uint8, { stage: "final", target: "cortex-m4" });
  for (const s of [s8, u8]) {
    assert.equal(s.calibration, IMPORTED_QPARAMS);
    assert.equal(s.quantized!.calibration.runs, 0, "nothing was observed");
    const ops = s.final!.opCounts();
    assert.equal(ops["cortex_m.quantized_conv2d"], 2, JSON.stringify(ops));
    assert.equal(ops["cortex_m.quantized_depthwise_conv2d"], 1, JSON.stringify(ops));
    assert.equal(ops["cortex_m.quantized_linear"], 1, JSON.stringify(ops));
    assert.deepEqual(s.json.final!.float, [], "no layer stays float");
  }
  // Both files describe one program: same weights, same outputs bit for bit.
  const ref = s8.model.graph;
  const steps = [0, 1, 2, 3].map((seed) => randomFeeds(ref, 40 + seed));
  const emit = (s: typeof s8) => ({ final: s.final!, plan: s.plan!, options: s.options! });
  const a = referenceRuns(emit(s8), steps);
  const b = referenceRuns(emit(u8), steps);
  // (The lowered program names its output after the dequantize it ends with.)
  const out = (s: typeof s8, o: (typeof a)[number]) => o[s.final!.outputs[0]!.name]!.data;
  a.forEach((o, i) => assert.deepEqual(Array.from(out(u8, b[i]!)), Array.from(out(s8, o)), `uint8 vs int8 step ${i}`));

  // onnxruntime executes the QDQ file with its int8 kernels (QLinearConv, QGemm after its QDQ fusion).
  const step = outScale(s8.quantized!.graph);
  let worst = 0;
  let differ = 0;
  for (const [i, feeds] of steps.entries()) {
    const ort = await runOrt(uint8, feeds);
    const want = ort.logits!.data;
    const got = out(s8, a[i]!);
    assert.equal(got.length, want.length);
    for (let k = 0; k < got.length; k++) {
      const d = Math.abs(got[k]! - Number(want[k]!));
      worst = Math.max(worst, d);
      if (d > 0) differ++;
    }
  }
  console.log(`QDQ model vs onnxruntime: max |Δ| = ${(worst / step).toFixed(3)} steps (step ${step.toExponential(3)}), ${differ} of ${steps.length * 5} outputs differ`);
  assert.ok(worst <= step * (1 + 1e-5), `max |Δ| ${worst} exceeds one step ${step}`);
});

test("a QDQ model's generated C equals the simulator on the host and the emulated M4", { skip: !HOST_CC && "no host compiler" }, async () => {
  const s = await buildStages(exportOnnx(toUint8Activations(qdqGraph())), { stage: "final", target: "cortex-m4" });
  const m = { final: s.final!, plan: s.plan!, options: s.options! };
  const targets: CTarget[] = ["host", ...(ARM ? (["mps2-an386"] as const) : [])];
  const rows = await verifyC(m, { model: "qdq_cnn", name: "qdq_cnn", targets, steps: [7, 8].map((k) => randomFeeds(s.final!, k)) });
  console.log(formatVerifyTable(rows));
  assert.equal(rows.length, targets.length);
  assertIdentical(rows);
});

test("a QDQ layer missing its output QuantizeLinear is refused with one line naming it", async () => {
  const g = qdqGraph();
  // Take the Q/DQ pair off the first convolution's output (the relu tail's): the maxpool now reads float.
  const q = g.nodes.find((n) => n.op === Q_OP && n.input(0).producer?.op === "aten.relu")!;
  const dq = q.output.users()[0]!;
  g.replaceAllUses(dq.output, q.input(0));
  g.dce();
  await assert.rejects(buildStages(exportOnnx(g), { stage: "quantized" }), (e: Error) => {
    assert.ok(e instanceof UserError, String(e));
    assert.match(e.message, /pre-quantized model: node .* has no QuantizeLinear after it/);
    assert.ok(!e.message.includes("\n"));
    return true;
  });
});
