// The int16 (16x8) kernels against the real CMSIS-NN: vectors.json was printed by make_vectors.c built against the
// real library (remade and compared here when ../shared holds it). The TS twins must reproduce every output
// element, and their own tables (sigmoid, the two softmax tables) every entry. The same driver built against the
// portable subset (host with ASan/UBSan, Cortex-M55 and M4 under QEMU) and against the real library's MVE build
// (Cortex-M55) must print the same file byte for byte.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  activationS16, elementwiseAddS16, elementwiseMulS16, fullyConnectedS16, sigmoidTableU16, softmaxS16, softmaxS16ExpLut,
  softmaxS16OneByOneLut, Status,
} from "../../../src/kernels/index.js";
import { realIncludeDir, realLibrarySources } from "../../../src/emit/library.js";
import { buildProgram, type BuildTarget } from "../../../src/targets/build.js";
import { runProgram } from "../../../src/targets/run.js";
import { csrcDir, detectToolchain, hasArmToolchain, repoRoot } from "../../../src/targets/toolchain.js";
import { sharedMissing, sharedPath } from "../../fixtures/shared.js";

type Case = Record<string, number | number[] | string>;
interface Vectors { sigmoid_table_uint16: number[]; softmax_luts: { exp_lut: number[]; one_by_one_lut: number[] }; cases: Case[] }

const HERE = join(repoRoot(), "test", "vectors", "s16");
const FILE = join(HERE, "vectors.json");
const data = JSON.parse(readFileSync(FILE, "utf8")) as Vectors;
const NN = sharedPath("third_party/CMSIS-NN");
const S16_FUNCTIONS = ["arm_fully_connected_s16", "arm_elementwise_add_s16", "arm_elementwise_mul_s16", "arm_nn_activation_s16", "arm_softmax_s16"];

const num = (c: Case, k: string): number => c[k] as number;
const s16 = (c: Case, k: string): Int16Array => Int16Array.from(c[k] as number[]);
const of = (fn: string): Case[] => data.cases.filter((c) => c.function === fn);

function sameElements(got: ArrayLike<number>, want: number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.equal(got[i], want[i], `${what}: element ${i}`);
}

test("vectors.json covers every kernel with edge cases", () => {
  for (const fn of ["arm_fully_connected_s16", "arm_elementwise_add_s16", "arm_elementwise_mul_s16", "arm_nn_activation_s16_sigmoid",
    "arm_nn_activation_s16_tanh", "arm_softmax_s16"]) assert.ok(of(fn).length >= 3, fn);
  const all = data.cases;
  assert.ok(all.some((c) => typeof c.shift === "number" && c.shift > 0) && all.some((c) => typeof c.out_shift === "number" && c.out_shift > 0), "positive shifts");
  assert.ok(all.some((c) => typeof c.shift === "number" && c.shift < -20), "a deep negative shift");
  assert.ok(of("arm_fully_connected_s16").some((c) => num(c, "depth") > 512), "a depth past the 512-column int32 block");
  assert.ok(of("arm_fully_connected_s16").some((c) => !("bias" in c)), "no bias (NULL)");
  const saturates = (c: Case): boolean => (c.expected_output as number[]).some((v) => v === c.activation_max || v === c.activation_min);
  for (const fn of ["arm_fully_connected_s16", "arm_elementwise_add_s16", "arm_elementwise_mul_s16"]) assert.ok(of(fn).some(saturates), `${fn} saturates`);
  assert.ok(all.some((c) => Array.isArray(c.expected_output) && c.expected_output.length % 2 === 1), "odd lengths");
});

test("TS tables equal the library's sigmoid table and the driver's softmax tables, entry by entry", () => {
  sameElements(sigmoidTableU16(), data.sigmoid_table_uint16, "sigmoid_table_uint16");
  sameElements(softmaxS16ExpLut(), data.softmax_luts.exp_lut, "exp_lut");
  sameElements(softmaxS16OneByOneLut(), data.softmax_luts.one_by_one_lut, "one_by_one_lut");
});

test("arm_fully_connected_s16: TS twin reproduces every vector element by element", () => {
  for (const [i, c] of of("arm_fully_connected_s16").entries()) {
    const out = new Int16Array(num(c, "batches") * num(c, "out_depth")).fill(0x5a5a);
    const bias = "bias" in c ? BigInt64Array.from((c.bias as number[]).map(BigInt)) : null;
    const st = fullyConnectedS16({ multiplier: num(c, "multiplier"), shift: num(c, "shift"), activationMin: num(c, "activation_min"),
      activationMax: num(c, "activation_max") }, s16(c, "input"), num(c, "batches"), num(c, "depth"), Int8Array.from(c.weights as number[]),
    bias, num(c, "out_depth"), out);
    assert.equal(st, Status.SUCCESS);
    sameElements(out, c.expected_output as number[], `fc case ${i}`);
  }
});

test("arm_elementwise_add_s16 / arm_elementwise_mul_s16: TS twins reproduce every vector element by element", () => {
  for (const [i, c] of of("arm_elementwise_add_s16").entries()) {
    const out = new Int16Array(num(c, "size")).fill(0x5a5a);
    elementwiseAddS16(s16(c, "input_1"), s16(c, "input_2"), {
      input1Mult: num(c, "input_1_mult"), input1Shift: num(c, "input_1_shift"), input2Mult: num(c, "input_2_mult"),
      input2Shift: num(c, "input_2_shift"), leftShift: num(c, "left_shift"), outMult: num(c, "out_mult"), outShift: num(c, "out_shift"),
      outActivationMin: num(c, "activation_min"), outActivationMax: num(c, "activation_max"),
    }, out, num(c, "size"));
    sameElements(out, c.expected_output as number[], `add case ${i}`);
  }
  for (const [i, c] of of("arm_elementwise_mul_s16").entries()) {
    const out = new Int16Array(num(c, "size")).fill(0x5a5a);
    elementwiseMulS16(s16(c, "input_1"), s16(c, "input_2"), { outMult: num(c, "out_mult"), outShift: num(c, "out_shift"),
      outActivationMin: num(c, "activation_min"), outActivationMax: num(c, "activation_max") }, out, num(c, "size"));
    sameElements(out, c.expected_output as number[], `mul case ${i}`);
  }
});

test("arm_nn_activation_s16 (sigmoid, tanh): TS twin reproduces every vector element by element", () => {
  for (const type of ["sigmoid", "tanh"] as const) {
    for (const [i, c] of of(`arm_nn_activation_s16_${type}`).entries()) {
      const x = s16(c, "input");
      const out = new Int16Array(x.length).fill(0x5a5a);
      activationS16(x, out, x.length, num(c, "left_shift"), type);
      sameElements(out, c.expected_output as number[], `${type} case ${i}`);
    }
  }
});

test("arm_softmax_s16: TS twin (with its own tables) reproduces every vector element by element", () => {
  const expLut = softmaxS16ExpLut(), oneByOne = softmaxS16OneByOneLut();
  for (const [i, c] of of("arm_softmax_s16").entries()) {
    const out = new Int16Array(num(c, "rows") * num(c, "row_size")).fill(0x5a5a);
    const st = softmaxS16(s16(c, "input"), num(c, "rows"), num(c, "row_size"), num(c, "mult"), num(c, "shift"), expLut, oneByOne, out);
    assert.equal(st, Status.SUCCESS);
    sameElements(out, c.expected_output as number[], `softmax case ${i}`);
  }
  assert.equal(softmaxS16(new Int16Array(1), 1, 1, 1, 0, null, oneByOne, new Int16Array(1)), Status.ARG_ERROR);
});

const PORTABLE = join(csrcDir(), "cmsis_nn_portable");
const portableSources = (): string[] => readdirSync(join(PORTABLE, "Source")).filter((f) => f.endsWith(".c")).map((f) => join(PORTABLE, "Source", f));
const realSources = (): string[] => realLibrarySources(S16_FUNCTIONS).map((s) => join(NN, s));

/** make_vectors.c built against `sources` for `target`: what it prints. */
async function makeVectors(target: BuildTarget, sources: string[], includeDir: string, sanitize: boolean): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-s16-make-${target}-`));
  try {
    const build = await buildProgram({
      sources: [join(HERE, "make_vectors.c"), ...sources], includeDirs: [includeDir], outDir: dir, target, sanitize,
      optLevel: "O1", warningsAsErrors: false, name: "make_vectors",
    });
    const run = await runProgram(build, { cwd: dir, timeoutMs: 200_000 });
    assert.equal(run.exitCode, 0, `${target}: exit ${run.exitCode}\n${run.stderr}`);
    return run.stdout.replace(/\r\n/g, "\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noRealHost = sharedMissing("third_party/CMSIS-NN") || (!detectToolchain().hostCc && "no host C compiler");
test("vectors.json is what make_vectors.c prints when built against the real CMSIS-NN (host)", { skip: noRealHost }, async () => {
  assert.equal(await makeVectors("host", realSources(), join(NN, realIncludeDir()), false), readFileSync(FILE, "utf8"));
});

const noRealArm = sharedMissing("third_party/CMSIS-NN") || (!hasArmToolchain() && "arm-none-eabi-gcc / qemu-system-arm not found");
test("the real library's MVE (Cortex-M55) and DSP (Cortex-M4) builds print the same vectors (QEMU)", { skip: noRealArm }, async () => {
  const want = readFileSync(FILE, "utf8");
  assert.equal(await makeVectors("mps3-an547", realSources(), join(NN, realIncludeDir()), false), want);
  assert.equal(await makeVectors("mps2-an386", realSources(), join(NN, realIncludeDir()), false), want);
});

test("the portable subset prints the same vectors on the host (gcc -O1, ASan/UBSan)", { skip: !detectToolchain().hostCc && "no host C compiler" }, async () => {
  assert.equal(await makeVectors("host", portableSources(), join(PORTABLE, "Include"), true), readFileSync(FILE, "utf8"));
});

test("the portable subset prints the same vectors on Cortex-M55 and M4 (QEMU)", { skip: !hasArmToolchain() && "arm-none-eabi-gcc / qemu-system-arm not found" }, async () => {
  const want = readFileSync(FILE, "utf8");
  assert.equal(await makeVectors("mps3-an547", portableSources(), join(PORTABLE, "Include"), false), want);
  assert.equal(await makeVectors("mps2-an386", portableSources(), join(PORTABLE, "Include"), false), want);
});
