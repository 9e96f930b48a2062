// The float fallbacks are single precision and bit-exact: every clg_float
// kernel (13 unary ops, 7 binary ops with broadcasting, mean, softmax,
// log_softmax, the table softmax of int8 codes, matmul, linear, LSTM) runs on special values, subnormals, the
// breakpoints of the own math functions and seeded random floats, in C on the
// host, on the Cortex-M4 board (single-precision FPU) and the Cortex-M3 board
// (no FPU), and its output bits are compared element by element with the
// simulator's kernels (src/kernels/float32). And no double-precision
// arithmetic is left in the code generated for a Cortex-M.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buildStages } from "./stages.js";
import { floatBits } from "../kernels/float32/fmath.js";
import { binaryF32, BINARY_F32, linearF32, lstmF32, lstmGatesF32, matmulF32, meanF32, softmaxExpTable, softmaxF32, softmaxS8F32, unaryF32, UNARY_F32 } from "../kernels/float32/kernels.js";
import { binaryGeometry, matmulGeometry, meanGeometry } from "../kernels/float32/geometry.js";
import { edgeFloats, randomFloats } from "../../test/support/float_inputs.js";
import { boardInfo } from "../targets/boards.js";
import { exec, warningFlags } from "../targets/build.js";
import { csrcDir, detectToolchain } from "../targets/toolchain.js";
import { hexFloat } from "../emit/cfmt.js";
import { emitProject, writeProject } from "../emit/project.js";
import { ARM, HOST_CC } from "../../test/support/c_models.js";
import { runSupportProgram } from "../../test/support/c_cases.js";

interface Case {
  name: string;
  /** C statements computing into `out` (float[n]) from the arrays declared in `decls`. */
  call: string;
  expected: Float32Array;
}

/** Everything the C program declares, and the cases (in print order). */
class Program {
  decls: string[] = [];
  cases: Case[] = [];
  private n = 0;

  floats(data: ArrayLike<number>): string {
    const name = `d${this.n++}`;
    const body = Array.from(data, (x) => hexFloat(x)).join(",");
    this.decls.push(`static const float ${name}[${Math.max(1, data.length)}] = {${body || "0.0f"}};`);
    return name;
  }

  ints(data: readonly number[], ctype = "int32_t"): string {
    const name = `i${this.n++}`;
    this.decls.push(`static const ${ctype} ${name}[${Math.max(1, data.length)}] = {${data.join(",") || "0"}};`);
    return name;
  }

  add(name: string, call: string, expected: Float32Array): void {
    this.cases.push({ name, call, expected });
  }

  source(): string {
    const outN = Math.max(...this.cases.map((c) => c.expected.length));
    const L = ["#include <stdint.h>", "#include <stdio.h>", "#include <string.h>", '#include "clg_float.h"', ...this.decls,
      `static float out[${outN}];`, "static float work[4096];",
      "static void dump(int32_t n)", "{", "    int32_t i;", "    for (i = 0; i < n; i++)", "    {", "        uint32_t u;",
      "        memcpy(&u, &out[i], 4);", '        printf("%08lx\\n", (unsigned long)u);', "    }", "}",
      "int main(void)", "{"];
    for (const c of this.cases) L.push(`    /* ${c.name} */`, `    ${c.call}`, `    dump(${c.expected.length});`);
    L.push("    (void)work;", "    return 0;", "}", "");
    return L.join("\n");
  }
}

const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function buildCases(): Program {
  const p = new Program();
  const xs = edgeFloats(11, 300);
  const px = p.floats(xs);
  for (const [op, [p0, p1]] of Object.keys(UNARY_F32).map((k) => [k, k === "CLG_HARDTANH" ? [-1.5, 2.25] : [0.01, 0]] as const)) {
    const y = new Float32Array(xs.length);
    unaryF32(op, xs, y, p0, p1);
    p.add(`unary ${op}`, `clg_unary_f32(${op}, ${px}, out, ${xs.length}, ${hexFloat(p0)}, ${hexFloat(p1)});`, y);
  }
  // Equal shapes: every edge value against every other (a shifted copy) and against moderate values.
  const bs = Float32Array.from(xs, (_, i) => xs[(i * 7 + 3) % xs.length]!);
  const moderate = randomFloats(12, xs.length, 4).map((v, i) => (i % 3 === 0 ? Math.fround(Math.abs(v) % 5) : v));
  for (const [label, b] of [["edges", bs], ["moderate", moderate]] as const) {
    const pb = p.floats(b);
    for (const op of Object.keys(BINARY_F32)) {
      const g = binaryGeometry([xs.length], [xs.length], [xs.length]);
      const y = new Float32Array(xs.length);
      binaryF32(op, xs, g.aStrides, b, g.bStrides, y, g.shape);
      p.add(`binary ${op} ${label}`, `clg_binary_f32(${op}, ${px}, ${p.ints(g.aStrides)}, ${pb}, ${p.ints(g.bStrides)}, out, ${g.shape.length}, ${p.ints(g.shape)});`, y);
    }
  }
  // One operand a single value (the flat loop with a zero step).
  for (const op of ["CLG_DIV", "CLG_POW"]) {
    const b = Float32Array.of(op === "CLG_POW" ? 3 : -0.37);
    const g = binaryGeometry([xs.length], [1], [xs.length]);
    const y = new Float32Array(xs.length);
    binaryF32(op, xs, g.aStrides, b, g.bStrides, y, g.shape);
    p.add(`binary ${op} scalar`, `clg_binary_f32(${op}, ${px}, ${p.ints(g.aStrides)}, ${p.floats(b)}, ${p.ints(g.bStrides)}, out, 1, ${p.ints(g.shape)});`, y);
  }
  // Broadcasting: a [4,1] against b [3,1,5] → [3,4,5].
  {
    const a = randomFloats(13, 4, 3), b = randomFloats(14, 15, 3);
    const g = binaryGeometry([4, 1], [3, 1, 5], [3, 4, 5]);
    const y = new Float32Array(60);
    binaryF32("CLG_SUB", a, g.aStrides, b, g.bStrides, y, g.shape);
    p.add("binary broadcast", `clg_binary_f32(CLG_SUB, ${p.floats(a)}, ${p.ints(g.aStrides)}, ${p.floats(b)}, ${p.ints(g.bStrides)}, out, 3, ${p.ints(g.shape)});`, y);
  }
  // Mean over inner / outer dims; values of very different magnitudes (order of summation matters).
  const m = randomFloats(15, 120, 1000);
  const pm = p.floats(m);
  for (const dims of [[1], [0, 2], []]) {
    const g = meanGeometry([4, 5, 6], dims);
    const n = prod([4, 5, 6].filter((_, k) => !g.reduce[k]));
    const y = new Float32Array(n);
    meanF32(m, y, g.shape, g.reduce);
    p.add(`mean ${dims}`, `clg_mean_f32(${pm}, out, 3, ${p.ints(g.shape)}, ${p.ints(g.reduce.map((r) => (r ? 1 : 0)), "uint8_t")});`, y);
  }
  // softmax / log_softmax along the middle of [8][13][3]: rows of moderate values, some with extremes.
  const sm = randomFloats(16, 8 * 13 * 3, 30);
  for (let i = 0; i < sm.length; i += 17) sm[i] = xs[(i * 5) % xs.length]!;
  const psm = p.floats(sm);
  for (const isLog of [false, true]) {
    const y = new Float32Array(sm.length);
    softmaxF32(sm, y, 8, 13, 3, isLog);
    p.add(`softmax log=${isLog}`, `clg_softmax_f32(${psm}, out, 8, 13, 3, ${isLog ? 1 : 0});`, y);
  }
  // Table softmax of int8 codes (cortex_m.dequantize_softmax): row lengths 1..17, all-equal rows,
  // rows spanning -128..127 (table index 255), a strided layout, and scales from tiny to huge
  // (exps that underflow to 0 and sums that round).
  for (const scale of [0.0177498, 1e-6, 0.5, 3.4e4]) {
    const table = softmaxExpTable(scale);
    const pt = p.floats(table);
    for (let len = 1; len <= 17; len++) {
      const q: number[] = [];
      for (let r = 0; r < 4; r++) {
        for (let k = 0; k < len; k++) {
          q.push(r === 0 ? 7 : r === 1 ? (k % 2 ? 127 : -128) : r === 2 ? -128 : (((k * 37 + len * 11 + r) % 256) - 128));
        }
      }
      const y = new Float32Array(q.length);
      softmaxS8F32(q, table, y, 4, len, 1);
      p.add(`softmax_s8 scale=${scale} len=${len}`, `clg_softmax_s8_f32(${p.ints(q, "int8_t")}, out, 4, ${len}, 1, ${pt});`, y);
    }
    // [2][16][5]: rows strided by 5, as YOLO's DFL [1,16,4,189] along dim 1.
    const q = Array.from({ length: 2 * 16 * 5 }, (_, i) => (((i * 89 + 13) % 256) - 128));
    const y = new Float32Array(q.length);
    softmaxS8F32(q, table, y, 2, 16, 5);
    p.add(`softmax_s8 scale=${scale} strided`, `clg_softmax_s8_f32(${p.ints(q, "int8_t")}, out, 2, 16, 5, ${pt});`, y);
  }
  // Batched matmul [2,1,3,17] x [1,2,17,5] and a vector-matrix product.
  for (const [as, bsh] of [[[2, 1, 3, 17], [1, 2, 17, 5]], [[9], [9, 4]]] as const) {
    const a = randomFloats(17, prod(as), 2), b = randomFloats(18, prod(bsh), 2);
    const g = matmulGeometry(as, bsh);
    const y = new Float32Array(prod(g.batch) * g.M * g.N);
    matmulF32(a, b, y, g.batch, g.aBStrides, g.bBStrides, g.M, g.K, g.N);
    const nb = g.batch.length;
    p.add(`matmul ${as}x${bsh}`, `clg_matmul_f32(${p.floats(a)}, ${p.floats(b)}, out, ${nb}, ${p.ints(nb ? g.batch : [1])}, ${p.ints(nb ? g.aBStrides : [0])}, ${p.ints(nb ? g.bBStrides : [0])}, ${g.M}, ${g.K}, ${g.N});`, y);
  }
  {
    const x = randomFloats(19, 3 * 33, 2), w = randomFloats(20, 7 * 33, 1), b = randomFloats(21, 7, 1);
    const y = new Float32Array(21);
    linearF32(x, w, b, y, 3, 33, 7);
    p.add("linear", `clg_linear_f32(${p.floats(x)}, ${p.floats(w)}, ${p.floats(b)}, out, 3, 33, 7);`, y);
  }
  // LSTM: S 3, N 2, I 5, H 7, with bias and initial state (saturating gates included), then none of them.
  {
    const [S, N, I, H] = [3, 2, 5, 7];
    const X = randomFloats(22, S * N * I, 3), W = randomFloats(23, 4 * H * I, 1.5), R = randomFloats(24, 4 * H * H, 1.5);
    const B = randomFloats(25, 8 * H, 1), h0 = randomFloats(26, N * H, 1), c0 = randomFloats(27, N * H, 4);
    X[3] = 40; X[8] = -40; X[11] = 1e-40;
    // exact zeros of both signs in the input and the state (soft-float builds skip their products),
    // and zero biases, so sums start at zero too
    for (const i of [0, 5, 6, 7, 12, 20, 21, 29]) X[i] = i % 2 ? -0 : 0;
    for (const i of [1, 4, 9]) h0[i] = -0;
    for (const i of [0, 1, 2, 3, 9, 10]) { B[i] = 0; B[4 * H + i] = i % 2 ? -0 : 0; }
    const [pX, pW, pR] = [p.floats(X), p.floats(W), p.floats(R)];
    for (const full of [true, false]) {
      const r = lstmF32(X, full ? h0 : null, full ? c0 : null, S, N, I, H, lstmGatesF32(W, R, full ? B : null, I, H));
      const y = new Float32Array(r.Y.length + r.Yh.length + r.Yc.length);
      y.set(r.Y);
      y.set(r.Yh, r.Y.length);
      y.set(r.Yc, r.Y.length + r.Yh.length);
      const args = full ? `${p.floats(B)}, ${p.floats(h0)}, ${p.floats(c0)}` : "NULL, NULL, NULL";
      p.add(`lstm full=${full}`, `clg_lstm_f32(${pX}, ${pW}, ${pR}, ${args}, out, out + ${r.Y.length}, out + ${r.Y.length + r.Yh.length}, ${S}, ${N}, ${I}, ${H}, 1, work);`, y);
    }
  }
  // All-zero input and state with -0 biases and cell: a sum that stays zero keeps its sign only
  // if no product is skipped (soft-float builds must not skip then).
  {
    const [I, H] = [3, 2];
    const X = new Float32Array(I), W = randomFloats(28, 4 * H * I, 1), R = randomFloats(29, 4 * H * H, 1);
    const B = new Float32Array(8 * H).fill(-0), h0 = new Float32Array(H), c0 = new Float32Array(H).fill(-0);
    const r = lstmF32(X, h0, c0, 1, 1, I, H, lstmGatesF32(W, R, B, I, H));
    const y = Float32Array.from([...r.Y, ...r.Yh, ...r.Yc]);
    p.add("lstm zeros", `clg_lstm_f32(${p.floats(X)}, ${p.floats(W)}, ${p.floats(R)}, ${p.floats(B)}, ${p.floats(h0)}, ${p.floats(c0)}, out, out + ${H}, out + ${2 * H}, 1, 1, ${I}, ${H}, 1, work);`, y);
  }
  return p;
}

const FLOAT_SOURCES = ["clg_float.c", "clg_fmath.c"].map((f) => join(csrcDir(), "codegen_support", f));

test("every float fallback kernel: C on host, Cortex-M4 and Cortex-M3 = simulator, bit for bit, on edge and random inputs", { skip: !HOST_CC && "no host gcc" }, async () => {
  const prog = buildCases();
  const expected = prog.cases.flatMap((c) => Array.from(c.expected, (v) => floatBits(v).toString(16).padStart(8, "0")));
  for (const { target, lines: got } of await runSupportProgram("float", prog.source(), FLOAT_SOURCES)) {
    assert.equal(got.length, expected.length, target);
    let at = 0;
    for (const c of prog.cases) {
      for (let i = 0; i < c.expected.length; i++, at++) {
        assert.equal(got[at], expected[at], `${target}: ${c.name} [${i}]`);
      }
    }
    console.log(`# ${target}: ${expected.length} float outputs of ${prog.cases.length} kernel calls identical`);
  }
});

// Double-precision arithmetic in Arm objects: the soft-float helpers (M3, and M4 for
// anything its single-precision FPU cannot do), any f64 instruction, and calls
// into libm's double functions.
const DOUBLE_USE = /__aeabi_(?:d[a-z0-9]+|[fu]?[il]?2d|[a-z]*2d)\b|\.f64\b|R_ARM_THM_(?:CALL|JUMP24)\s+(?:exp|log|tanh|pow|sqrt|floor|ceil|round|fabs|erf)\b/;

test("no double arithmetic in the code generated for Cortex-M4 and M3 (Silero VAD; YOLO11n 96x96 on the M4): -Wdouble-promotion -Werror, no f64 instruction or double helper", { skip: !ARM && "no arm-none-eabi-gcc" }, async () => {
  const cc = detectToolchain().armCc!.path;
  const objdump = cc.replace(/gcc$/, "objdump");
  const dir = mkdtempSync(join(tmpdir(), "cmsis-lower-nodouble-"));
  try {
    // Silero (LSTM, pow, sqrt, mean) for both cores; YOLO (softmax, matmul, binary ops) for the M4 only, to keep CI short.
    const models = [
      { name: "vad", model: "silero-vad", inputShapes: undefined, cores: [["cortex-m4", "mps2-an386"], ["cortex-m3", "mps2-an385"]] as const },
      { name: "yolo", model: "yolo11n", inputShapes: { images: [1, 3, 96, 96] }, cores: [["cortex-m4", "mps2-an386"]] as const },
    ];
    for (const m of models) {
      for (const [cpu, board] of m.cores) {
        const s = await buildStages(m.model, { stage: "final", target: cpu, inputShapes: m.inputShapes });
        const p = emitProject(s, { name: m.name });
        assert.ok(p.files.has("support/clg_float.c"), `${m.model} uses float fallbacks`);
        const out = join(dir, `${m.name}-${cpu}`);
        writeProject(out, p.files);
        const incs = [...new Set([...p.files.keys()].filter((k) => k.endsWith(".h")).map((k) => `-I${join(out, dirname(k))}`))];
        // The weights files hold constant data only; everything else is compiled and scanned.
        const sources = [...p.files.keys()].filter((k) => k.endsWith(".c") && !k.endsWith("_weights.c"));
        const scan = async (src: string): Promise<void> => {
          const obj = join(out, `${src.replace(/[\\/]/g, "_")}.o`);
          const r = await exec(cc, [...boardInfo(board).cpuFlags, ...warningFlags(true, "c99"), "-Wdouble-promotion", "-O2", "-ffp-contract=off", ...incs, "-c", join(out, src), "-o", obj]);
          assert.equal(r.code, 0, `${m.model} ${cpu} ${src}:\n${r.stdout}${r.stderr}`);
          const d = await exec(objdump, ["-d", "-r", obj]);
          assert.equal(d.code, 0, d.stderr);
          const hit = DOUBLE_USE.exec(d.stdout);
          assert.equal(hit, null, `${m.model} ${cpu} ${src}: double arithmetic (${hit?.[0]})`);
        };
        for (let i = 0; i < sources.length; i += 2) await Promise.all(sources.slice(i, i + 2).map(scan));
        console.log(`# ${m.model} ${cpu}: ${sources.length} sources, no double arithmetic`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
