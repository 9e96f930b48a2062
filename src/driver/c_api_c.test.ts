// The generated C API as a firmware engineer meets it: model names that are
// not C (an output `score*/prob"\n`, an input `int`) give a header that
// compiles warning-free with the names kept escaped, and the same bytes as the
// simulator; the caller-arena streaming example (examples/stream_vad) runs two
// instances of silero-vad-16k interleaved on the host and on QEMU's Cortex-M4
// board, carrying the int8 state with the generated helper, and gives the
// simulator's per-frame probabilities; too small, misaligned and NULL arenas
// return the documented codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelBuilder } from "../builder/index.js";
import { buildStages } from "./stages.js";
import { referenceRuns, verifyC, type Feeds } from "./engines_c.js";
import { randomFeeds } from "../io/feeds.js";
import { dequantizeValue, quantizeValue } from "../ops/quant/rounding.js";
import { synthesizeAudio } from "../io/synth_audio.js";
import { lowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { planGraph } from "../plan/graph_plan.js";
import { randomSource } from "../quantize/calibrate.js";
import { quantizeGraph } from "../quantize/quantize.js";
import { exec } from "../targets/build.js";
import { repoRoot } from "../targets/toolchain.js";
import { runProgram } from "../targets/run.js";
import { buildForBoard, buildForHost } from "../emit/board_build.js";
import { emitProject, writeProject, type EmitInput } from "../emit/project.js";
import { assertIdentical, boardTargets, HOST_CC } from "../../test/support/c_models.js";

const CRAFTED = 'score*/prob"\n';

/** A small conv + linear model whose input is named `int` and whose outputs have names that are not C. */
function craftedModel(): EmitInput {
  const b = new ModelBuilder("crafted", 5);
  const x = b.input("int", [1, 3, 8, 8]);
  const c = b.relu(b.conv2d(x, { out: 4, k: 3, pad: 1 }));
  const l = b.linear(b.flatten(c, 1), { out: 6 });
  b.output(b.softmax(l, 1), CRAFTED);
  b.output(l, "x/*y*/??/z");
  const float = b.build();
  const q = quantizeGraph(float, randomSource(4, { seed: 3 }), { sqnr: false });
  const options = lowerOptions("cortex-m4");
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options, float };
}

test("names that are not C: valid header, original names escaped, -Wall -Wextra -Werror build, C = simulator", { skip: !HOST_CC && "no host gcc" }, async () => {
  const m = craftedModel();
  const p = emitProject(m, { name: "net", source: "models/evil*/name.onnx" });
  const h = p.files.get("net.h")!;
  // Parameters are the names made identifiers: `int` is a keyword, the others lose their punctuation.
  assert.match(h, /int net_run\(const int8_t \*int_, int8_t \*score_prob, int8_t \*x_y_z\);/);
  assert.match(h, /int net_run_float\(const float \*int_, float \*score_prob, float \*x_y_z\);/);
  // The original names, as C string literals (quote, '?' and newline escaped) and inside comments.
  assert.ok(h.includes('#define NET_INPUT_0_NAME "int"'), h);
  assert.ok(h.includes('#define NET_OUTPUT_0_NAME "score*/prob\\"\\012"'), h);
  assert.ok(h.includes('#define NET_OUTPUT_1_NAME "x/*y*/\\?\\?/z"'), h);
  assert.ok(h.includes('/* output 0 "score*\\/prob"\\n" (parameter score_prob)'), h);
  assert.ok(h.includes('#define NET_OUT_SCORE_PROB_SIZE NET_OUTPUT_0_SIZE'), h);
  assert.ok(!h.includes("dequantize_"), "no internal value names in the header");
  for (const [f, text] of [...p.files].filter(([k]) => k.startsWith("net"))) {
    // Every comment closes where the generator closed it: no name ends one early or opens a nested one.
    for (const body of text.matchAll(/\/\*([\s\S]*?)\*\//g)) assert.ok(!body[1]!.includes("/*"), `${f}: nested comment in ${body[0]}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-names-"));
  try {
    writeProject(join(dir, "net"), p.files);
    writeFileSync(join(dir, "use.c"), '#include "net.h"\n#include <string.h>\nint main(void) { return (int)strlen(NET_OUTPUT_0_NAME) - 13 + (int)net_info.num_outputs - 2; }\n');
    const strict = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-Wtrigraphs", "-Wcomment"];
    const r = await exec("gcc", [...strict, `-I${join(dir, "net")}`, "-fsyntax-only", join(dir, "use.c")]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const mk = await exec("make", ["-C", join(dir, "net"), "-s", "CC=gcc", "CFLAGS=-O1 -Werror -Wtrigraphs -Wcomment"]);
    assert.equal(mk.code, 0, mk.stdout + mk.stderr);
    assert.equal((mk.stdout + mk.stderr).includes("warning"), false, mk.stdout + mk.stderr);
    // The escaped name is the original text again once compiled: the program checks its length (13 bytes).
    const exe = join(dir, "use");
    const ln = await exec("gcc", ["-std=c99", `-I${join(dir, "net")}`, join(dir, "use.c"), join(dir, "net", "libnet.a"), "-lm", "-o", exe]);
    assert.equal(ln.code, 0, ln.stdout + ln.stderr);
    assert.equal((await exec(exe, [])).code, 0, "NET_OUTPUT_0_NAME is not the 13-byte original name");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assertIdentical(await verifyC(m, { name: "net", targets: ["host"], steps: [randomFeeds(m.final!, 4)] }));
});

const CHANNELS = 2;
const CONTEXT = 64;
const FRAME = 512;
const FRAMES = 8;

/** Per channel, the windows the example feeds: CONTEXT old samples (zeros before the start), then FRAME new. */
function windows(audio: Float32Array[]): Float32Array[][] {
  return audio.map((a) => Array.from({ length: FRAMES }, (_, f) => {
    const w = new Float32Array(CONTEXT + FRAME);
    for (let i = 0; i < w.length; i++) {
      const at = f * FRAME - CONTEXT + i;
      w[i] = at >= 0 ? a[at]! : 0;
    }
    return w;
  }));
}

test("examples/stream_vad: two caller-arena instances interleaved on host and Cortex-M4 = simulator; init errors", { skip: !HOST_CC && "no host gcc" }, async () => {
  const s = await buildStages("silero-vad-16k", { stage: "final", target: "cortex-m4" });
  const p = emitProject(s, { name: "vad", arena: "caller", source: "silero-vad-16k" });
  // Channel 0 from the voiced part of the synthetic signal, channel 1 quiet noise.
  const speech = synthesizeAudio(2, 16000, 7).subarray(24000, 24000 + FRAMES * FRAME);
  const noise = synthesizeAudio(1, 16000, 9).subarray(0, FRAMES * FRAME);
  const audio = [speech, noise];
  const interleaved = new Float32Array(FRAMES * FRAME * CHANNELS);
  for (let i = 0; i < FRAMES * FRAME; i++) for (let c = 0; c < CHANNELS; c++) interleaved[i * CHANNELS + c] = audio[c]![i]!;

  // The simulator on the same windows, state fed back as float (the example carries it as int8).
  const [xName, stateName] = s.final!.inputs.map((v) => v.name) as [string, string];
  const [probName, newStateName] = s.final!.outputs.map((v) => v.name) as [string, string];
  const want = windows(audio).map((ws) => {
    const steps: Feeds[] = ws.map((w) => ({
      [xName]: { dtype: "f32", shape: [1, CONTEXT + FRAME], data: w },
      [stateName]: { dtype: "f32", shape: [...s.final!.inputs[1]!.shape], data: new Float32Array(s.final!.inputs[1]!.numel) },
    }));
    return referenceRuns(s, steps, [{ input: stateName, output: newStateName }]);
  });
  const stateOut = p.ports.outputs[1]!;
  assert.ok(stateOut.border && stateOut.name === "new_state", "the state output is an int8 port");

  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-stream-"));
  try {
    writeProject(join(dir, "vad"), p.files);
    const sources = [...p.sources.map((f) => join(dir, "vad", f)), join(repoRoot(), "examples", "stream_vad", "main.c")];
    const includeDirs = p.includeDirs.map((d) => join(dir, "vad", d));
    // Nothing of the generated code or its support library is writable static data: all an instance writes is its
    // arena (-fno-pic: const objects holding pointers are then read-only data, as on the device).
    for (const f of p.sources.filter((x) => !x.startsWith("cmsis_nn/"))) {
      const obj = join(dir, "probe.o");
      const cc = await exec("gcc", ["-std=c99", "-O1", "-fno-pic", ...includeDirs.map((d) => `-I${d}`), "-c", join(dir, "vad", f), "-o", obj]);
      assert.equal(cc.code, 0, cc.stdout + cc.stderr);
      const nm = await exec("nm", ["--defined-only", obj]);
      const writable = nm.stdout.split("\n").filter((l) => /^\S+ [bBdD] /.test(l));
      assert.deepEqual(writable, [], `${f} has writable static data`);
    }
    const builds = [await buildForHost({ sources, includeDirs, outDir: join(dir, "host") })];
    if (boardTargets().length) {
      builds.push(await buildForBoard({ sources, includeDirs, outDir: join(dir, "m4"), board: "mps2-an386", weightsInBigRam: false, defines: {} }));
    }
    for (const b of builds) {
      const cwd = join(dir, `run-${b.target}`);
      rmSync(cwd, { recursive: true, force: true });
      writeProject(cwd, new Map([["audio.f32", new Uint8Array(interleaved.buffer)]]));
      const r = await runProgram(b, { cwd, timeoutMs: 300_000 });
      assert.equal(r.exitCode, 0, `${b.target}: ${r.stdout}${r.stderr}`);
      console.log(`# ${b.target}:\n${r.stdout}`);
      assert.ok(r.stdout.includes(`init ${p.arenaBytes - 1} bytes: ARENA_TOO_SMALL (-196608)`), r.stdout);
      assert.ok(r.stdout.includes("init misaligned: ARENA_MISALIGNED (-262144)"), r.stdout);
      assert.ok(r.stdout.includes("init NULL: NULL_ARGUMENT (-327680)"), r.stdout);
      assert.ok(r.stdout.includes(`model silero-vad-16k for cortex-m4, cmsis-lower 0.1.0, CMSIS-NN V.19.1.0: ${p.macs} MACs, arena ${p.arenaBytes} B`), r.stdout);
      const raw = readFileSync(join(cwd, "probs.f32"));
      const got = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
      assert.equal(got.length, FRAMES * CHANNELS, `${b.target}: ${got.length} probabilities`);
      const states = new Int8Array(readFileSync(join(cwd, "states.i8")));
      const n = stateOut.value.numel;
      assert.equal(states.length, FRAMES * CHANNELS * n);
      for (let f = 0; f < FRAMES; f++) {
        for (let c = 0; c < CHANNELS; c++) {
          const prob = want[c]![f]![probName]!.data[0]!;
          assert.ok(Object.is(got[f * CHANNELS + c], prob), `${b.target} frame ${f} channel ${c}: C ${got[f * CHANNELS + c]} vs simulator ${prob}`);
          // The int8 state the C gave, read at its scale, is the simulator's float state bit for bit.
          const sim = want[c]![f]![newStateName]!.data;
          const at = (f * CHANNELS + c) * n;
          for (let i = 0; i < n; i++) {
            const real = dequantizeValue(states[at + i]!, stateOut.scale!, stateOut.zeroPoint!);
            assert.ok(Object.is(real, sim[i]), `${b.target} frame ${f} channel ${c} state[${i}]: C ${real} vs simulator ${sim[i]}`);
          }
        }
      }
    }
    // The channels' states differ, so an instance reading the other's state (or a wrong carry) would show.
    assert.ok(want[0]!.some((o, f) => o[newStateName]!.data.some((x, i) => x !== want[1]![f]![newStateName]!.data[i])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A recurrent cell whose state output (0.25·tanh) has a quarter of the state input's range: other int8 scales. */
function stateModel(): EmitInput {
  const b = new ModelBuilder("cell", 3);
  const x = b.input("x", [1, 8]);
  const state = b.input("state", [1, 8]);
  const h = b.tanh(b.linear(b.cat([x, state], 1), { out: 8 }));
  b.output(b.linear(h, { out: 2 }), "prob");
  b.output(b.mul(h, 0.25), "new_state");
  const float = b.build();
  const q = quantizeGraph(float, randomSource(8, { seed: 2 }), { sqnr: false });
  const options = lowerOptions("cortex-m4");
  const { final } = lowerGraph(q.graph, options);
  return { final, plan: planGraph(final), options, float };
}

/** Runs the int8 API over the steps, carrying the state with the helper (or, CARRY_MEMCPY, a plain copy). */
const CARRY_MAIN = `#include <stdio.h>
#include <string.h>
#include "st.h"
int main(void)
{
    static int8_t x[ST_IN_X_SIZE], state[ST_IN_STATE_SIZE], prob[ST_OUT_PROB_SIZE], new_state[ST_OUT_NEW_STATE_SIZE];
    FILE *in = fopen("in.bin", "rb"), *out = fopen("out.bin", "wb");
    if (!in || !out || fread(state, sizeof state, 1, in) != 1)
        return 2;
    while (fread(x, sizeof x, 1, in) == 1)
    {
        if (st_run(x, state, prob, new_state) != ST_OK)
            return 3;
        fwrite(prob, sizeof prob, 1, out);
        fwrite(new_state, sizeof new_state, 1, out);
#ifdef CARRY_MEMCPY
        memcpy(state, new_state, sizeof state);
#else
        st_carry_state(new_state, state);
#endif
    }
    fclose(out);
    return 0;
}
`;

test("stateful int8 API: the generated carry helper gives the simulator's stream; a memcpy of the state does not", { skip: !HOST_CC && "no host gcc" }, async () => {
  const m = stateModel();
  const p = emitProject(m, { name: "st", state: [{ input: "state", output: "new_state" }] });
  const [, stIn] = p.ports.inputs as [typeof p.ports.inputs[0], typeof p.ports.inputs[0]];
  const [probOut, stOut] = p.ports.outputs as [typeof p.ports.outputs[0], typeof p.ports.outputs[0]];
  assert.ok(stIn.border && stOut.border && probOut.border, "x, state, prob and new_state are int8 ports");
  assert.notEqual(stIn.scale, stOut.scale);
  assert.ok(p.files.get("st.h")!.includes("void st_carry_state(const int8_t *new_state, int8_t *state);"));
  const steps = [11, 12, 13, 14, 15].map((seed) => randomFeeds(m.final!, seed));
  steps[0]!.state!.data.fill(0);
  const want = referenceRuns(m, steps, [{ input: "state", output: m.final!.outputs[1]!.name }]);
  const q = (v: number, port: typeof stIn): number => quantizeValue(v, port.scale!, port.zeroPoint!, -128, 127);
  const xIn = p.ports.inputs[0]!;
  const input = Int8Array.from([
    ...Array.from(steps[0]!.state!.data, (v) => q(v, stIn)),
    ...steps.flatMap((f) => Array.from(f.x!.data, (v) => q(v, xIn))),
  ]);
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-carry-"));
  try {
    writeProject(join(dir, "st"), p.files);
    writeFileSync(join(dir, "main.c"), CARRY_MAIN);
    const sources = [...p.sources.map((f) => join(dir, "st", f)), join(dir, "main.c")];
    const includeDirs = p.includeDirs.map((d) => join(dir, "st", d));
    const outcomes: boolean[] = [];
    for (const memcpyCarry of [false, true]) {
      const b = await buildForHost({ sources, includeDirs, outDir: join(dir, `build-${memcpyCarry}`), defines: memcpyCarry ? { CARRY_MEMCPY: "1" } : {} });
      const cwd = join(dir, `run-${memcpyCarry}`);
      writeProject(cwd, new Map([["in.bin", new Uint8Array(input.buffer)]]));
      const r = await runProgram(b, { cwd, timeoutMs: 60_000 });
      assert.equal(r.exitCode, 0, r.stdout + r.stderr);
      const out = new Int8Array(readFileSync(join(cwd, "out.bin")));
      assert.equal(out.length, steps.length * 10);
      let same = true;
      want.forEach((o, s) => {
        for (const [k, port, at] of [[0, probOut, 0], [1, stOut, 2]] as const) {
          const sim = o[m.final!.outputs[k]!.name]!.data;
          const n = port.value.numel;
          for (let i = 0; i < n; i++) {
            const real = dequantizeValue(out[s * 10 + at + i]!, port.scale!, port.zeroPoint!);
            if (!Object.is(real, sim[i])) same = false;
            if (!memcpyCarry) assert.ok(Object.is(real, sim[i]), `step ${s} ${port.name}[${i}]: C ${real} vs simulator ${sim[i]}`);
          }
        }
      });
      outcomes.push(same);
    }
    assert.deepEqual(outcomes, [true, false], "the helper matches the simulator and a memcpy carry does not");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("caller arena with external weights and a float LSTM workspace (silero-vad): all in the arena, C = simulator on host and M4", { skip: !HOST_CC && "no host gcc" }, async () => {
  const m = await buildStages("silero-vad", { stage: "final", target: "cortex-m4" });
  const plain = emitProject(m, { name: "vad", externalWeights: true });
  const p = emitProject(m, { name: "vad", arena: "caller", externalWeights: true });
  assert.ok(plain.staticBytes > 0 && plain.stageBytes > 0, "the model has a static workspace and staged weights");
  assert.match(plain.files.get("vad.c")!, /static (float|double) buf_lstm_work\[/);
  assert.equal(p.staticBytes, 0);
  // The arena grows by the staging buffer and the workspace (each region 16-aligned).
  assert.ok(p.arenaBytes >= plain.arenaBytes + plain.stageBytes + plain.staticBytes, `${p.arenaBytes} vs ${plain.arenaBytes} + ${plain.stageBytes} + ${plain.staticBytes}`);
  // No file-scope static object that is not const (functions have a parenthesis first).
  assert.ok(!/^static (?!const )[^(]*[[=;]/m.test(p.files.get("vad.c")!), "no writable static in vad.c");
  assert.ok(/^static (?!const )[^(]*[[=;]/m.test(plain.files.get("vad.c")!), "the pattern finds the static arena of the default mode");
  const stream = m.model.builtin!.stream!;
  const steps = [1, 2].map((seed) => randomFeeds(m.final!, seed));
  steps[0]![stream.state[0]!.input]!.data.fill(0);
  const targets = ["host" as const, ...boardTargets().filter((b) => b === "mps2-an386")];
  assertIdentical(await verifyC(m, { name: "vad", targets, steps, feedback: stream.state, project: p, externalWeights: true, externalProject: p }));
});

test("examples/oneshot_yolo: YOLO11n 96x96 on host and Cortex-M4 = simulator, with the same top anchors", { skip: !HOST_CC && "no host gcc" }, async () => {
  const s = await buildStages("yolo11n", { stage: "final", target: "cortex-m4", inputShapes: { images: [1, 3, 96, 96] } });
  const p = emitProject(s, { name: "yolo", source: "yolo11n" });
  const feeds = randomFeeds(s.final!, 5);
  const image = feeds[s.final!.inputs[0]!.name]!.data as Float32Array;
  const sim = referenceRuns(s, [feeds])[0]![s.final!.outputs[0]!.name]!.data as Float32Array;
  // The three anchors with the highest class score, as the example ranks them (ties keep the earlier anchor).
  const [rows, anchors] = [84, 189];
  const ranked = Array.from({ length: anchors }, (_, a) => {
    let cls = 0;
    for (let c = 1; c < rows - 4; c++) if (sim[(4 + c) * anchors + a]! > sim[(4 + cls) * anchors + a]!) cls = c;
    return { a, cls, score: sim[(4 + cls) * anchors + a]! };
  }).sort((x, y) => y.score - x.score || x.a - y.a).slice(0, 3);
  const lines = ranked.map((r) => `anchor ${r.a}: class ${r.cls} score ${Math.trunc(Math.fround(r.score * 1000))} box ` +
    [0, 1, 2, 3].map((k) => Math.trunc(sim[k * anchors + r.a]!)).join(" "));
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-oneshot-"));
  try {
    writeProject(join(dir, "yolo"), p.files);
    const sources = [...p.sources.map((f) => join(dir, "yolo", f)), join(repoRoot(), "examples", "oneshot_yolo", "main.c")];
    const includeDirs = p.includeDirs.map((d) => join(dir, "yolo", d));
    const builds = [await buildForHost({ sources, includeDirs, outDir: join(dir, "host") })];
    if (boardTargets().length) {
      builds.push(await buildForBoard({ sources, includeDirs, outDir: join(dir, "m4"), board: "mps2-an386", weightsInBigRam: false, defines: {} }));
    }
    for (const b of builds) {
      const cwd = join(dir, `run-${b.target}`);
      writeProject(cwd, new Map([["image.f32", new Uint8Array(image.buffer, image.byteOffset, image.byteLength)]]));
      const r = await runProgram(b, { cwd, timeoutMs: 600_000 });
      assert.equal(r.exitCode, 0, `${b.target}: ${r.stdout}${r.stderr}`);
      console.log(`# ${b.target}:\n${r.stdout}`);
      assert.ok(r.stdout.includes(`yolo11n: ${p.macs} MACs, arena ${p.arenaBytes} B, weights ${p.weightsBytes} B, ${s.plan!.order.length} steps`), r.stdout);
      for (const l of lines) assert.ok(r.stdout.includes(l), `${b.target}: "${l}" missing from\n${r.stdout}`);
      const raw = readFileSync(join(cwd, "output.f32"));
      const got = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length));
      assert.equal(got.length, sim.length);
      for (let i = 0; i < sim.length; i++) assert.ok(Object.is(got[i], sim[i]), `${b.target} output[${i}]: C ${got[i]} vs simulator ${sim[i]}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
