// --integer-only front end (issue #13 Deliver 3): the STFT magnitude sqrt(a² + b²) and a mean over
// time, as Silero VAD has them, on a small builder model. Default builds keep both in float (the
// magnitude is exact there; the mean ends the int8 region); integer-only builds lower the magnitude
// chain to cortex_m.quantized_hypot (clg_hypot) and the mean to arm_avgpool_s8, leave no float op, stay
// close to float, and their C equals the simulator on the host and on QEMU's Cortex-M3 (soft float),
// with the portable CMSIS-NN subset and the real library.
import "../ops/index.js";
import "../ops/cortex_m/index.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { ModelBuilder } from "../builder/index.js";
import type { Graph, Value } from "../ir/graph.js";
import { randomFeeds } from "../io/feeds.js";
import { firstFloatNode } from "../lower/integer_only.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { planGraph } from "../plan/graph_plan.js";
import { randomSource } from "../quantize/calibrate.js";
import { quantizeGraph } from "../quantize/quantize.js";
import { emitProject, type EmitInput } from "../emit/project.js";
import { formatVerifyTable, verifyC, type CTarget } from "./engines_c.js";
import { assertIdentical, cTargets, realCmsisNn } from "../../test/support/c_models.js";
import { sqnrVsFloat } from "../../test/support/quality.js";

/** x [1, 4, 16] → linear 16→32 → (re, im) halves → sqrt(re² + im²) → linear 16→8 → mean over the last dim → [1, 4]. */
function frontModel(): Graph {
  const b = new ModelBuilder("front", 11);
  const x = b.input("x", [1, 4, 16]);
  const spec = b.linear(x, { out: 32 });
  const re = b.slice(spec, 2, 0, 16);
  const im = b.slice(spec, 2, 16, 32);
  const mag = b.sqrt(b.add(b.pow(re, 2), b.pow(im, 2)));
  const y: Value = b.mean(b.linear(mag, { out: 8 }), [2]);
  b.output(y, "y");
  return b.build();
}

function compile(integerOnly: boolean, target = "cortex-m3", int16Nodes?: string[]): EmitInput {
  const q = quantizeGraph(frontModel(), randomSource(4, { seed: 3 }), { sqnr: false, ...(integerOnly ? { integerOnly } : {}), ...(int16Nodes ? { int16Nodes } : {}) });
  const options = { ...lowerOptions(target), ...(integerOnly ? { integerOnly } : {}) };
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options };
}

const ops = (g: Graph): string[] => g.nodes.map((n) => n.op);


test("default build: the magnitude chain and the final mean stay float (unchanged)", () => {
  const m = compile(false);
  for (const op of ["aten.pow", "aten.add", "aten.sqrt", "aten.mean"]) assert.ok(ops(m.final!).includes(op), `${op} kept in float`);
  assert.ok(!ops(m.final!).includes("cortex_m.quantized_hypot"));
});

for (const [label, int16] of [["int8", undefined], ["int16 magnitude", ["linear"]]] as const) {
  test(`--integer-only (${label}): sqrt(a² + b²) → quantized_hypot, mean → avgpool, no float op; close to float`, () => {
    const m = compile(true, "cortex-m3", int16 ? [...int16] : undefined);
    const g = m.final!;
    assert.equal(firstFloatNode(g)?.name ?? null, null);
    for (const op of ["aten.pow", "aten.add", "aten.sqrt", "aten.mean"]) assert.ok(!ops(g).includes(op), `${op} left`);
    const hyp = g.nodes.find((n) => n.op === "cortex_m.quantized_hypot")!;
    assert.ok(hyp, ops(g).join());
    assert.equal(hyp.inputs[0]!.dtype, int16 ? "i16" : "i8");
    assert.ok(ops(g).includes("cortex_m.quantized_avg_pool2d"));
    const db = sqnrVsFloat(m, frontModel(), [1, 2, 3, 4]);
    console.log(`# integer-only front model (${label}): output SQNR vs float ${db.toFixed(1)} dB`);
    assert.ok(db > 20, `SQNR ${db} dB`);
  });
}

const NN = realCmsisNn();
const M3 = "mps2-an385";

test("--integer-only front model: C on the host and QEMU Cortex-M3 (soft float; portable and real CMSIS-NN) = simulator; no float in the steps", async () => {
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === M3);
  const rows = [];
  for (const int16 of [undefined, ["linear"]]) {
    const m = compile(true, "cortex-m3", int16);
    const project = emitProject(m, { name: "front" });
    const c = project.files.get("front.c") as string;
    assert.ok(c.includes("clg_hypot("), "clg_hypot called");
    const re = /FRONT_STEP_BEGIN\(\d+, "([^"]+)"\);([\s\S]*?)FRONT_STEP_END/g;
    let n = 0;
    for (let s = re.exec(c); s; s = re.exec(c), n++) {
      // The border conversions run only for <name>_run_float (`if (float_io) <float call>; else memcpy`); an int16
      // model input is still converted unconditionally by the emitter (its own step, not this test's ops).
      if (int16 && /^\s*clg_quantize_f32_s16\([^;]*;\s*$/.test(s[2]!)) continue;
      const body = s[2]!.replace(/if \(float_io\)\s*\n\s*clg_(quantize_f32_s(8|16)|dequantize_s(8|16)_f32)\([^;]*;\s*else\s*\n/g, "");
      assert.doesNotMatch(body, /\bfloat\b|\bdouble\b|_f32\b|f32_/, `step ${s[1]} computes in float:\n${s[2]}`);
    }
    assert.ok(n > 3, `${n} steps found`);
    const steps = [1, 2, 3].map((s) => randomFeeds(m.final!, s));
    const tag = int16 ? "int16" : "int8";
    rows.push(...(await verifyC(m, { model: `front ${tag}`, name: "front", project, targets, steps })));
    if (NN) rows.push(...(await verifyC(m, { model: `front ${tag} (real CMSIS-NN)`, name: "front", targets, steps, cmsisNn: NN })));
  }
  console.log(formatVerifyTable(rows));
  assert.ok(rows.length > 0);
  assertIdentical(rows);
});

/** x [1, 16] → linear → view → relu → view → linear: the relu stands alone (a view sits between it and its producer). */
function reluModel(): Graph {
  const b = new ModelBuilder("relu16", 5);
  const x = b.input("x", [1, 16]);
  const h = b.view(b.linear(x, { out: 16 }), [1, 16, 1]);
  b.output(b.linear(b.view(b.relu(h), [1, 16]), { out: 4 }), "y");
  return b.build();
}

test("--integer-only: a relu after an int16 producer is an int16 clamp (clg_clamp_s16); close to float, C = simulator", async () => {
  const q = quantizeGraph(reluModel(), randomSource(4, { seed: 3 }), { sqnr: false, integerOnly: true, int16Nodes: ["linear"] });
  const options = { ...lowerOptions("cortex-m3"), integerOnly: true };
  const { final } = lowerGraph(q.graph, options);
  const m: EmitInput = { final, plan: planGraph(final), options };
  const clamp = final.nodes.find((n) => n.op === "cortex_m.clamp")!;
  assert.ok(clamp, final.nodes.map((n) => n.op).join());
  assert.equal(clamp.inputs[0]!.dtype, "i16");
  assert.equal(clamp.attrs.activation_min, 0); // relu on a symmetric int16 grid: codes below 0 are clamped
  // The int16 program follows the float model closely (the relu really clamps: without it the output moves).
  const db = sqnrVsFloat(m, reluModel(), [5, 6, 7]);
  console.log(`# relu after int16 linear: output SQNR vs float ${db.toFixed(1)} dB`);
  assert.ok(db > 35, `SQNR ${db} dB`);
  const project = emitProject(m, { name: "relu16" });
  assert.ok((project.files.get("relu16.c") as string).includes("clg_clamp_s16("));
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === M3);
  const rows = await verifyC(m, { model: "relu int16", name: "relu16", project, targets, steps: [1, 2].map((s) => randomFeeds(final, s)) });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
});

/** x [1, 16] → linear → pow(·, 2) → linear [→ relu → sqrt] → linear: a square and a root that are no magnitude. */
function squareModel(withSqrt: boolean): Graph {
  const b = new ModelBuilder("square", 5);
  const x = b.input("x", [1, 16]);
  let y = b.linear(b.pow(b.linear(x, { out: 16 }), 2), { out: 16 });
  if (withSqrt) y = b.sqrt(b.relu(y));
  b.output(b.linear(y, { out: 4 }), "y");
  return b.build();
}

test("--integer-only: pow(x, 2) → elementwise mul of x with itself (s8, s16), a lone sqrt → int8 table; default build keeps both float; C = simulator", async () => {
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === M3);
  const rows = [];
  for (const [withSqrt, int16, mul] of [[true, undefined, "cortex_m.quantized_mul"], [false, ["linear", "pow", "linear_2", "linear_3"], "cortex_m.quantized_mul_s16"]] as const) {
    const model = () => squareModel(withSqrt);
    const calib = randomSource(4, { seed: 3 });
    const dflt = lowerGraph(quantizeGraph(model(), calib, { sqnr: false }).graph, lowerOptions("cortex-m3")).final;
    assert.ok(ops(dflt).includes("aten.pow") && (!withSqrt || ops(dflt).includes("aten.sqrt")), `default: ${ops(dflt).join()}`);
    const q = quantizeGraph(model(), calib, { sqnr: false, integerOnly: true, ...(int16 ? { int16Nodes: [...int16] } : {}) });
    const options = { ...lowerOptions("cortex-m3"), integerOnly: true };
    const { final } = lowerGraph(q.graph, options);
    assert.equal(firstFloatNode(final)?.name ?? null, null);
    const sq = final.nodes.find((n) => n.op === mul && n.name.startsWith("pow"))!;
    assert.ok(sq && sq.inputs[0] === sq.inputs[1], ops(final).join());
    if (withSqrt) assert.equal(final.nodes.find((n) => n.name.startsWith("sqrt"))?.op, "cortex_m.quantized_activation");
    const m: EmitInput = { final, plan: planGraph(final), options };
    const db = sqnrVsFloat(m, model(), [5, 6, 7]);
    const tag = withSqrt ? "int8 square + sqrt table" : "int16 square";
    console.log(`# ${tag}: output SQNR vs float ${db.toFixed(1)} dB`);
    assert.ok(db > 20, `${tag}: SQNR ${db} dB`);
    rows.push(...(await verifyC(m, { model: tag, name: "square", targets, steps: [1, 2].map((s) => randomFeeds(final, s)) })));
  }
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
});

test("--integer-only: int8 ↔ int16 borders are integer requantizations (cortex_m.requantize), not float; default keeps the float pair; C = simulator", async () => {
  const model = (): Graph => {
    const b = new ModelBuilder("border", 5);
    const x = b.input("x", [1, 16]);
    b.output(b.linear(b.relu(b.linear(b.relu(b.linear(x, { out: 16 })), { out: 16 })), { out: 4 }), "y");
    return b.build();
  };
  const calib = randomSource(4, { seed: 3 });
  const int16Nodes = ["linear_2"];
  const dflt = lowerGraph(quantizeGraph(model(), calib, { sqnr: false, int16Nodes }).graph, lowerOptions("cortex-m3")).final;
  assert.ok(!ops(dflt).includes("cortex_m.requantize"));
  assert.notEqual(firstFloatNode(dflt), null, "the default build's border is float");
  const options = { ...lowerOptions("cortex-m3"), integerOnly: true };
  const { final } = lowerGraph(quantizeGraph(model(), calib, { sqnr: false, integerOnly: true, int16Nodes }).graph, options);
  assert.equal(firstFloatNode(final)?.name ?? null, null);
  const borders = final.nodes.filter((n) => n.op === "cortex_m.requantize").map((n) => `${n.inputs[0]!.dtype}->${n.output.dtype}`);
  assert.deepEqual(borders.sort(), ["i16->i8", "i8->i16"]);
  const m: EmitInput = { final, plan: planGraph(final), options };
  const db = sqnrVsFloat(m, model(), [5, 6, 7]);
  console.log(`# int8 → int16 → int8 borders in integer: output SQNR vs float ${db.toFixed(1)} dB`);
  assert.ok(db > 25, `SQNR ${db} dB`);
  const targets = cTargets().filter((t): t is CTarget => t === "host" || t === M3);
  const rows = await verifyC(m, { model: "borders", name: "border", targets, steps: [1, 2].map((s) => randomFeeds(final, s)) });
  console.log(formatVerifyTable(rows));
  assertIdentical(rows);
});
