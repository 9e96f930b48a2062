// Test driver for a generated project (verification only, not part of the
// output): main.c runs `steps` inferences through <name>_run_float, feeding
// chosen outputs back into inputs (stateful models), then one inference of
// the int8 API <name>_run — the measured one. Data goes through files
// (semihosting on the boards): in.bin in, out.bin out, raw little-endian.
// For a project in external-weights mode it also supplies <name>_read_weights,
// reading <name>_weights.bin with stdio (semihosting on the boards).
import type { Tensor } from "../ir/tensor.js";
import { bytesPerElement } from "../ir/dtype.js";
import { cString } from "./cfmt.js";
import { cTypeOf } from "./context.js";
import type { Port, Ports } from "./ports.js";

export interface Feedback {
  /** Graph input name fed from … */
  input: string;
  /** … this graph output of the previous step. */
  output: string;
}

function portBytes(p: Port, intApi: boolean): number {
  return p.value.numel * bytesPerElement(intApi && p.border ? p.arenaValue.dtype : p.value.dtype);
}

/** <name>_read_weights over stdio: fopen once, fseek + fread per fetch (unbuffered: one host read each). */
function readWeightsCallback(prefix: string, path: string): string[] {
  return [
    "static FILE *weights_file;",
    "",
    `int ${prefix}_read_weights(uint32_t offset, void *dst, uint32_t size)`,
    "{",
    "    if (!weights_file)",
    "    {",
    `        weights_file = fopen(${cString(path)}, "rb");`,
    "        if (!weights_file)",
    "            return 1;",
    "        setvbuf(weights_file, NULL, _IONBF, 0);",
    "    }",
    "    if (fseek(weights_file, (long)offset, SEEK_SET) != 0)",
    "        return 2;",
    "    return fread(dst, 1, size, weights_file) == size ? 0 : 3;",
    "}",
    "",
  ];
}

/**
 * main.c of the harness. `weightsFile`: path (from the run's working directory)
 * of <name>_weights.bin when the project is in external-weights mode.
 */
export function harnessMain(prefix: string, ports: Ports, steps: number, feedback: readonly Feedback[], weightsFile: string | null = null, afterRun: readonly string[] = [], callerArena = false): string {
  const feedOf = (p: Port): number => {
    const f = feedback.find((x) => x.input === p.value.name);
    return f ? ports.outputs.findIndex((o) => o.value.name === f.output) : -1;
  };
  const L: string[] = [
    "/* cmsis-lower verification harness (generated). */",
    "#include <stdint.h>",
    "#include <stdio.h>",
    "#include <string.h>",
    "",
    '#include "cl_bench.h"',
    `#include "${prefix}.h"`,
    "",
    "/* Large I/O buffers live in the boards' big RAM (uninitialised section). */",
    "#if defined(CL_BOARD_MPS2) || defined(CL_BOARD_AN547)",
    '#define IO_ATTR __attribute__((section(".big"), aligned(16)))',
    "#else",
    "#define IO_ATTR",
    "#endif",
    "",
  ];
  const t = (p: Port, intApi: boolean): string => cTypeOf(intApi && p.border ? p.arenaValue.dtype : p.value.dtype);
  for (const [kind, list] of [["in", ports.inputs], ["out", ports.outputs]] as const) {
    for (const p of list) {
      L.push(`static ${t(p, false)} f${kind}${p.index}[${Math.max(1, p.value.numel)}] IO_ATTR;`);
      L.push(`static ${t(p, true)} q${kind}${p.index}[${Math.max(1, p.value.numel)}] IO_ATTR;`);
    }
  }
  if (callerArena) {
    const P = prefix.toUpperCase();
    L.push(`static union { int8_t bytes[${P}_ARENA_BYTES]; double align; } arena __attribute__((aligned(${P}_ARENA_ALIGN)));`, `static ${prefix}_ctx ctx;`);
  }
  const call = (intApi: boolean): string =>
    `${prefix}_${intApi ? "run" : "run_float"}(${[...(callerArena ? ["&ctx"] : []), ...ports.inputs.map((p) => `${intApi ? "q" : "f"}in${p.index}`), ...ports.outputs.map((p) => `${intApi ? "q" : "f"}out${p.index}`)].join(", ")})`;
  if (weightsFile) L.push("", ...readWeightsCallback(prefix, weightsFile));
  L.push(
    "",
    "static int read_all(FILE *f, void *p, size_t n)",
    "{",
    "    return n == 0 || fread(p, 1, n, f) == n;",
    "}",
    "",
    "static int write_all(FILE *f, const void *p, size_t n)",
    "{",
    "    return n == 0 || fwrite(p, 1, n, f) == n;",
    "}",
    "",
    "int main(void)",
    "{",
    '    FILE *fi = fopen("in.bin", "rb");',
    '    FILE *fo = fopen("out.bin", "wb");',
    "    int step;",
    "    int rc;",
    "    uint32_t t0;",
    "    uint32_t t1;",
    "    if (!fi || !fo)",
    "    {",
    '        printf("harness: cannot open in.bin / out.bin\\n");',
    "        return 3;",
    "    }",
    "    cl_bench_init();",
    ...(callerArena ? [`    rc = ${prefix}_init(&ctx, arena.bytes, sizeof arena.bytes);`, "    if (rc != 0)", "    {", '        printf("harness: init returned %d\\n", rc);', "        return 5;", "    }"] : []),
    `    for (step = 0; step < ${steps}; step++)`,
    "    {",
  );
  for (const p of ports.inputs) {
    const fb = feedOf(p);
    const n = portBytes(p, false);
    if (fb >= 0) {
      L.push(`        if (step > 0)`, `            memcpy(fin${p.index}, fout${fb}, ${n}u);`, `        else if (!read_all(fi, fin${p.index}, ${n}u))`);
    } else {
      L.push(`        if (!read_all(fi, fin${p.index}, ${n}u))`);
    }
    L.push("            return 4;");
  }
  L.push(`        rc = ${call(false)};`, "        if (rc != 0)", "        {", '            printf("harness: run_float returned %d\\n", rc);', "            return 5;", "        }");
  for (const p of ports.outputs) L.push(`        if (!write_all(fo, fout${p.index}, ${portBytes(p, false)}u))`, "            return 6;");
  L.push("    }");
  for (const p of ports.inputs) L.push(`    if (!read_all(fi, qin${p.index}, ${portBytes(p, true)}u))`, "        return 4;");
  L.push(
    "    t0 = cl_bench_now();",
    `    rc = ${call(true)};`,
    "    t1 = cl_bench_now();",
    "    if (rc != 0)",
    "    {",
    '        printf("harness: run returned %d\\n", rc);',
    "        return 5;",
    "    }",
    ...afterRun.map((l) => `    ${l}`),
  );
  for (const p of ports.outputs) L.push(`    if (!write_all(fo, qout${p.index}, ${portBytes(p, true)}u))`, "        return 6;");
  L.push(
    "    fclose(fi);",
    "    fclose(fo);",
    "    if (cl_bench_enabled())",
    '        printf("@instructions run %lu\\n", (unsigned long)cl_bench_instructions(t0, t1));',
    "    return 0;",
    "}",
    "",
  );
  return L.join("\n");
}

function bytesOfTensor(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** in.bin: every step's inputs (fed-back ones from the first step only), then the int8-API inputs. */
export function packInputs(ports: Ports, steps: readonly Record<string, Tensor>[], feedback: readonly Feedback[], int8Inputs: readonly Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [];
  steps.forEach((feeds, s) => {
    for (const p of ports.inputs) {
      if (s > 0 && feedback.some((f) => f.input === p.value.name)) continue;
      const t = feeds[p.value.name];
      if (!t) throw new Error(`harness: step ${s} has no feed for input ${p.value.name}`);
      parts.push(bytesOfTensor(t));
    }
  });
  for (const b of int8Inputs) parts.push(b);
  return Buffer.concat(parts);
}

/** Split out.bin into per-step float-API outputs and the int8-API outputs (raw bytes). */
export function unpackOutputs(ports: Ports, steps: number, data: Uint8Array): { floatSteps: Uint8Array[][]; int8: Uint8Array[] } {
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > data.length) throw new Error(`harness: out.bin has ${data.length} bytes, expected more`);
    const b = data.slice(at, at + n);
    at += n;
    return b;
  };
  const floatSteps = Array.from({ length: steps }, () => ports.outputs.map((p) => take(portBytes(p, false))));
  const int8 = ports.outputs.map((p) => take(portBytes(p, true)));
  if (at !== data.length) throw new Error(`harness: out.bin has ${data.length - at} bytes too many`);
  return { floatSteps, int8 };
}
