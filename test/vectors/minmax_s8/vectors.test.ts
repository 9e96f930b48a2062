// arm_maximum_s8 / arm_minimum_s8 conformance: the vectors in vectors.json were made from the real CMSIS-NN by
// make_vectors.c (checked here by remaking them when the real library is beside the repository). The TS twin and
// the portable C (host ASan/UBSan, Cortex-M55 and M4 under QEMU) must reproduce every output byte; make_vectors.c
// built for the M55 runs the real library's MVE path and must print the same file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { maximumS8, minimumS8, Status, type Dims } from "../../../src/kernels/index.js";
import { buildProgram, type BuildTarget } from "../../../src/targets/build.js";
import { runProgram } from "../../../src/targets/run.js";
import { csrcDir, detectToolchain, hasArmToolchain, repoRoot } from "../../../src/targets/toolchain.js";
import { checkCall, decodeResults, encodeBatch, encodeRecord, FN_IDS, type VectorCall } from "../../../src/targets/cmsisVectors.js";
import { sharedMissing, sharedPath } from "../../fixtures/shared.js";

interface Case {
  function: "arm_maximum_s8" | "arm_minimum_s8";
  input_1_dims: number[]; input_2_dims: number[]; output_dims: number[];
  input_1: number[]; input_2: number[]; expected_output: number[];
}

const HERE = join(repoRoot(), "test", "vectors", "minmax_s8");
const FILE = join(HERE, "vectors.json");
const data = JSON.parse(readFileSync(FILE, "utf8")) as { cases: Case[]; library_diverges: unknown[] };
const dims = (d: number[]): Dims => ({ n: d[0]!, h: d[1]!, w: d[2]!, c: d[3]! });
const NN = sharedPath("third_party/CMSIS-NN");
const MINMAX_SOURCES = ["arm_maximum_s8.c", "arm_minimum_s8.c"].map((f) => join(NN, "Source", "BasicMathFunctions", f));

test("vectors.json: both kernels, equal shapes, one-element operands and every broadcast axis", () => {
  assert.ok(data.cases.length >= 30);
  for (const fn of ["arm_maximum_s8", "arm_minimum_s8"]) assert.ok(data.cases.some((c) => c.function === fn));
  const numel = (d: number[]): number => d.reduce((a, b) => a * b, 1);
  assert.ok(data.cases.some((c) => numel(c.input_1_dims) === 1 && numel(c.input_2_dims) > 1));
  assert.ok(data.cases.some((c) => numel(c.input_2_dims) === 1 && numel(c.input_1_dims) > 1));
  for (let axis = 0; axis < 4; axis++) {
    assert.ok(data.cases.some((c) => c.input_1_dims[axis] !== c.input_2_dims[axis]), `no broadcast along axis ${axis}`);
  }
});

test("TS twin reproduces every vector element by element", () => {
  for (const [i, c] of data.cases.entries()) {
    const out = new Int8Array(c.expected_output.length).fill(0x5a);
    const kernel = c.function === "arm_maximum_s8" ? maximumS8 : minimumS8;
    const st = kernel(Int8Array.from(c.input_1), dims(c.input_1_dims), Int8Array.from(c.input_2), dims(c.input_2_dims), out, dims(c.output_dims));
    assert.equal(st, Status.SUCCESS, `case ${i}`);
    for (let k = 0; k < out.length; k++) assert.equal(out[k], c.expected_output[k], `case ${i} (${c.function}) element ${k}`);
  }
});

test("TS twin refuses dims that do not broadcast to the output", () => {
  const x = new Int8Array(6);
  assert.equal(maximumS8(x, dims([1, 1, 2, 3]), x, dims([1, 1, 3, 2]), new Int8Array(6), dims([1, 1, 3, 3])), Status.ARG_ERROR);
});

function calls(): VectorCall[] {
  return data.cases.map((c, i) => {
    const fnId = FN_IDS[c.function]!;
    const j = { family: "minmax_s8", input_type: "int8", dims: { input: c.input_1_dims, filter: c.input_2_dims, output: c.output_dims },
      input_1: c.input_1, input_2: c.input_2, expected_output: c.expected_output };
    const { record, outElem } = encodeRecord(fnId, j);
    return { vector: `case ${i}`, fn: c.function, fnId, checkOutput: true, expectedSizes: [], expectedOutput: c.expected_output, outElem, record };
  });
}

async function runVectors(target: BuildTarget, libSources: string[], includeDir: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-minmax-${target}-`));
  try {
    const build = await buildProgram({
      sources: [join(csrcDir(), "test", "vector_driver.c"), ...libSources],
      includeDirs: [includeDir], outDir: dir, target,
      sanitize: target === "host", optLevel: target === "host" ? "O1" : "O2", name: "vector_driver",
    });
    const cs = calls();
    writeFileSync(join(dir, "vectors.bin"), encodeBatch(cs));
    const run = await runProgram(build, { cwd: dir, timeoutMs: 100_000 });
    assert.equal(run.exitCode, 0, `${target}: exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`);
    const results = decodeResults(readFileSync(join(dir, "results.bin")));
    assert.equal(results.length, cs.length);
    return cs.flatMap((c, i) => checkCall(c, results[i]).map((e) => `${c.vector} ${c.fn}: ${e}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PORTABLE = join(csrcDir(), "cmsis_nn_portable");
const portableSources = (): string[] => readdirSync(join(PORTABLE, "Source")).filter((f) => f.endsWith(".c")).map((f) => join(PORTABLE, "Source", f));

test("portable C reproduces every vector on the host (gcc -O1, ASan/UBSan)", { skip: !detectToolchain().hostCc && "no host C compiler" }, async () => {
  assert.deepEqual(await runVectors("host", portableSources(), join(PORTABLE, "Include")), []);
});

test("portable C on Cortex-M55 and M4 (QEMU)", { skip: !hasArmToolchain() && "arm-none-eabi-gcc / qemu-system-arm not found" }, async () => {
  assert.deepEqual(await runVectors("mps3-an547", portableSources(), join(PORTABLE, "Include")), []);
  assert.deepEqual(await runVectors("mps2-an386", portableSources(), join(PORTABLE, "Include")), []);
});

/** make_vectors.c built against the real library for `target`: what it prints. */
async function makeVectors(target: BuildTarget): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-minmax-make-${target}-`));
  try {
    const build = await buildProgram({
      sources: [join(HERE, "make_vectors.c"), ...MINMAX_SOURCES], includeDirs: [join(NN, "Include")], outDir: dir, target,
      optLevel: "O1", warningsAsErrors: false, name: "make_vectors",
    });
    const run = await runProgram(build, { cwd: dir, timeoutMs: 100_000 });
    assert.equal(run.exitCode, 0, `${target}: exit ${run.exitCode}\n${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noRealHost = sharedMissing("third_party/CMSIS-NN") || (!detectToolchain().hostCc && "no host C compiler");
test("vectors.json is what make_vectors.c prints when built against the real CMSIS-NN (host)", { skip: noRealHost }, async () => {
  assert.equal(await makeVectors("host"), readFileSync(FILE, "utf8"));
  assert.ok(data.library_diverges.length > 0, "the divergent shapes are recorded");
});

const noRealArm = sharedMissing("third_party/CMSIS-NN") || (!hasArmToolchain() && "arm-none-eabi-gcc / qemu-system-arm not found");
test("the real library's MVE path (Cortex-M55, QEMU) prints the same vectors", { skip: noRealArm }, async () => {
  assert.equal((await makeVectors("mps3-an547")).replace(/\r\n/g, "\n"), readFileSync(FILE, "utf8"));
});
