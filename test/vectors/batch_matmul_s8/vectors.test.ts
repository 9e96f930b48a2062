// arm_batch_matmul_s8 (and arm_elementwise_add_s8 run as a subtraction, input 2's multiplier negated) against
// the real CMSIS-NN: vectors.json was printed by make_vectors.c linked with the real library. Checked here:
// the driver remade against the real library prints the committed file; linked against the portable subset
// it prints the same file; the TS twins reproduce every output element.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchMatmulS8, elementwiseAddS8, elementwiseAddS8Ref, Status } from "../../../src/kernels/index.js";
import { exec } from "../../../src/targets/build.js";
import { csrcDir, detectToolchain, repoRoot } from "../../../src/targets/toolchain.js";
import { sharedMissing, sharedPath } from "../../fixtures/shared.js";

interface BmmCase {
  dims: [number, number, number, number, number];
  lhs_offset: number; rhs_offset: number; output_offset: number; activation: [number, number];
  multiplier: number; shift: number;
  lhs: number[]; rhs_transposed: number[]; expected_output: number[];
}
interface SubCase {
  size: number; input1: [number, number, number]; input2: [number, number, number]; left_shift: number;
  output: [number, number, number]; a: number[]; b: number[]; expected_output: number[];
}

const HERE = join(repoRoot(), "test", "vectors", "batch_matmul_s8");
const FILE = join(HERE, "vectors.json");
const text = readFileSync(FILE, "utf8");
const data = JSON.parse(text) as { batch_matmul: BmmCase[]; sub: SubCase[] };
const NN = sharedPath("third_party/CMSIS-NN");
const PORTABLE = join(csrcDir(), "cmsis_nn_portable");

test("vectors.json: YOLO11n's two attention shapes, batch dims above one, negative sub multipliers", () => {
  const shapes = data.batch_matmul.map((c) => c.dims.join("x"));
  assert.ok(shapes.includes("1x2x4x4x32") && shapes.includes("1x2x64x4x4"), shapes.join(" "));
  assert.ok(data.batch_matmul.some((c) => c.dims[0] > 1 && c.dims[1] > 1));
  assert.ok(data.batch_matmul.every((c) => c.lhs_offset !== 0 || c.rhs_offset !== 0));
  assert.ok(data.sub.length >= 5 && data.sub.every((c) => c.input2[1] < 0));
});

test("TS batchMatmulS8 reproduces every real-library vector element by element", () => {
  for (const [i, c] of data.batch_matmul.entries()) {
    const [n, h, m, cols, k] = c.dims;
    const out = new Int8Array(c.expected_output.length).fill(0x5a);
    const st = batchMatmulS8({
      lhsOffset: c.lhs_offset, rhsOffset: c.rhs_offset, outputOffset: c.output_offset,
      activation: { min: c.activation[0], max: c.activation[1] }, multiplier: c.multiplier, shift: c.shift,
    }, n * h, m, cols, k, Int8Array.from(c.lhs), Int8Array.from(c.rhs_transposed), out);
    assert.equal(st, Status.SUCCESS);
    for (let e = 0; e < out.length; e++) assert.equal(out[e], c.expected_output[e], `case ${i} [${c.dims}] element ${e}`);
  }
});

test("TS elementwise add with a negated multiplier (sub) reproduces every real-library vector, fast and reference", () => {
  for (const [i, c] of data.sub.entries()) {
    const p = {
      input1Offset: c.input1[0], input1Mult: c.input1[1], input1Shift: c.input1[2],
      input2Offset: c.input2[0], input2Mult: c.input2[1], input2Shift: c.input2[2], leftShift: c.left_shift,
      outOffset: c.output[0], outMult: c.output[1], outShift: c.output[2], outActivationMin: -128, outActivationMax: 127,
    };
    for (const kernel of [elementwiseAddS8, elementwiseAddS8Ref]) {
      const out = new Int8Array(c.size).fill(0x5a);
      assert.equal(kernel(Int8Array.from(c.a), Int8Array.from(c.b), p, out, c.size), Status.SUCCESS);
      for (let e = 0; e < out.length; e++) assert.equal(out[e], c.expected_output[e], `sub case ${i} element ${e} (${kernel.name})`);
    }
  }
});

/** Build make_vectors.c against `sources` (include dir `inc`) on the host and return what it prints. */
async function printed(inc: string, sources: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-bmm-"));
  try {
    const exe = join(dir, "make_vectors");
    const cc = await exec(detectToolchain().hostCc!.path, ["-std=c99", "-O1", "-Wall", "-Wextra", "-Werror", `-I${inc}`, join(HERE, "make_vectors.c"), ...sources, "-o", exe]);
    assert.equal(cc.code, 0, cc.stderr);
    const run = await exec(exe, []);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const noCc = !detectToolchain().hostCc && "no host C compiler";

test("the real library prints vectors.json again (host)", { skip: noCc || sharedMissing("third_party/CMSIS-NN") }, async () => {
  const src = ["FullyConnectedFunctions/arm_batch_matmul_s8.c", "FullyConnectedFunctions/arm_vector_sum_s8.c",
    "NNSupportFunctions/arm_nn_vec_mat_mult_t_s8.c", "BasicMathFunctions/arm_elementwise_add_s8.c"].map((f) => join(NN, "Source", f));
  assert.equal(await printed(join(NN, "Include"), src), text);
});

test("the portable subset prints vectors.json too (host)", { skip: noCc }, async () => {
  const src = ["arm_batch_matmul_s8.c", "arm_elementwise_s8.c", "arm_nn_support.c"].map((f) => join(PORTABLE, "Source", f));
  assert.equal(await printed(join(PORTABLE, "Include"), src), text);
});
