// The lowerings chosen for the real library's speed, as generated C: the tight
// int8 block copy against an independent index formula and against the generic
// gather (host, Cortex-M3, Cortex-M55), and small models using a trimmed conv,
// a one-input-channel conv run as a regular conv, arm_convolve_s8 called
// directly instead of the wrapper's 1x1 path, and int8 layout copies, whose
// generated C gives the simulator's bytes on the host and the emulated boards.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelBuilder } from "../builder/index.js";
import type { Value } from "../ir/graph.js";
import { formatVerifyTable, verifyC, type VerifyRow } from "./engines_c.js";
import { emitProject } from "../emit/project.js";
import { HOST_CC, assertIdentical, cTargets, feedsOf, smallModel } from "../../test/support/c_models.js";
import { supportProgramLines } from "../../test/support/support_program.js";

interface Copy { n: [number, number, number]; ds: [number, number, number]; ss: [number, number, number]; at: number }

// Transposes, NCHW→NHWC of 3 channels, unroll and vector tails (runs of 1..9), negative strides, plain rows.
const COPIES: Copy[] = [
  { n: [1, 7, 5], ds: [0, 5, 1], ss: [0, 1, 7], at: 0 },
  { n: [1, 3, 37], ds: [0, 1, 3], ss: [0, 37, 1], at: 0 },
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k): Copy => ({ n: [2, 3, k], ds: [3 * k, k, 1], ss: [1, 2, 6], at: 0 })),
  { n: [2, 4, 6], ds: [24, 6, 1], ss: [-1, 12, 2], at: 1 },
  { n: [1, 4, 16], ds: [0, 16, 1], ss: [0, 16, 1], at: 0 },
  { n: [3, 5, 4], ds: [1, 3, 15], ss: [20, 4, 1], at: 0 },
  // The M55's vector runs: strides above 17 (16-bit gather/scatter offsets, tails of 1) and a
  // contiguous run longer than one vector.
  { n: [1, 25, 9], ds: [0, 9, 1], ss: [0, 1, 25], at: 0 },
  { n: [1, 25, 9], ds: [0, 1, 25], ss: [0, 9, 1], at: 0 },
  { n: [1, 2, 100], ds: [0, 100, 1], ss: [0, 100, 1], at: 3 },
  // Short inner runs of a transpose (YOLO's DFL clone): walked along the longer dim on the M55.
  { n: [2, 40, 3], ds: [120, 3, 1], ss: [40, 1, 80], at: 0 },
];

/** dst[i·ds0 + j·ds1 + k·ds2] = src[at + i·ss0 + j·ss1 + k·ss2], written out index by index. */
function expected(c: Copy, src: Int8Array, size: number): Int8Array {
  const out = new Int8Array(size);
  for (let i = 0; i < c.n[0]; i++) for (let j = 0; j < c.n[1]; j++) for (let k = 0; k < c.n[2]; k++) {
    out[i * c.ds[0] + j * c.ds[1] + k * c.ds[2]] = src[c.at + i * c.ss[0] + j * c.ss[1] + k * c.ss[2]]!;
  }
  return out;
}

function copyProgram(): string {
  const L = ["#include <stdio.h>", "#include <string.h>", '#include "clg_support.h"', "static int8_t src[256];", "static int8_t a[256];", "static int8_t b[256];",
    "int main(void)", "{", "    int i;", "    for (i = 0; i < 256; i++)", "        src[i] = (int8_t)(i * 37 + 11);"];
  for (const c of COPIES) {
    const [n0, n1, n2] = c.n;
    L.push("    memset(a, 0, sizeof a);", "    memset(b, 0, sizeof b);", "    {");
    L.push(`        static const int32_t shape[3] = {${n0}, ${n1}, ${n2}};`, `        static const int32_t ds[3] = {${c.ds.join(", ")}};`, `        static const int32_t ss[3] = {${c.ss.join(", ")}};`);
    L.push(`        clg_copy3d_s8(a, src + ${c.at}, ${n0}, ${n1}, ${n2}, ${c.ds.join(", ")}, ${c.ss.join(", ")});`);
    L.push(`        clg_gather_nd(b, src + ${c.at}, 1, 3, shape, ds, ss, NULL, NULL);`, "    }");
    L.push(`    for (i = 0; i < ${n0 * n1 * n2}; i++)`, '        printf("%d %d\\n", a[i], b[i]);');
  }
  L.push("    return 0;", "}", "");
  return L.join("\n");
}

test("clg_copy3d_s8 = the index formula = clg_gather_nd, byte for byte (host, Cortex-M3, Cortex-M4, Cortex-M55 MVE)", { skip: !HOST_CC && "no host gcc" }, async () => {
  const src = Int8Array.from({ length: 256 }, (_, i) => ((i * 37 + 11) << 24) >> 24);
  const want: string[] = [];
  for (const c of COPIES) {
    const size = c.n[0] * c.n[1] * c.n[2];
    const e = expected(c, src, size);
    for (let i = 0; i < size; i++) want.push(`${e[i]} ${e[i]}`);
  }
  for (const { target, lines } of await supportProgramLines(copyProgram())) {
    assert.equal(lines.length, want.length, target);
    lines.forEach((line, i) => assert.equal(line, want[i], `${target}: element ${i}`));
  }
});

const MODELS: { name: string; input: number[]; target: string; build: (b: ModelBuilder, x: Value) => Value; expect: RegExp }[] = [
  // Wav2Letter layer 18's situation: K=32, pad 16 over 2 positions (4 taps kept).
  { name: "trimmed_conv1d", input: [1, 8, 2], target: "cortex-m4", build: (b, x) => b.relu(b.conv1d(x, { out: 8, k: 32, pad: 16 })), expect: /filter_dims = \{8, 4, 1, 8\}/ },
  // Silero's STFT situation: one input channel, strided, as a regular conv.
  { name: "stft_like_conv1d", input: [1, 1, 96], target: "cortex-m55", build: (b, x) => b.conv1d(x, { out: 24, k: 16, stride: 8 }), expect: /arm_convolve_wrapper_s8/ },
  // Wav2Letter's 1x1 convs over 3 positions: arm_convolve_s8 called directly on the M4 (cost model).
  { name: "direct_1x1", input: [1, 64, 3], target: "cortex-m4", build: (b, x) => b.relu(b.conv1d(x, { out: 48, k: 1 })), expect: /arm_convolve_s8\(/ },
  // The image NCHW→NHWC clone, a permute and a transpose back: int8 block copies.
  {
    name: "layout_copies", input: [1, 3, 6, 10], target: "cortex-m4",
    build: (b, x) => b.transpose(b.permute(b.relu(b.conv2d(x, { out: 5, k: 3, pad: 1 })), [0, 2, 3, 1]), 1, 2),
    expect: /clg_copy3d_s8\(/,
  },
];

test("trimmed conv, one-input-channel regular conv, direct arm_convolve_s8 and int8 layout copies: generated C = simulator on host and emulated boards", async () => {
  const targets = cTargets();
  const rows: VerifyRow[] = [];
  for (const c of MODELS) {
    const m = smallModel(c.build, c.input, c.target);
    const text = emitProject(m, { name: c.name }).files.get(`${c.name}.c`)!;
    assert.match(text, c.expect, c.name);
    if (c.name === "layout_copies") assert.doesNotMatch(text, /clg_gather_nd\(/, "no generic gather left for int8 copies");
    rows.push(...(await verifyC(m, { model: c.name, name: c.name, targets, steps: feedsOf(m, [4]) })));
  }
  console.log(formatVerifyTable(rows));
  assert.equal(rows.length, MODELS.length * targets.length);
  assertIdentical(rows);
});
