// The library in-process: the functions behind the package's entry point
// (the packed-tarball test in test/package/ checks the same entry from outside).
import { test } from "node:test";
import assert from "node:assert/strict";
import { hasHostCompiler } from "./targets/toolchain.js";
import { compile, inspect, ModelBuilder, run, stream, verify, UserError, type Tensor } from "./index.js";

function tiny(): ReturnType<ModelBuilder["build"]> {
  const b = new ModelBuilder("tiny", 0);
  const x = b.input("x", [1, 2, 8]);
  const w = Float32Array.from({ length: 3 * 2 * 3 }, (_, i) => ((i % 5) - 2) / 4);
  b.output(b.relu(b.conv1d(x, { out: 3, k: 3, pad: 1, weight: w, biasValues: Float32Array.of(0.1, 0, -0.1) })), "y");
  return b.build();
}

test("inspect: one report per stage up to the one asked; a builder graph compiles through the same stages as a file", async () => {
  const reps = await inspect(tiny(), { stage: "final", calibRandom: 2 });
  assert.deepEqual(Object.keys(reps), ["import", "quantized", "lowered", "final"]);
  assert.equal(reps.final!.convs!.length, 1);
  assert.equal(reps.final!.convs![0]!.op, "cortex_m.quantized_conv2d");
  const imp = await inspect(tiny(), { stage: "import" });
  assert.deepEqual(Object.keys(imp), ["import"]);
  assert.deepEqual(imp.import!.ops, { "aten.convolution": 1, "aten.relu": 1 });
});

test("compile: report fields name target, precision, calibration and one layer row per quantized layer", async () => {
  const { files, report } = await compile(tiny(), { name: "tiny", target: "cortex-m3", calibRandom: 3, seed: 5 });
  assert.equal(report.target, "cortex-m3");
  assert.equal(report.precision, "int8");
  assert.equal(report.calibration, "3 random samples (seed 5)");
  assert.equal(report.model, "tiny");
  assert.equal(report.layers.length, 1);
  assert.ok(report.arenaBytes >= report.lowerBoundBytes && report.lowerBoundBytes > 0);
  assert.ok(typeof files.get("tiny.h") === "string" && (files.get("tiny.h") as string).includes("tiny_run"));
  assert.equal(report.callerArena, false);
  const caller = await compile(tiny(), { name: "tiny", calibRandom: 3, arena: "caller" });
  assert.equal(caller.report.callerArena, true);
  assert.match(caller.files.get("tiny.h") as string, /tiny_init\(/);
});

test("bad options are UserErrors: a name that is not a C identifier, shape overrides on a builder graph, streaming a model that does not stream", async () => {
  await assert.rejects(compile(tiny(), { name: "1tiny" }), (e: Error) => e instanceof UserError && /not a C identifier/.test(e.message));
  await assert.rejects(compile(tiny(), { inputShape: { x: [1, 2, 16] } }), (e: Error) => e instanceof UserError && /build the graph with the shapes you want/.test(e.message));
  await assert.rejects(stream(tiny(), { audio: new Float32Array(1024) }), (e: Error) => e instanceof UserError && /not a stream model/.test(e.message));
  await assert.rejects(run(tiny(), { inputs: { nope: new Float32Array(16) } }), /no input named nope/);
});

test("stream: silero-vad over three frames equals running the frames one by one with the state carried by hand", async () => {
  const audio = Float32Array.from({ length: 3 * 512 }, (_, i) => 0.3 * Math.sin(i / 7) * Math.sin(i / 300));
  const s = await stream("silero-vad", { audio });
  assert.equal(s.frames.length, 3);
  assert.equal(s.frame, 512);
  let state: Tensor | undefined;
  const context = new Float32Array(64);
  for (let f = 0; f < 3; f++) {
    const input = new Float32Array(576);
    input.set(context);
    input.set(audio.subarray(f * 512, (f + 1) * 512), 64);
    context.set(input.subarray(512));
    const outs = await run("silero-vad", { inputs: { input, ...(state ? { state } : { state: new Float32Array(256) }) } });
    assert.deepEqual([...s.frames[f]!.output!.data], [...outs.output!.data], `frame ${f}`);
    state = outs.stateN!;
  }
});

test("verify: the int8 figures of a builder model, and its generated C on the host gives the simulator's bytes", { skip: hasHostCompiler() ? false : "no host C compiler" }, async () => {
  const r = await verify(tiny(), { calibRandom: 4, engines: ["int8", "host-c"] });
  assert.equal(r.c.length, 1);
  assert.equal(r.c[0]!.target, "host");
  assert.equal(r.c[0]!.identical, true, r.c[0]!.mismatches.join("; "));
  await assert.rejects(verify(tiny(), { engines: ["host-cc"] }), /unknown engine "host-cc"/);
  assert.equal(r.engines.length, 1);
  assert.equal(r.engines[0]!.engine, "int8");
  assert.equal(r.engines[0]!.outputs[0]!.name, "y");
  assert.ok(r.engines[0]!.outputs[0]!.sqnrDb > 20, `SQNR ${r.engines[0]!.outputs[0]!.sqnrDb}`);
});
