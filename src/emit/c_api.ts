// The parts of the generated API around the run functions: status codes, the
// network-info object, the instance context of the caller-arena mode and the
// state-carry helpers of stateful models. Header and source lines only; the
// project (project.ts) places them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decoderOf } from "../ir/bindings.js";
import { QUANTIZE_PER_TENSOR } from "../ops/cortex_m/quant.js";
import { dequantizeValue, quantizeValue } from "../ops/quant/rounding.js";
import { repoRoot } from "../targets/toolchain.js";
import { cString, commentSafe } from "./cfmt.js";
import { cTypeOf } from "./context.js";
import type { Port, Ports } from "./ports.js";

/** Arena base alignment the caller must give (the planner aligns buffers to 16 bytes). */
export const ARENA_ALIGN = 16;

/** Status kinds; a kernel error keeps the historical code −step (kind bits 0). */
export const STATUS = ["OK", "KERNEL_ERROR", "WEIGHTS_READ_FAILED", "ARENA_TOO_SMALL", "ARENA_MISALIGNED", "NULL_ARGUMENT"] as const;

/** The C expression of a failing status with its step (see the header's comment). */
export function errorCode(prefix: string, kind: (typeof STATUS)[number], step: number): string {
  if (step < 0 || step > 0xffff) throw new Error(`c_api: step ${step} does not fit the status code`);
  if (kind === "KERNEL_ERROR") return `-${step}`;
  return `-((int)${prefix.toUpperCase()}_${kind} * 65536 + ${step})`;
}

let versionCache: string | null = null;

export function cmsisLowerVersion(): string {
  versionCache ??= (JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { version: string }).version;
  return versionCache;
}

/** A model state output fed back to a state input on the next call. */
export interface CarryPair {
  input: Port;
  output: Port;
}

export interface ApiInfo {
  prefix: string;
  target: string;
  source: string;
  callerArena: boolean;
  /** Bytes the caller's arena must have (caller mode), or the static arena's. */
  arenaBytes: number;
  weightsBytes: number;
  externalWeightsBytes: number;
  /** Bytes of static buffers outside the arena (0 in caller mode: they are in the arena). */
  staticBytes: number;
  macs: number;
  numSteps: number;
  ports: Ports;
  carry: CarryPair[];
}

/** The model's state pairs by the names the stream description uses (the model's own port names). */
export function carryPairs(ports: Ports, state: ReadonlyArray<{ input: string; output: string }>): CarryPair[] {
  const out: CarryPair[] = [];
  for (const s of state) {
    const input = ports.inputs.find((p) => p.name === s.input);
    const output = ports.outputs.find((p) => p.name === s.output);
    if (!input || !output || input.value.numel !== output.value.numel) continue;
    // An int16 border pair is carried only on one grid (an integer-only build's recurrent state group): no
    // 65536-entry table is emitted to requantize between two int16 grids.
    if ((isBorderCarry({ input, output }) && !isInt8Carry({ input, output })) && !isSameGridCarry({ input, output })) continue;
    out.push({ input, output });
  }
  return out;
}

const isBorderCarry = (c: CarryPair): boolean => c.input.border !== null && c.output.border !== null;

/** Both ends of a pair are int8 ports of <name>_run: the bytes must be requantized. */
const isInt8Carry = (c: CarryPair): boolean => isBorderCarry(c) && c.input.arenaValue.dtype === "i8" && c.output.arenaValue.dtype === "i8";

/** Both ends are int16 ports of <name>_run on the same grid: the codes carry over as they are. */
const isSameGridCarry = (c: CarryPair): boolean => isBorderCarry(c) && c.input.arenaValue.dtype === "i16" &&
  c.output.arenaValue.dtype === "i16" && c.input.scale === c.output.scale && c.input.zeroPoint === c.output.zeroPoint;

/**
 * Output code q → input code, indexed by q + 128: dequantized with the output's
 * qparams and quantized with the input's, the float API's path between two calls.
 */
function requantTable(c: CarryPair): number[] {
  const q8 = decoderOf(QUANTIZE_PER_TENSOR)(c.input.border!);
  return Array.from({ length: 256 }, (_, q) => quantizeValue(
    dequantizeValue(q - 128, c.output.scale!, c.output.zeroPoint!), q8.scale, q8.zeroPoint, q8.qmin, q8.qmax));
}

/** The scales differ so little that every code maps to itself: a copy is then exact. */
const isIdentity = (t: number[]): boolean => t.every((x, i) => x === i - 128);

function carryName(prefix: string, c: CarryPair): string {
  return `${prefix}_carry_${c.input.param}`;
}

/** The header names the parameters after the ports; the definition `from` / `to` (no port name meets the library's macros). */
function carrySignature(prefix: string, c: CarryPair, from = c.output.param, to = c.input.param): string {
  const t = isBorderCarry(c) ? cTypeOf(c.input.arenaValue.dtype) : cTypeOf(c.input.value.dtype);
  return `void ${carryName(prefix, c)}(const ${t} *${from}, ${t} *${to})`;
}

/** Signature of a run function: the ctx first in caller-arena mode. */
export function runSignature(i: { prefix: string; callerArena: boolean; ports: Ports }, intApi: boolean): string {
  // A border port is int8 in the integer API, or int16 for a 16x8 group.
  const portType = (p: Port): string => cTypeOf(intApi && p.border ? p.arenaValue.dtype : p.value.dtype);
  const params = [
    ...(i.callerArena ? [`${i.prefix}_ctx *ctx`] : []),
    ...i.ports.inputs.map((p) => `const ${portType(p)} *${p.param}`),
    ...i.ports.outputs.map((p) => `${portType(p)} *${p.param}`),
  ];
  return `int ${i.prefix}_${intApi ? "run" : "run_float"}(${params.join(", ") || "void"})`;
}

/** Header lines: versions, status codes, the info object, the ctx and init (caller mode), carry helpers. */
export function apiHeader(i: ApiInfo): string[] {
  const P = i.prefix.toUpperCase();
  const [major, minor, patch] = cmsisLowerVersion().split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0);
  const h: string[] = [
    `#define ${P}_CMSIS_LOWER_VERSION ${cString(cmsisLowerVersion())}`,
    `#define ${P}_CMSIS_LOWER_VERSION_MAJOR ${major ?? 0}`,
    `#define ${P}_CMSIS_LOWER_VERSION_MINOR ${minor ?? 0}`,
    `#define ${P}_CMSIS_LOWER_VERSION_PATCH ${patch ?? 0}`,
    `/* Multiply-accumulates of one inference (convolutions and fully-connected layers). */`,
    `#define ${P}_MACS UINT64_C(${i.macs})`,
    `/* Bytes of the constants compiled into the image (${i.prefix}_weights.c). */`,
    `#define ${P}_WEIGHTS_BYTES ${i.weightsBytes}u`,
    "",
    "/*",
    ` * Status of every ${i.prefix}_* function: ${P}_OK (0) or negative. A CMSIS-NN kernel error at`,
    ` * step k of ${i.prefix}.c returns -k (as in earlier versions); any other error returns`,
    ` * -(kind * 65536 + step). ${P}_STATUS(rc) gives the kind, ${P}_STATUS_STEP(rc) the step (0 if none).`,
    " */",
    `typedef enum ${i.prefix}_status`,
    "{",
    `    ${P}_OK = 0,`,
    `    ${P}_KERNEL_ERROR = 1,        /* a CMSIS-NN function returned an error */`,
    `    ${P}_WEIGHTS_READ_FAILED = 2, /* the application's weight reader failed (compile --external-weights) */`,
    `    ${P}_ARENA_TOO_SMALL = 3,     /* ${i.prefix}_init: size < ${P}_ARENA_BYTES */`,
    `    ${P}_ARENA_MISALIGNED = 4,    /* ${i.prefix}_init: arena not a multiple of ${P}_ARENA_ALIGN */`,
    `    ${P}_NULL_ARGUMENT = 5        /* a NULL ctx or arena, or a ctx ${i.prefix}_init did not accept */`,
    `} ${i.prefix}_status;`,
    "",
    `#define ${P}_STATUS(rc) ((rc) >= 0 ? ${P}_OK : (-(rc) >> 16) == 0 ? ${P}_KERNEL_ERROR : (${i.prefix}_status)(-(rc) >> 16))`,
    `#define ${P}_STATUS_STEP(rc) ((rc) < 0 ? (-(rc)) & 0xFFFF : 0)`,
    "",
    `/* The name of a status code (e.g. "ARENA_TOO_SMALL"). */`,
    `const char *${i.prefix}_status_name(int rc);`,
    "",
    `/* What was compiled: ${i.prefix}_info.macs, .arena_bytes, ... (one const object). */`,
    `struct ${i.prefix}_info`,
    "{",
    "    const char *model;               /* the model as given to cmsis-lower compile */",
    "    const char *target;              /* CPU it was lowered for */",
    "    const char *cmsis_lower_version; /* the generator */",
    "    const char *cmsis_nn_version;    /* the CMSIS-NN snapshot its arithmetic and scratch sizes follow */",
    "    uint64_t macs;",
    "    uint32_t arena_bytes;            /* activations and scratch (the caller's arena in caller-arena mode) */",
    "    uint32_t weights_bytes;          /* constants in the image */",
    "    uint32_t external_weights_bytes; /* bytes of <name>_weights.bin (0: none) */",
    "    uint32_t static_bytes;           /* static buffers outside the arena */",
    "    uint32_t num_steps;              /* scheduled steps of one inference */",
    "    uint32_t num_inputs;",
    "    uint32_t num_outputs;",
    "    uint32_t caller_arena;           /* 1: the caller supplies the arena (" + i.prefix + "_init) */",
    "};",
    `extern const struct ${i.prefix}_info ${i.prefix}_info;`,
    "",
  ];
  if (i.callerArena) {
    h.push(
      "/*",
      ` * Caller-supplied arena: every activation, scratch and temporary buffer of an inference lives in`,
      ` * the arena given to ${i.prefix}_init (at least ${P}_ARENA_BYTES bytes, aligned to ${P}_ARENA_ALIGN).`,
      ` * The generated code keeps no writable static state, so instances with their own ctx and arena`,
      ` * may run interleaved or in different threads. Between inferences the arena may be reused for`,
      " * anything else; re-initialise nothing, the next run overwrites it.",
      " */",
      `#define ${P}_ARENA_ALIGN ${ARENA_ALIGN}`,
      "",
      `typedef struct ${i.prefix}_ctx`,
      "{",
      "    int8_t *arena;",
      "    size_t arena_bytes;",
      `} ${i.prefix}_ctx;`,
      "",
      `/* Binds ctx to arena. Returns ${P}_OK, or the code of ${P}_NULL_ARGUMENT, ${P}_ARENA_MISALIGNED, ${P}_ARENA_TOO_SMALL. */`,
      `int ${i.prefix}_init(${i.prefix}_ctx *ctx, void *arena, size_t size);`,
      "",
    );
  }
  if (i.carry.length) {
    h.push("/*", " * Stateful model: feed each state output back to its state input on the next call (zeros on the first).");
    for (const c of i.carry) {
      h.push(` * - output ${c.output.index} "${commentSafe(c.output.name)}" -> input ${c.input.index} "${commentSafe(c.input.name)}": ` +
        (isInt8Carry(c)
          ? `in ${i.prefix}_run both are int8 with different scales (${c.output.scale} and ${c.input.scale}): call ${carryName(i.prefix, c)},`
          : isSameGridCarry(c)
            ? `in ${i.prefix}_run both are int16 on one grid (scale ${c.input.scale}): ${carryName(i.prefix, c)} copies it,`
            : `${c.input.value.dtype} in both functions: ${carryName(i.prefix, c)} copies it,`));
      if (isSameGridCarry(c)) h.push(` *   (a memcpy of the same codes is equivalent; in ${i.prefix}_run_float, copy the floats).`);
      else if (!isInt8Carry(c)) h.push(" *   (a memcpy of the same bytes is equivalent).");
      else if (isIdentity(requantTable(c))) h.push(` *   which requantizes as ${i.prefix}_run_float does; for these scales every code maps to itself, so it copies (a memcpy`, " *   is exact for this compile only: recalibrating changes the scales).");
      else h.push(` *   which requantizes exactly as ${i.prefix}_run_float does; a memcpy would be wrong (in ${i.prefix}_run_float, copy the floats).`);
    }
    h.push(" */");
    for (const c of i.carry) h.push(`${carrySignature(i.prefix, c)};`);
    h.push("");
  }
  return h;
}

/** Source lines: the info object, status names, init (caller mode) and the carry helpers. */
export function apiSource(i: ApiInfo, cmsisNnVersion: string): string[] {
  const P = i.prefix.toUpperCase();
  const c: string[] = [
    `const struct ${i.prefix}_info ${i.prefix}_info = {`,
    `    ${cString(i.source)},`,
    `    ${cString(i.target)},`,
    `    ${P}_CMSIS_LOWER_VERSION,`,
    `    ${cmsisNnVersion},`,
    `    ${P}_MACS,`,
    `    ${P}_ARENA_BYTES,`,
    `    ${P}_WEIGHTS_BYTES,`,
    `    ${i.externalWeightsBytes}u,`,
    `    ${i.staticBytes}u,`,
    `    ${i.numSteps}u,`,
    `    ${P}_NUM_INPUTS,`,
    `    ${P}_NUM_OUTPUTS,`,
    `    ${i.callerArena ? 1 : 0}u,`,
    "};",
    "",
    `const char *${i.prefix}_status_name(int rc)`,
    "{",
    `    switch (${P}_STATUS(rc))`,
    "    {",
    ...STATUS.flatMap((s) => [`    case ${P}_${s}:`, `        return ${cString(s)};`]),
    "    }",
    '    return "UNKNOWN";',
    "}",
    "",
  ];
  if (i.callerArena) {
    c.push(
      `int ${i.prefix}_init(${i.prefix}_ctx *ctx, void *arena, size_t size)`,
      "{",
      "    if (ctx == NULL || arena == NULL)",
      `        return ${errorCode(i.prefix, "NULL_ARGUMENT", 0)};`,
      "    ctx->arena = NULL;",
      "    ctx->arena_bytes = 0;",
      `    if (((uintptr_t)arena % ${P}_ARENA_ALIGN) != 0)`,
      `        return ${errorCode(i.prefix, "ARENA_MISALIGNED", 0)};`,
      `    if (size < ${P}_ARENA_BYTES)`,
      `        return ${errorCode(i.prefix, "ARENA_TOO_SMALL", 0)};`,
      "    ctx->arena = (int8_t *)arena;",
      "    ctx->arena_bytes = size;",
      `    return ${P}_OK;`,
      "}",
      "",
    );
  }
  for (const p of i.carry) {
    c.push(carrySignature(i.prefix, p, "from", "to"), "{");
    const table = isInt8Carry(p) ? requantTable(p) : null;
    if (table && !isIdentity(table)) {
      c.push(`    static const int8_t requant[256] = {${table.join(", ")}};`);
      c.push(`    uint32_t i;`, `    for (i = 0; i < ${p.input.value.numel}u; i++)`, `        to[i] = requant[from[i] + 128];`);
    } else {
      c.push(`    memcpy(to, from, sizeof(*to) * ${p.input.value.numel}u);`);
    }
    c.push("}", "");
  }
  return c;
}
