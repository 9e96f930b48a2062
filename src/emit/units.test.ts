// Units of the generator: C identifiers, exact float literals, and the C
// float→int8 quantize against the simulator's round-half-to-even on edge cases
// (ties, NaN, infinities, huge and tiny values), on the host and, where the
// toolchain exists, on soft-float Cortex-M3, Cortex-M4 (VFP) and Cortex-M55 (MVE).
import { test } from "node:test";
import assert from "node:assert/strict";
import { quantizeValue, dequantizeValue } from "../ops/quant/rounding.js";
import { commentSafe, cString, hexFloat, hexDouble } from "./cfmt.js";
import { NameTable, portIdentifier, sanitizeIdentifier } from "./names.js";
import { invScale } from "./ops/quant.js";
import { HOST_CC } from "../../test/support/c_models.js";
import { supportProgramLines } from "../../test/support/support_program.js";

test("identifiers are valid C, not keywords, unique and stable", () => {
  assert.equal(sanitizeIdentifier("model.0/conv-1"), "model_0_conv_1");
  assert.equal(sanitizeIdentifier("0abc"), "v_0abc");
  assert.equal(sanitizeIdentifier("int"), "int_");
  assert.equal(sanitizeIdentifier("///"), "v");
  const t = new NameTable(["arena"]);
  assert.equal(t.unique("a.b"), "a_b");
  assert.equal(t.unique("a/b"), "a_b_2");
  assert.equal(t.unique("A_B"), "A_B_3", "case-insensitive uniqueness (file systems, linkers)");
  assert.equal(t.unique("arena"), "arena_2");
  const long = t.unique("If_0_then_branch__Inline_0__/encoder/0/reparam_conv/Conv_multipliers", "m_w_");
  assert.ok(long.length <= 63 && long.endsWith("Conv_multipliers"), long);
  for (const id of [long, t.unique("é€"), t.unique("")]) assert.match(id, /^[A-Za-z_][A-Za-z0-9_]*$/);
});

test("model text is escaped for C comments and string literals", () => {
  const cases: [(s: string) => string, string, string][] = [
    [commentSafe, "a*/b", "a*\\/b"],
    [commentSafe, "a/*b", "a/\\*b"],
    [commentSafe, "**//", "*\\*\\/\\/"],
    [commentSafe, "x??/", "x?\\?/"],
    [commentSafe, "l1\nl2\t\\", "l1\\nl2\\t\\\\"],
    [commentSafe, "é", "\\u{e9}"],
    [cString, 'score*/prob"\n', '"score*/prob\\"\\012"'],
    [cString, "a\\b??=c", '"a\\\\b\\?\\?=c"'],
    // Octal escapes are 3 digits, so a following digit is not absorbed.
    [cString, "é1", '"\\303\\2511"'],
    [portIdentifier, "int", "int_"],
    [portIdentifier, "errno", "errno_p"],
    [portIdentifier, "INT8_MAX", "INT8_MAX_p"],
    [portIdentifier, "EDOM", "EDOM_p"],
    [portIdentifier, "X", "X"],
    [portIdentifier, 'score*/prob"\n', "score_prob"],
  ];
  for (const [f, input, want] of cases) assert.equal(f(input), want, `${f.name}(${JSON.stringify(input)})`);
});

test("hex float literals are exact", () => {
  assert.equal(hexFloat(1), "0x1p0f");
  assert.equal(hexFloat(-0.375), "-0x1.8p-2f");
  assert.equal(hexFloat(0), "0.0f");
  assert.equal(hexFloat(2 ** -149), "0x0.000002p-126f");
  assert.equal(hexFloat(0.1), "0x1.99999ap-4f"); // float32(0.1) = 0x3dcccccd
  assert.equal(hexDouble(0.1), "0x1.999999999999ap-4");
  assert.equal(hexDouble(-2), "-0x1p1");
});

// Edge inputs for quantize: exact ties at several scales, their neighbours, specials.
function quantizeCases(): { x: number; scale: number; zp: number }[] {
  const cases: { x: number; scale: number; zp: number }[] = [];
  const scales = [1, 0.5, 0.1, 0.0023440439254045486, 0.12098173052072525, 3.0517578125e-5, 1e-30];
  for (const scale of scales) {
    const inv = invScale(scale);
    for (let k = -130; k <= 130; k++) {
      const tie = Math.fround((k + 0.5) / inv);
      for (const x of [tie, Math.fround(tie * (1 + 2 ** -23)), Math.fround(tie * (1 - 2 ** -23)), Math.fround(k / inv)]) {
        for (const zp of [0, -128]) cases.push({ x, scale, zp });
      }
    }
  }
  for (const x of [NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-45, -1e-45, -0, 0, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 8388607.5, 8388608, 1e9, -1e9, 2 ** -126, -(2 ** -126)]) {
    for (const zp of [0, -1, 127]) cases.push({ x, scale: 1, zp });
  }
  // Subnormal inputs against a huge 1 / scale (the vector paths must not flush them).
  for (const x of [1e-45, -3e-39, 1.1754942e-38, 2 ** -126]) cases.push({ x, scale: 2 ** -127, zp: 3 });
  // Grouped by (scale, zero point) so that the C program can also convert each group in one call.
  return cases.sort((a, b) => a.scale - b.scale || a.zp - b.zp);
}

function quantizeProgram(cases: { x: number; scale: number; zp: number }[]): string {
  const xs = cases.map((c) => (Number.isNaN(c.x) ? "NAN" : hexFloat(c.x))).join(",\n");
  return [
    "#include <math.h>",
    "#include <stdint.h>",
    "#include <stdio.h>",
    "#include <string.h>",
    '#include "clg_support.h"',
    `static const float xs[${cases.length}] = {\n${xs}};`,
    `static const float inv[${cases.length}] = {${cases.map((c) => hexFloat(invScale(c.scale))).join(",")}};`,
    `static const float sc[${cases.length}] = {${cases.map((c) => hexFloat(c.scale)).join(",")}};`,
    `static const int32_t zp[${cases.length}] = {${cases.map((c) => c.zp).join(",")}};`,
    `static int8_t qs[${cases.length}];`,
    `static float backs[${cases.length}];`,
    "int main(void)",
    "{",
    "    int i, j;",
    "    unsigned long sum = 0;",
    "    /* Each run of equal (scale, zero point) in one call: the vector loops and their tails. */",
    `    for (i = 0; i < ${cases.length}; i = j)`,
    "    {",
    `        for (j = i; j < ${cases.length} && sc[j] == sc[i] && zp[j] == zp[i]; j++)`,
    "        {",
    "        }",
    "        clg_quantize_f32_s8(&xs[i], &qs[i], j - i, inv[i], zp[i], -128, 127);",
    "        clg_dequantize_s8_f32(&qs[i], &backs[i], j - i, sc[i], zp[i]);",
    "    }",
    `    for (i = 0; i < ${cases.length}; i++)`,
    "    {",
    "        int8_t q;",
    "        float back;",
    "        uint32_t bits;",
    "        uint32_t batch_bits;",
    "        clg_quantize_f32_s8(&xs[i], &q, 1, inv[i], zp[i], -128, 127);",
    "        clg_dequantize_s8_f32(&q, &back, 1, sc[i], zp[i]);",
    "        memcpy(&bits, &back, 4);",
    "        memcpy(&batch_bits, &backs[i], 4);",
    '        printf("%d %lu %d %lu\\n", (int)q, (unsigned long)bits, (int)qs[i], (unsigned long)batch_bits);',
    "        sum += (unsigned long)bits;",
    "    }",
    "    return sum == 0 ? 1 : 0;",
    "}",
    "",
  ].join("\n");
}

test("C quantize / dequantize = simulator bit for bit on edge cases, element by element and in runs (host, Cortex-M3 soft-float, Cortex-M4 VFP, Cortex-M55 MVE)", { skip: !HOST_CC && "no host gcc" }, async () => {
  const cases = quantizeCases();
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const expected = cases.map((c) => {
    const q = quantizeValue(c.x, c.scale, c.zp, -128, 127);
    f[0] = dequantizeValue(q, c.scale, c.zp);
    return `${q} ${u[0]} ${q} ${u[0]}`;
  });
  for (const { target, lines } of await supportProgramLines(quantizeProgram(cases))) {
    assert.equal(lines.length, cases.length, target);
    lines.forEach((line, i) => assert.equal(line, expected[i], `${target}: x=${cases[i]!.x} scale=${cases[i]!.scale} zp=${cases[i]!.zp}`));
  }
});
