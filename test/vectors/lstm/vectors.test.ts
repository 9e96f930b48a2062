// arm_lstm_unidirectional_s8 / _s16 conformance: vectors.json was printed by make_vectors.c built against the
// real CMSIS-NN (checked here by rebuilding it on the host and, for the DSP code paths, on Cortex-M4 under QEMU).
// Each case runs the kernel twice on one persistent cell/hidden state, the way a streaming model carries it.
// The TS twin must reproduce every output, hidden and cell element of both calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  lstmUnidirectionalS16, lstmUnidirectionalS8, LSTM_SIGMOID_TABLE_U16, Status,
  type ActivationS16, type LstmGate, type LstmParams,
} from "../../../src/kernels/index.js";
import { buildProgram, type BuildTarget } from "../../../src/targets/build.js";
import { realLibrarySources } from "../../../src/emit/library.js";
import { runProgram } from "../../../src/targets/run.js";
import { csrcDir, detectToolchain, hasArmToolchain, repoRoot } from "../../../src/targets/toolchain.js";
import { sharedMissing, sharedPath } from "../../fixtures/shared.js";

interface GateJson {
  input_multiplier: number; input_shift: number; hidden_multiplier: number; hidden_shift: number;
  activation: ActivationS16; input_weights: number[]; hidden_weights: number[];
  input_effective_bias: number[]; hidden_effective_bias: number[];
}
interface CallJson { input: number[]; output: number[]; hidden_after: number[]; cell_after: number[] }
interface CaseJson {
  type: "s8" | "s16"; time_major: number; batch_size: number; time_steps: number; input_size: number; hidden_size: number;
  forget_to_cell_multiplier: number; forget_to_cell_shift: number; input_to_cell_multiplier: number; input_to_cell_shift: number;
  cell_clip: number; cell_scale_power: number; output_multiplier: number; output_shift: number; output_offset: number;
  hidden_null: boolean; forget_gate: GateJson; input_gate: GateJson; cell_gate: GateJson; output_gate: GateJson;
  initial_hidden: number[]; initial_cell: number[]; calls: CallJson[];
}

const HERE = join(repoRoot(), "test", "vectors", "lstm");
const FILE = join(HERE, "vectors.json");
const data = JSON.parse(readFileSync(FILE, "utf8")) as { cases: CaseJson[] };
const NN = sharedPath("third_party/CMSIS-NN");

function gateOf(g: GateJson): LstmGate<ArrayLike<number>> {
  return {
    inputMultiplier: g.input_multiplier, inputShift: g.input_shift, inputWeights: Int8Array.from(g.input_weights),
    inputEffectiveBias: g.input_effective_bias, hiddenMultiplier: g.hidden_multiplier, hiddenShift: g.hidden_shift,
    hiddenWeights: Int8Array.from(g.hidden_weights), hiddenEffectiveBias: g.hidden_effective_bias, activation: g.activation,
  };
}

function paramsOf(c: CaseJson): LstmParams<ArrayLike<number>> {
  return {
    timeMajor: c.time_major !== 0, batchSize: c.batch_size, timeSteps: c.time_steps, inputSize: c.input_size, hiddenSize: c.hidden_size,
    forgetToCellMultiplier: c.forget_to_cell_multiplier, forgetToCellShift: c.forget_to_cell_shift,
    inputToCellMultiplier: c.input_to_cell_multiplier, inputToCellShift: c.input_to_cell_shift,
    cellClip: c.cell_clip, cellScalePower: c.cell_scale_power,
    outputMultiplier: c.output_multiplier, outputShift: c.output_shift, outputOffset: c.output_offset,
    forgetGate: gateOf(c.forget_gate), inputGate: gateOf(c.input_gate), cellGate: gateOf(c.cell_gate), outputGate: gateOf(c.output_gate),
  };
}

function sameElements(got: ArrayLike<number>, want: number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let k = 0; k < want.length; k++) assert.equal(got[k], want[k], `${what} element ${k}`);
}

test("vectors.json: both precisions, one and several steps, batch 2 in both layouts, clip, NULL hidden, > 512 columns", () => {
  for (const type of ["s8", "s16"] as const) {
    const cs = data.cases.filter((c) => c.type === type);
    assert.ok(cs.length >= 8, type);
    assert.ok(cs.some((c) => c.time_steps === 1) && cs.some((c) => c.time_steps > 1), `${type}: steps`);
    assert.ok(cs.some((c) => c.batch_size > 1 && c.time_major) && cs.some((c) => c.batch_size > 1 && !c.time_major), `${type}: layouts`);
    assert.ok(cs.some((c) => c.cell_clip > 0) && cs.some((c) => c.hidden_null), `${type}: clip / NULL hidden`);
    assert.ok(cs.some((c) => c.cell_scale_power + 12 > 0) && cs.some((c) => c.cell_scale_power + 12 < 0), `${type}: tanh shifts`);
    // The second call must depend on the state the first left: same kernel, different state, different result.
    assert.ok(cs.every((c) => c.calls.length === 2));
  }
  assert.ok(data.cases.some((c) => c.type === "s16" && c.input_size > 512));
});

test("sigmoid table: the library's endpoints (sigmoid(0) = 0.5, saturating towards 1)", () => {
  assert.equal(LSTM_SIGMOID_TABLE_U16[0], 32768);
  assert.ok(LSTM_SIGMOID_TABLE_U16[255]! > 65500);
  for (let i = 1; i < 256; i++) assert.ok(LSTM_SIGMOID_TABLE_U16[i]! >= LSTM_SIGMOID_TABLE_U16[i - 1]!);
});

const noNN = sharedMissing("third_party/CMSIS-NN");
test("sigmoid table: every entry equals the real library's sigmoid_table_uint16", { skip: noNN }, () => {
  const src = readFileSync(join(NN, "Source", "NNSupportFunctions", "arm_nntables.c"), "utf8");
  const body = /sigmoid_table_uint16\[256\]\s*=\s*\{([^}]*)\}/.exec(src);
  assert.ok(body, "table found in arm_nntables.c");
  const real = body[1]!.split(",").map((v) => v.trim()).filter((v) => v !== "").map(Number);
  sameElements(LSTM_SIGMOID_TABLE_U16, real, "sigmoid_table_uint16");
});

test("TS twin reproduces every vector element by element, state carried across both calls", () => {
  for (const [i, c] of data.cases.entries()) {
    const p = paramsOf(c);
    const name = `case ${i} (${c.type}, I=${c.input_size} H=${c.hidden_size} T=${c.time_steps} B=${c.batch_size})`;
    const cell = Int16Array.from(c.initial_cell);
    const s16 = c.type === "s16";
    const hidden = c.hidden_null ? null : s16 ? Int16Array.from(c.initial_hidden) : Int8Array.from(c.initial_hidden);
    for (const [k, call] of c.calls.entries()) {
      let st: number;
      let out: Int8Array | Int16Array;
      if (s16) {
        out = new Int16Array(call.output.length).fill(0x5a5a);
        st = lstmUnidirectionalS16(Int16Array.from(call.input), out, p, { cell, hidden: hidden as Int16Array | null });
      } else {
        out = new Int8Array(call.output.length).fill(0x5a);
        st = lstmUnidirectionalS8(Int8Array.from(call.input), out, p, { cell, hidden: hidden as Int8Array | null });
      }
      assert.equal(st, Status.SUCCESS);
      sameElements(out, call.output, `${name} call ${k} output`);
      sameElements(cell, call.cell_after, `${name} call ${k} cell`);
      if (hidden) sameElements(hidden, call.hidden_after, `${name} call ${k} hidden`);
    }
  }
});

test("the state matters: the second call from a fresh state differs from the carried one", () => {
  const c = data.cases.find((x) => x.type === "s8" && !x.hidden_null && x.time_steps > 1)!;
  const out = new Int8Array(c.calls[1]!.output.length);
  lstmUnidirectionalS8(Int8Array.from(c.calls[1]!.input), out, paramsOf(c),
    { cell: Int16Array.from(c.initial_cell), hidden: Int8Array.from(c.initial_hidden) });
  assert.notDeepEqual(Array.from(out), c.calls[1]!.output);
});

/** make_vectors.c built for `target` against `sources` (with `include`): what it prints. */
async function makeVectors(target: BuildTarget, sources: string[], include: string, sanitize = false): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-lstm-make-${target}-`));
  try {
    const build = await buildProgram({
      sources: [join(HERE, "make_vectors.c"), ...sources], includeDirs: [include], outDir: dir, target,
      optLevel: target === "host" ? "O1" : "O2", warningsAsErrors: false, name: "make_vectors", sanitize,
    });
    const run = await runProgram(build, { cwd: dir, timeoutMs: 300_000 });
    assert.equal(run.exitCode, 0, `${target}: exit ${run.exitCode}\n${run.stderr}`);
    return run.stdout.replace(/\r\n/g, "\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The sources csrc/cmsis_nn_real.json lists for the two functions: building with exactly those also checks the table.
const realSources = (): string[] => realLibrarySources(["arm_lstm_unidirectional_s8", "arm_lstm_unidirectional_s16"]).map((f) => join(NN, f));
const noRealHost = sharedMissing("third_party/CMSIS-NN") || (!detectToolchain().hostCc && "no host C compiler");
test("vectors.json is what make_vectors.c prints against the real CMSIS-NN (host)", { skip: noRealHost }, async () => {
  assert.equal(await makeVectors("host", realSources(), join(NN, "Include")), readFileSync(FILE, "utf8"));
});

const noRealArm = sharedMissing("third_party/CMSIS-NN") || (!hasArmToolchain() && "arm-none-eabi-gcc / qemu-system-arm not found");
test("the real library's DSP (Cortex-M4) and scalar (Cortex-M3) paths under QEMU print the same vectors", { skip: noRealArm }, async () => {
  assert.equal(await makeVectors("mps2-an386", realSources(), join(NN, "Include")), readFileSync(FILE, "utf8"));
  assert.equal(await makeVectors("mps2-an385", realSources(), join(NN, "Include")), readFileSync(FILE, "utf8"));
});

// The portable subset's own implementation (csrc/cmsis_nn_portable/Source/arm_lstm_s8_s16.c) behind the same API.
const PORTABLE = join(csrcDir(), "cmsis_nn_portable");
const portableSources = (): string[] => [join(PORTABLE, "Source", "arm_lstm_s8_s16.c"), join(PORTABLE, "Source", "arm_nn_activation_s16.c")];
test("portable C prints the same vectors on the host (gcc -O1, ASan/UBSan)", { skip: !detectToolchain().hostCc && "no host C compiler" }, async () => {
  assert.equal(await makeVectors("host", portableSources(), join(PORTABLE, "Include"), true), readFileSync(FILE, "utf8"));
});

test("portable C prints the same vectors on Cortex-M4 and Cortex-M3 (soft float) under QEMU", { skip: !hasArmToolchain() && "arm-none-eabi-gcc / qemu-system-arm not found" }, async () => {
  assert.equal(await makeVectors("mps2-an386", portableSources(), join(PORTABLE, "Include")), readFileSync(FILE, "utf8"));
  assert.equal(await makeVectors("mps2-an385", portableSources(), join(PORTABLE, "Include")), readFileSync(FILE, "utf8"));
});

/** bench_lstm.c on `target` against `sources`: instructions per label, and its checksum line. */
async function benchLstm(target: BuildTarget, sources: string[], include: string): Promise<{ regions: Record<string, number>; checksum: string }> {
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-lstm-bench-${target}-`));
  try {
    const build = await buildProgram({
      sources: [join(HERE, "bench_lstm.c"), ...sources], includeDirs: [include], outDir: dir, target,
      optLevel: "O2", warningsAsErrors: false, name: "bench_lstm",
    });
    const run = await runProgram(build, { cwd: dir, timeoutMs: 300_000 });
    assert.equal(run.exitCode, 0, `${target}: exit ${run.exitCode}\n${run.stderr}`);
    return { regions: run.instructionRegions ?? {}, checksum: /checksum (-?\d+)/.exec(run.stdout)?.[1] ?? "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("one Silero-sized LSTM step (128 in, 128 hidden): instructions on QEMU M4 / M3, real library and portable agree on the result", { skip: noRealArm }, async () => {
  const rows: string[] = [];
  for (const [board, core] of [["mps2-an386", "M4"], ["mps2-an385", "M3"]] as const) {
    const real = await benchLstm(board, realSources(), join(NN, "Include"));
    const port = await benchLstm(board, portableSources(), join(PORTABLE, "Include"));
    assert.equal(port.checksum, real.checksum, `${core}: same outputs`);
    for (const k of ["lstm_s8", "lstm_s16"]) {
      assert.ok((real.regions[k] ?? 0) > 100_000 && (port.regions[k] ?? 0) > 100_000, `${core} ${k} measured`);
      rows.push(`${core} ${k}: real CMSIS-NN ${real.regions[k]} instructions, portable ${port.regions[k]}`);
    }
  }
  console.log(rows.join("\n"));
});
