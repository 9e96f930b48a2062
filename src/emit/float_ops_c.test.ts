// clg_float_ops.c against its twin (src/kernels/float32/float_ops.ts), byte for byte,
// on the inputs models rarely send: GELU and erf over special values, subnormals and
// the series / continued-fraction switch; window ops on NaN, ±∞ and ±0; every cast
// between element types at the wrap, truncation and int64 limits; eq / where /
// logical_not with NaN and −0; amax with NaN and signed zeros. In C on the host, the
// Cortex-M4 board (single-precision FPU) and the Cortex-M3 board (no FPU). And the
// file holds no double arithmetic for either core.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DType } from "../ir/dtype.js";
import { allocArray } from "../ir/dtype.js";
import { broadcastGeometry, meanGeometry } from "../kernels/float32/geometry.js";
import { amaxTyped, cDtype, convWeightsBy4, ferf, geluF32, mapTyped, windowF32, windowGeometryArray, type MapOp, type WindowGeometry, type WindowKind } from "../kernels/float32/float_ops.js";
import { bitsFloat } from "../kernels/float32/fmath.js";
import { reductionPlan } from "../kernels/float32/kernels.js";
import { edgeFloats, neighbours, randomFloats } from "../../test/support/float_inputs.js";
import { boardInfo } from "../targets/boards.js";
import { exec, warningFlags } from "../targets/build.js";
import { csrcDir, detectToolchain } from "../targets/toolchain.js";
import { C_TYPES, hexFloat } from "./cfmt.js";
import { ARM, HOST_CC } from "../../test/support/c_models.js";
import { runSupportProgram } from "../../test/support/c_cases.js";

type Data = ArrayLike<number>;

/** The bytes the C stores for `data` as `dtype` (i64 is held as float64 numbers in TS). */
function bytesOf(dtype: DType, data: Data): string {
  const arr = dtype === "i64" ? BigInt64Array.from(Array.from(data, (v) => BigInt(v))) : (() => {
    const a = allocArray(dtype, data.length);
    a.set(Array.from(data));
    return a;
  })();
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString("hex");
}

function literal(dtype: DType, v: number): string {
  if (dtype === "f32") return hexFloat(v);
  if (dtype === "i64") return v === -(2 ** 63) ? "INT64_MIN" : `${BigInt(v)}LL`;
  return String(v);
}

interface Case { name: string; call: string; bytes: number; expected: string }

class Program {
  decls: string[] = [];
  cases: Case[] = [];
  private n = 0;

  array(dtype: DType, data: Data): string {
    const name = `d${this.n++}`;
    const body = Array.from(data, (v) => literal(dtype, v)).join(",");
    this.decls.push(`static const ${C_TYPES[dtype]} ${name}[${Math.max(1, data.length)}] = {${body || "0"}};`);
    return name;
  }

  ints(data: readonly (number | string)[], ctype = "int32_t"): string {
    const name = `i${this.n++}`;
    this.decls.push(`static const ${ctype} ${name}[${Math.max(1, data.length)}] = {${data.join(",") || "0"}};`);
    return name;
  }

  add(name: string, call: string, dtype: DType, expected: Data): void {
    const bytes = bytesOf(dtype, expected);
    this.cases.push({ name, call, bytes: bytes.length / 2, expected: bytes });
  }

  source(): string {
    const outN = Math.max(...this.cases.map((c) => c.bytes));
    return ["#include <stdint.h>", "#include <stdio.h>", '#include "clg_float_ops.h"', ...this.decls,
      `static uint64_t out_words[${Math.ceil(outN / 8)}];`,
      "static void dump(int32_t n)", "{", "    const uint8_t *b = (const uint8_t *)out_words;", "    int32_t i;",
      '    for (i = 0; i < n; i++)', "    {", '        printf("%02x", b[i]);', "    }", '    printf("\\n");', "}",
      "int main(void)", "{", "    void *out = out_words;",
      ...this.cases.flatMap((c) => [`    /* ${c.name} */`, `    ${c.call}`, `    dump(${c.bytes});`]),
      "    return 0;", "}", ""].join("\n");
  }
}

const F32_SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1, -1, 0.5, -2.5, 1e-40, -1e-40, 3.4e38, -3.4e38];

function buildCases(): Program {
  const p = new Program();
  // GELU over the edges, the series / continued-fraction switch (|x|/√2 = 1), the fraction's
  // 60 / 30 terms switch (|x|/√2 = 2), the erf-rounds-to-1 end and the underflowing tail.
  const xs = Float32Array.from([...edgeFloats(31, 400, 8),
    ...[1.41421354, -1.41421354, 2.82842708, -2.82842708, 5.54, -5.54, 14, -14, -9.5].flatMap(neighbours)]);
  const gx = p.array("f32", xs);
  const gy = new Float32Array(xs.length);
  geluF32(xs, gy);
  p.add("gelu", `clg_gelu_f32(${gx}, out, ${xs.length});`, "f32", gy);
  // erf on its own (clg_erff), one call per element; NaN is left to the arrays (a scalar call keeps the core's NaN sign).
  const es = Float32Array.from([...F32_SPECIAL.filter((v) => v === v), ...neighbours(1), ...neighbours(-1), ...neighbours(2), 3.9, 4, 0.1, -0.7]);
  const ey = es.map((v) => ferf(v));
  p.add("erf", Array.from(es, (v, i) => `((float *)out)[${i}] = clg_erff(${hexFloat(v)});`).join(" "), "f32", ey);

  // Window ops with NaN, ±∞ and signed zeros in the input (and weights holding zeros).
  const win = (name: string, kind: WindowKind, g: WindowGeometry, x: Float32Array, w: Float32Array | null, b: Float32Array | null) => {
    const y = new Float32Array(g.N * g.O * g.OH * g.OW);
    windowF32(kind, x, w, b, y, g);
    const args = [p.array("f32", x), w ? p.array("f32", w) : "NULL", b ? p.array("f32", b) : "NULL"];
    p.add(name, `clg_window_f32(${kind}, ${args.join(", ")}, out, ${p.ints(windowGeometryArray(g))});`, "f32", y);
    if (kind === "CLG_WIN_CONV") {
      // clg_conv4_f32 on the same weights rearranged gives the same bits.
      const args4 = [p.array("f32", x), p.array("f32", convWeightsBy4(w!, g)), b ? p.array("f32", b) : "NULL"];
      p.add(`${name} (conv4)`, `clg_conv4_f32(${args4.join(", ")}, out, ${p.ints(windowGeometryArray(g))});`, "f32", y);
    }
  };
  const x = randomFloats(32, 2 * 4 * 5 * 6, 3);
  [0, 7, 33, 100, 161].forEach((i, k) => (x[i] = F32_SPECIAL[k]!));
  const base = { N: 2, C: 4, H: 5, W: 6 };
  win("max pool dilated", "CLG_WIN_MAX", { ...base, O: 4, OH: 3, OW: 3, KH: 2, KW: 3, groups: 4, sh: 2, sw: 2, ph: 1, pw: 1, dh: 2, dw: 1 }, x, null, null);
  win("avg pool count_include_pad", "CLG_WIN_AVG_PAD", { ...base, O: 4, OH: 3, OW: 4, KH: 3, KW: 3, groups: 4, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1 }, x, null, null);
  win("avg pool", "CLG_WIN_AVG", { ...base, O: 4, OH: 6, OW: 7, KH: 2, KW: 2, groups: 4, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 }, x, null, null);
  const w = randomFloats(33, 6 * 2 * 3 * 2, 1);
  [0, 5, 9].forEach((i) => (w[i] = 0));
  win("conv groups 2", "CLG_WIN_CONV", { ...base, O: 6, OH: 3, OW: 3, KH: 3, KW: 2, groups: 2, sh: 2, sw: 2, ph: 1, pw: 0, dh: 1, dw: 2 }, x, w, randomFloats(34, 6, 1));
  // Four output channels at a time (clg_conv_f32's lanes) with a one-channel remainder, in one group and in two;
  // padding wider than the kernel's reach on one side, so some positions have no tap in a row.
  win("conv 4+4+1 channels", "CLG_WIN_CONV", { ...base, O: 9, OH: 5, OW: 4, KH: 3, KW: 3, groups: 1, sh: 1, sw: 2, ph: 1, pw: 3, dh: 2, dw: 1 },
    x, randomFloats(36, 9 * 4 * 3 * 3, 1), randomFloats(37, 9, 1));
  win("conv groups 2 of 5 channels", "CLG_WIN_CONV", { ...base, O: 10, OH: 2, OW: 6, KH: 2, KW: 3, groups: 2, sh: 3, sw: 1, ph: 0, pw: 1, dh: 1, dw: 1 },
    x, randomFloats(38, 10 * 2 * 2 * 3, 1), null);
  // 1-D (one row): kernels of 3 (all taps, two at a padded edge) and of 5 (one to five taps), strided.
  const row = { N: 2, C: 4, H: 1, W: 30 };
  win("conv1d k3 pad 1", "CLG_WIN_CONV", { ...row, O: 9, OH: 1, OW: 30, KH: 1, KW: 3, groups: 1, sh: 1, sw: 1, ph: 0, pw: 1, dh: 1, dw: 1 },
    x, randomFloats(39, 9 * 4 * 3, 1), randomFloats(40, 9, 1));
  win("conv1d k5 pad 4 stride 2", "CLG_WIN_CONV", { ...row, O: 8, OH: 1, OW: 17, KH: 1, KW: 5, groups: 2, sh: 1, sw: 2, ph: 0, pw: 4, dh: 1, dw: 1 },
    x, randomFloats(41, 8 * 2 * 5, 1), null);
  const wt = randomFloats(35, 4 * 3 * 2 * 3, 1);
  win("transposed conv", "CLG_WIN_CONV_TRANSPOSED", { ...base, O: 3, OH: 10, OW: 14, KH: 2, KW: 3, groups: 1, sh: 2, sw: 2, ph: 0, pw: 1, dh: 1, dw: 2 }, x, wt, null);

  // Casts: every source type to every destination type, at the limits.
  const values: Record<DType, number[]> = {
    f32: [...F32_SPECIAL, 127.9, -128.9, 128, 255.5, 256, -1.5, 32767.5, 40000, 2 ** 31, -(2 ** 31), 2 ** 31 + 256, 1e10, -1e10,
      bitsFloat(0x5e7fffff), -bitsFloat(0x5e7fffff), 2 ** 62, -(2 ** 62), bitsFloat(0x5effffff), -(2 ** 63), 2 ** 63, 1e30],
    i8: [-128, -1, 0, 1, 127], u8: [0, 1, 128, 255], i16: [-32768, -129, 200, 32767], i32: [-2147483648, -40000, 300, 16777217, 2147483647],
    i64: [-(2 ** 53), -(2 ** 40) - 3, -129, 0, 255, 2 ** 31, 2 ** 53 - 1], bool: [0, 1],
  };
  const DTS = Object.keys(values) as DType[];
  const map = (name: string, op: MapOp, outType: DType, ins: { dtype: DType; data: number[]; shape: number[] }[], outShape: number[]) => {
    const { shape, strides } = broadcastGeometry(outShape, ins.map((i) => i.shape));
    const y = allocArray(outType, shape.reduce((a, b) => a * b, 1));
    mapTyped(op, outType, y, ins.map((v, k) => ({ dtype: v.dtype, data: v.dtype === "f32" ? Float32Array.from(v.data) : v.data, strides: strides[k]! })), shape);
    const ptrs = ins.map((v) => p.array(v.dtype, v.data));
    const types = p.ints(ins.map((v) => cDtype(v.dtype)));
    p.add(name, `{ const void *const in[] = {${ptrs.join(", ")}}; clg_map(${op}, ${cDtype(outType)}, out, ${ins.length}, in, ${types}, ${p.ints(strides.flat())}, ${shape.length}, ${p.ints(shape)}); }`, outType, y);
  };
  for (const from of DTS) {
    for (const to of DTS) {
      const data = from === "f32" ? values.f32.map((v) => Math.fround(v)) : values[from];
      map(`cast ${from} -> ${to}`, "CLG_MAP_CAST", to, [{ dtype: from, data, shape: [data.length] }], [data.length]);
    }
  }
  // eq with NaN and −0 (broadcast), between integer types; logical_not; where over bytes of every type.
  const fa = [0, -0, NaN, 1, -1, Infinity];
  map("eq f32 broadcast", "CLG_MAP_EQ", "bool", [{ dtype: "f32", data: fa, shape: [6, 1] }, { dtype: "f32", data: fa, shape: [1, 6] }], [6, 6]);
  map("eq i32 i64", "CLG_MAP_EQ", "bool", [{ dtype: "i32", data: [5, -1, 7], shape: [3] }, { dtype: "i64", data: [5, 2 ** 32 - 1, 7], shape: [3] }], [3]);
  map("logical_not f32", "CLG_MAP_NOT", "bool", [{ dtype: "f32", data: fa, shape: [6] }], [6]);
  map("logical_not i8", "CLG_MAP_NOT", "bool", [{ dtype: "i8", data: [0, 1, -128], shape: [3] }], [3]);
  for (const t of DTS) {
    const a = values[t].slice(0, 4), b = [...values[t]].reverse().slice(0, 4);
    const cond = { dtype: "f32" as DType, data: [NaN, 0, -0, 1], shape: [4, 1] };
    map(`where ${t}`, "CLG_MAP_WHERE", t, [cond, { dtype: t, data: a, shape: [a.length] }, { dtype: t, data: b, shape: [1, b.length] }], [4, a.length]);
  }
  // amax: NaN in a group, +0 / −0 in either order, integer types.
  const amax = (name: string, dtype: DType, data: number[], shape: number[], dims: number[]) => {
    const g = meanGeometry(shape, dims);
    const { starts, offsets } = reductionPlan(g.shape, g.reduce);
    const y = allocArray(dtype, starts.length);
    amaxTyped(dtype, dtype === "f32" ? Float32Array.from(data) : data, y, starts, offsets);
    p.add(name, `clg_amax(${cDtype(dtype)}, ${p.array(dtype, data)}, out, ${starts.length}, ${p.ints(starts)}, ${offsets.length}, ${p.ints(offsets)});`, dtype, y);
  };
  amax("amax f32", "f32", [0, -0, 1, NaN, -0, 0, -Infinity, -5, 2, 3, Infinity, 1], [3, 4], [1]);
  amax("amax f32 dim 0", "f32", [0, -0, 1, NaN, -0, 0, -Infinity, -5, 2, 3, Infinity, 1], [3, 4], [0]);
  amax("amax i8", "i8", [-128, -5, 3, 127, -128, -128], [2, 3], [1]);
  amax("amax i64", "i64", [-(2 ** 40), 2 ** 40, 7, -3], [4], []);
  return p;
}

const SOURCES = ["clg_float_ops.c", "clg_fmath.c"].map((f) => join(csrcDir(), "codegen_support", f));

test("clg_float_ops on host, Cortex-M4 and Cortex-M3 = its TS twin, byte for byte, on edge inputs", { skip: !HOST_CC && "no host gcc" }, async () => {
  const prog = buildCases();
  for (const { target, lines: got } of await runSupportProgram("float-ops", prog.source(), SOURCES)) {
    assert.equal(got.length, prog.cases.length, target);
    prog.cases.forEach((c, i) => assert.equal(got[i], c.expected, `${target}: ${c.name}`));
    console.log(`# ${target}: ${prog.cases.length} kernel calls identical`);
  }
});

// Double-precision helpers (soft float), f64 instructions and libm double calls.
const DOUBLE_USE = /__aeabi_(?:d[a-z0-9]+|[fu]?[il]?2d|[a-z]*2d)\b|\.f64\b|R_ARM_THM_(?:CALL|JUMP24)\s+(?:exp|log|tanh|pow|sqrt|erf|floor|trunc)\b/;

test("clg_float_ops.c has no double arithmetic for Cortex-M4 or M3 (-Wdouble-promotion -Werror, objdump)", { skip: !ARM && "no arm-none-eabi-gcc" }, async () => {
  const cc = detectToolchain().armCc!.path;
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-float-ops-nodouble-"));
  try {
    for (const board of ["mps2-an386", "mps2-an385"] as const) {
      const obj = join(dir, `${board}.o`);
      const r = await exec(cc, [...boardInfo(board).cpuFlags, ...warningFlags(true, "c99"), "-Wdouble-promotion", "-O2", "-ffp-contract=off",
        `-I${join(csrcDir(), "codegen_support")}`, "-c", SOURCES[0]!, "-o", obj]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const d = await exec(cc.replace(/gcc$/, "objdump"), ["-d", "-r", obj]);
      assert.equal(d.code, 0, d.stderr);
      const hit = DOUBLE_USE.exec(d.stdout);
      assert.equal(hit, null, `${board}: double arithmetic (${hit?.[0]})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
