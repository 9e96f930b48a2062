// clg_stft_f32 (csrc/codegen_support/clg_stft.c) against its simulator twin (src/kernels/float32/stft.ts),
// output bits compared element by element, on the host (ASan/UBSan) and, where the Arm toolchain is, on the
// M4 (single-precision FPU) and M3 (no FPU) boards. The C fuses the FFT's stages in pairs and the split's
// bins k and N/2 − k, with a lone stage first when their count is odd: frame lengths 16 … 1024 take every
// arrangement. Also: both imag signs, padding at either end (frames partly and wholly outside the signal),
// batches of several rows, inputs with NaN / ±∞ / subnormals, random windows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { hexFloat } from "./cfmt.js";
import { floatBits } from "../kernels/float32/fmath.js";
import { stftF32, stftGeometryArray, stftTables, type StftGeometry } from "../kernels/float32/stft.js";
import { windowOut } from "../ops/cortex_m/shapes.js";
import { csrcDir } from "../targets/toolchain.js";
import { edgeFloats, randomFloats } from "../../test/support/float_inputs.js";
import { runSupportProgram } from "../../test/support/c_cases.js";
import { ARM } from "../../test/support/c_models.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { boardInfo } from "../targets/boards.js";
import { exec, warningFlags } from "../targets/build.js";
import { detectToolchain } from "../targets/toolchain.js";

interface Case {
  name: string;
  call: string;
  expected: Float32Array;
}

test("clg_stft_f32 = the simulator's stftF32, bit for bit (host, M4, M3): N 16…1024, padding, rows, both signs, special values", async () => {
  const decls: string[] = [];
  const cases: Case[] = [];
  let id = 0;
  const arr = (ctype: string, values: readonly string[] | readonly number[]): string => {
    const name = `a${id++}`;
    decls.push(`static const ${ctype} ${name}[${values.length}] = {${values.join(",")}};`);
    return name;
  };
  const add = (name: string, x: Float32Array, window: Float32Array, g: StftGeometry): void => {
    const t = stftTables(g.n);
    const y = new Float32Array(g.batch * (g.n + 2) * g.rows * g.frames);
    stftF32(x, window, t, y, new Float32Array(g.n), g);
    const args = [arr("float", Array.from(x, hexFloat)), arr("float", Array.from(window, hexFloat)), arr("float", Array.from(t.cos, hexFloat)),
      arr("float", Array.from(t.sin, hexFloat)), arr("uint16_t", Array.from(t.bitrev)), "out", "work", arr("int32_t", stftGeometryArray(g))];
    cases.push({ name, call: `clg_stft_f32(${args.join(", ")});`, expected: y });
  };
  let seed = 100;
  for (const n of [16, 32, 64, 128, 256, 512, 1024]) {
    const hann = Float32Array.from({ length: n }, (_, i) => 0.5 * (1 - Math.cos((2 * Math.PI * i) / n)));
    const len = 3 * n + 5;
    const geo = (padBegin: number, padEnd: number, rows: number, batch: number, imagSign: 1 | -1): StftGeometry =>
      ({ n, hop: n / 4, padBegin, len, frames: windowOut(len, n, n / 4, padBegin, padEnd), rows, batch, imagSign });
    add(`n=${n} speech-like`, randomFloats(seed++, len, 1), hann, geo(0, 0, 1, 1, -1));
    add(`n=${n} padded, +sin`, randomFloats(seed++, len, 1), randomFloats(seed++, n, 1), geo(n / 2 + 3, n, 1, 1, 1));
    if (n <= 64) {
      // Padding longer than a frame: whole frames of zeros (times the window: signed zeros).
      add(`n=${n} wide padding, 2×3 rows`, randomFloats(seed++, 6 * len, 3), hann, geo(n + 7, 2 * n, 3, 2, -1));
      add(`n=${n} special values`, edgeFloats(seed++, len), hann, geo(1, 1, 1, 1, -1));
    }
  }
  const outN = Math.max(...cases.map((c) => c.expected.length));
  const source = ["#include <stdint.h>", "#include <stdio.h>", "#include <string.h>", '#include "clg_stft.h"', ...decls,
    `static float out[${outN}];`, "static float work[1024];",
    "static void dump(int32_t n)", "{", "    for (int32_t i = 0; i < n; i++)", "    {", "        uint32_t u;",
    "        memcpy(&u, &out[i], 4);", '        printf("%08lx\\n", (unsigned long)u);', "    }", "}",
    "int main(void)", "{",
    ...cases.flatMap((c) => [`    /* ${c.name} */`, `    ${c.call}`, `    dump(${c.expected.length});`]),
    "    return 0;", "}", ""].join("\n");
  const expected = cases.flatMap((c) => Array.from(c.expected, (v) => floatBits(v).toString(16).padStart(8, "0")));
  const support = [join(csrcDir(), "codegen_support", "clg_stft.c")];
  const targets = await runSupportProgram("stft", source, support);
  for (const { target, lines } of targets) {
    assert.equal(lines.length, expected.length, target);
    let at = 0;
    for (const c of cases) {
      for (let i = 0; i < c.expected.length; i++, at++) assert.equal(lines[at], expected[at], `${target}: ${c.name} [${i}]`);
    }
  }
  console.log(`clg_stft_f32 = stftF32 on ${targets.map((t) => t.target).join(", ")}: ${cases.length} cases, ${expected.length} outputs`);
});

test("clg_stft.c has no double arithmetic for the M4 and M3: -Wdouble-promotion -Werror, no f64 instruction or double helper", { skip: !ARM && "no arm-none-eabi-gcc" }, async () => {
  const cc = detectToolchain().armCc!.path;
  const objdump = cc.replace(/gcc$/, "objdump");
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-stft-nodouble-"));
  try {
    for (const board of ["mps2-an386", "mps2-an385"] as const) {
      const obj = join(dir, `${board}.o`);
      const r = await exec(cc, [...boardInfo(board).cpuFlags, ...warningFlags(true, "c99"), "-Wdouble-promotion", "-O2", "-ffp-contract=off",
        "-c", join(csrcDir(), "codegen_support", "clg_stft.c"), "-o", obj]);
      assert.equal(r.code, 0, `${board}:\n${r.stdout}${r.stderr}`);
      const d = await exec(objdump, ["-d", "-r", obj]);
      assert.equal(d.code, 0, d.stderr);
      assert.equal(/__aeabi_d[a-z0-9]+|\.f64\b/.exec(d.stdout), null, `${board}: double arithmetic`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
