// The generated C project of a lowered model: emitProject is pure (same
// stages → byte-identical files); writeProject puts the files in place
// atomically (temp dir + rename, nothing half-written on error).
import { bytesPerElement } from "../ir/dtype.js";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { decoderOf } from "../ir/bindings.js";
import { UserError } from "../ir/errors.js";
import { writeDir, writeDirInterruptibly, type DirWrite } from "../io/atomic_dir.js";
import { checkOutputDir } from "../io/output_path.js";
import type { Graph, Node } from "../ir/graph.js";
import { fmtShape } from "../ir/tensor.js";
import type { LowerOptions } from "../lower/options.js";
import { DEQUANTIZE_PER_TENSOR, QUANTIZE_PER_TENSOR } from "../ops/cortex_m/quant.js";
import { SCRATCH } from "../ops/cortex_m/scratch.js";
import type { MemoryPlan } from "../plan/graph_plan.js";
import { rowMajor, storedLayout, storesRowMajor } from "../ir/layout.js";
import { countMacs } from "../ops/cortex_m/macs.js";
import { apiHeader, apiSource, ARENA_ALIGN, carryPairs, errorCode, runSignature, type ApiInfo } from "./c_api.js";
import { cString, commentSafe, hexFloat } from "./cfmt.js";
import { bytesOf, comment, cTypeOf, makeContext, newState, type ContextState } from "./context.js";
import { cmsisNnSnapshot, libraryFiles, nnIncludeDir, realLibrarySources } from "./library.js";
import { emitRelayout } from "./moves.js";
import { modelPrefix, NameTable } from "./names.js";
import { EMITTERS } from "./ops/index.js";
import { dequantizeCall, quantizeCall } from "./ops/quant.js";
import { buildFiles } from "./build_files.js";
import { findPorts, type Port, type Ports } from "./ports.js";
import { beginStep, DEFAULT_EXTERNAL_MIN_BYTES, endStep, newStaging, weightsBlob } from "./external_weights.js";
import { emitWeights } from "./weights.js";

/** What emitProject needs from the driver's stages (buildStages(..., {stage: "final"})). */
export interface EmitInput {
  final?: Graph;
  plan?: MemoryPlan;
  options?: LowerOptions;
  /** The float model: its input / output names name the API's ports. */
  float?: Graph;
  /** A built-in model's stream description: its state pairs get carry helpers. */
  model?: { builtin?: { stream?: { state: ReadonlyArray<{ input: string; output: string }> } } };
}

export interface EmitOptions {
  /** C prefix and file base name (default "model"). */
  name?: string;
  /** CPU the model was lowered for (default: the stages' target). */
  target?: string;
  /** Model reference shown in comments (e.g. the file name). */
  source?: string;
  /**
   * External-weights mode: int8 constants of at least `externalMinBytes` bytes go to
   * <name>_weights.bin instead of the image; each step fetches the ones it reads
   * through the application's <name>_read_weights into a static staging buffer.
   */
  externalWeights?: boolean;
  /** Smallest constant moved out in external-weights mode (default 1024 bytes). */
  externalMinBytes?: number;
  /**
   * "static" (default): one static arena, `<name>_run(ports...)`. "caller": the
   * application supplies the arena through `<name>_init(ctx, arena, size)` and
   * every run takes the ctx; staging and temporaries live in that arena too.
   */
  arena?: "static" | "caller";
  /** State pairs (model input ← model output names) to generate carry helpers for (default: the built-in model's). */
  state?: ReadonlyArray<{ input: string; output: string }>;
}

export interface EmittedProject {
  /** Text files by output-relative path. */
  files: Map<string, string>;
  /** Binary files (external-weights mode: <name>_weights.bin). */
  binaryFiles: Map<string, Uint8Array>;
  prefix: string;
  /** Bytes of the arena: the static one, or what the caller must give <name>_init (staging and temporaries included). */
  arenaBytes: number;
  callerArena: boolean;
  macs: number;
  /** Bytes of the constants compiled into the image (<name>_weights.c). */
  weightsBytes: number;
  /** External-weights mode: bytes of <name>_weights.bin (0 otherwise). */
  externalWeightsBytes: number;
  /** External-weights mode: bytes of the staging buffer (largest constant group of one step; 0 otherwise). */
  stageBytes: number;
  /** Bytes of static buffers outside the arena (relayout temporaries, float workspaces). */
  staticBytes: number;
  nnFunctions: string[];
  /** The real CMSIS-NN sources the model needs, relative to a checkout. */
  realNnSources: string[];
  /** Steps of <name>_run with code, in order, each bracketed by the <NAME>_STEP_BEGIN / _END hooks. */
  steps: ProjectStep[];
  /** Output-relative C sources of the model and the library, for builds. */
  sources: string[];
  includeDirs: string[];
  ports: Ports;
}

export interface ProjectStep {
  /** The step number passed to the hooks (also the −k error code). */
  index: number;
  name: string;
  op: string;
  /** The library functions the step calls ("+"-joined), or "memcpy" / "inline C". */
  kernel: string;
}

/** What a step's code calls: CMSIS-NN and support functions, else memcpy, else inline code. */
function kernelOf(code: readonly string[]): string {
  const fns = new Set<string>();
  for (const l of code) for (const m of l.matchAll(/\b((?:arm|clg)_[A-Za-z0-9_]+)\s*\(/g)) fns.add(m[1]!);
  for (const f of fns) if (f.endsWith("_get_buffer_size")) fns.delete(f);
  if (fns.size) return [...fns].join("+");
  return code.some((l) => /\bmemcpy\s*\(/.test(l)) ? "memcpy" : "inline C";
}

/** A border step of <name>_run copies int8 bytes (only <name>_run_float quantizes there); profile measures _run. */
const BORDER_KERNEL = "memcpy (int8 API)";

const CLASS_CHECK: Record<string, string> = {
  mve: "!defined(__ARM_FEATURE_MVE)",
  dsp: "!defined(__ARM_FEATURE_DSP) || defined(__ARM_FEATURE_MVE)",
  scalar: "defined(__ARM_FEATURE_DSP)",
};

function indentBody(lines: string[], base = 1): string[] {
  let depth = base;
  return lines.map((l) => {
    if (l === "}") depth--;
    const out = "    ".repeat(depth) + l;
    if (l === "{") depth++;
    return out;
  });
}

/** Code of the border step of port p (quantize / dequantize replaced by the API). */
function borderCode(ctx: ReturnType<typeof makeContext>, node: Node, p: Port, isInput: boolean): void {
  const n = p.arenaValue.numel;
  const bytes = n * bytesPerElement(p.arenaValue.dtype);
  const slot = ctx.ptr(p.arenaValue);
  if (isInput) {
    ctx.line(`if (float_io)`);
    ctx.line(`    ${quantizeCall(decoderOf(QUANTIZE_PER_TENSOR)(node), ctx, `(const float *)in[${p.index}]`, slot, n)}`);
    ctx.line(`else`);
    ctx.line(`    memcpy(${slot}, in[${p.index}], ${bytes}u);`);
  } else {
    ctx.line(`if (float_io)`);
    ctx.line(`    ${dequantizeCall(decoderOf(DEQUANTIZE_PER_TENSOR)(node), ctx, slot, `(float *)out[${p.index}]`, n)}`);
    ctx.line(`else`);
    ctx.line(`    memcpy(out[${p.index}], ${slot}, ${bytes}u);`);
  }
}

/** Copy a plain port between the caller's row-major buffer and its arena slot / constant. */
function plainPortCode(ctx: ReturnType<typeof makeContext>, p: Port, isInput: boolean): void {
  const v = p.value;
  const ct = cTypeOf(v.dtype);
  const user = isInput ? `((const ${ct} *)in[${p.index}])` : `((${ct} *)out[${p.index}])`;
  const callers = rowMajor(v.type);
  const stored = storedLayout(v);
  const slot = ctx.ptr(v);
  if (storesRowMajor(stored)) {
    ctx.line(isInput ? `memcpy(${slot}, in[${p.index}], ${bytesOf(v.type)}u);` : `memcpy(out[${p.index}], ${slot}, ${bytesOf(v.type)}u);`);
  } else if (isInput) {
    emitRelayout(ctx, { ptr: user, type: callers }, { ptr: slot, type: stored });
  } else {
    emitRelayout(ctx, { ptr: slot, type: stored }, { ptr: user, type: callers });
  }
}

function banner(what: string, opts: { source: string; target: string }): string {
  return `/*\n * ${what}\n * Generated by cmsis-lower from ${commentSafe(opts.source)} for ${commentSafe(opts.target)}. Do not edit.\n */`;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Attribute macro defaulting to 16-byte alignment (a section may be added by the application). */
function alignedAttr(name: string): string[] {
  return [
    `#ifndef ${name}`,
    "#if defined(__GNUC__) || defined(__clang__)",
    `#define ${name} __attribute__((aligned(16)))`,
    "#else",
    `#define ${name}`,
    "#endif",
    "#endif",
    "",
  ];
}

/** An aligned static byte buffer `<prefix>_<what>` of `size` (a macro) bytes, placed by `attr`. */
function staticBytes(prefix: string, what: string, size: string, attr: string): string[] {
  return [...alignedAttr(attr), "static union", "{", `    int8_t bytes[${size}];`, "    double align;", `} ${prefix}_${what} ${attr};`, ""];
}

/** Default mode: the static arena (and staging buffer) of the one instance. */
function staticArenaDecls(prefix: string, staged: boolean): string[] {
  const P = prefix.toUpperCase();
  return [
    ...staticBytes(prefix, "arena", `${P}_ARENA_BYTES`, `${P}_ARENA_ATTR`),
    "/* A typed pointer into the arena at a planned byte offset. */",
    "#define ARENA(type, offset) ((type *)(void *)(arena + (offset)))",
    "",
    ...(staged ? [
      `/* External weights are fetched here before the step that reads them (see ${prefix}.h). */`,
      ...staticBytes(prefix, "stage", `${P}_STAGE_BYTES`, `${P}_STAGE_ATTR`),
      "/* A typed pointer into the staging buffer at a planned byte offset. */",
      `#define STAGE(type, offset) ((type *)(void *)&${prefix}_stage.bytes[(offset)])`,
      "",
    ] : []),
  ];
}

/** Caller-arena mode: planned buffers, then the staging buffer, then the temporaries, all in the ctx's arena. */
function callerArenaDecls(prefix: string, stageOffset: number, scratchOffset: number, staged: boolean): string[] {
  return [
    "/* Typed pointers into the instance's arena: planned buffers, the staging buffer of external",
    " * weights and the temporaries of relayouts and float kernels each at their own planned offsets. */",
    "#define ARENA(type, offset) ((type *)(void *)(arena + (offset)))",
    ...(staged ? [`#define STAGE(type, offset) ((type *)(void *)(arena + ${stageOffset} + (offset)))`] : []),
    `#define SCRATCH(type, offset) ((type *)(void *)(arena + ${scratchOffset} + (offset)))`,
    "",
  ];
}

/** Emit the project files of a lowered, planned model. Pure: no file system writes. */
export function emitProject(stages: EmitInput, opts: EmitOptions = {}): EmittedProject {
  const g = stages.final;
  const plan = stages.plan;
  if (!g || !plan) throw new UserError("compile: the model must be built to the final stage (lowered and planned) before code generation");
  const target = opts.target ?? stages.options?.target ?? "cortex-m55";
  if (stages.options && opts.target && stages.options.target !== opts.target) {
    throw new UserError(`compile: --target ${opts.target} differs from the target the model was lowered for (${stages.options.target})`);
  }
  const tclass = stages.options?.targetClass ?? "mve";
  const prefix = modelPrefix(opts.name ?? "model");
  const P = prefix.toUpperCase();
  const source = opts.source ?? g.name;
  const info = { source, target };
  const ports = findPorts(g, stages.float && { inputs: stages.float.inputs.map((v) => v.name), outputs: stages.float.outputs.map((v) => v.name) }, stages.options?.integerOnly === true);
  const callerArena = opts.arena === "caller";
  const sig = (intApi: boolean): string => runSignature({ prefix, callerArena, ports }, intApi);
  const external = opts.externalWeights ?? false;
  const minBytes = opts.externalMinBytes ?? DEFAULT_EXTERNAL_MIN_BYTES;
  if (!Number.isInteger(minBytes) || minBytes < 0) throw new UserError(`compile: externalMinBytes must be a non-negative integer, got ${minBytes}`);
  const staging = external ? newStaging(minBytes) : null;
  const state: ContextState = newState(staging, callerArena);
  const localNames = new NameTable();
  const weightNames = new NameTable();
  const inPort = new Map<Node, Port>();
  const outPorts = new Map<Node, Port[]>();
  const steps: ProjectStep[] = [];
  // Brackets the code a step added after body[from] with the hooks (a step without code gets none).
  const hook = (step: number, node: Node, from: number, kernel?: string): void => {
    const code = state.body.slice(from).filter((l) => !l.startsWith("/*"));
    if (code.length === 0) return;
    const name = cString(node.name);
    state.body.splice(from, 0, `${P}_STEP_BEGIN(${step}, ${name});`);
    state.body.push(`${P}_STEP_END(${step}, ${name});`);
    steps.push({ index: step, name: node.name, op: node.op, kernel: kernel ?? kernelOf(code) });
  };
  for (const p of ports.inputs) if (p.border) inPort.set(p.border, p);
  for (const p of ports.outputs) if (p.border) outPorts.set(p.border, [...(outPorts.get(p.border) ?? []), p]);

  // Plain inputs are in the arena before the first step.
  const pre = makeContext(prefix, g, plan, state, localNames, weightNames, g.nodes[0] ?? ({ name: "inputs", op: "input" } as Node), 0);
  for (const p of ports.inputs) {
    if (p.border) continue;
    state.body.push(comment(`model input ${p.index} "${p.name}": ${p.value.dtype}${fmtShape(p.value.shape)}`));
    plainPortCode(pre, p, true);
  }
  plan.order.forEach((node, i) => {
    const step = i + 1;
    const ctx = makeContext(prefix, g, plan, state, localNames, weightNames, node, step);
    const ip = inPort.get(node);
    const ops = outPorts.get(node);
    if (ip) {
      state.body.push(comment(`[${step}] ${node.name} (${node.op}): model input ${ip.index} "${ip.name}"`));
      const from = state.body.length;
      borderCode(ctx, node, ip, true);
      hook(step, node, from, BORDER_KERNEL);
      return;
    }
    if (ops) {
      const from = state.body.length;
      for (const p of ops) {
        state.body.push(comment(`[${step}] ${node.name} (${node.op}): model output ${p.index} "${p.name}"`));
        borderCode(ctx, node, p, false);
      }
      hook(step, node, from, BORDER_KERNEL);
      return;
    }
    const emit = EMITTERS.get(node.op);
    if (!emit) throw new UserError(`compile: node ${node.name}: op ${node.op} has no C code generator`);
    if (node.op !== SCRATCH.name) state.body.push(comment(`[${step}] ${node.name} (${node.op})`));
    const at = state.body.length;
    if (!staging) {
      emit(node, ctx);
      hook(step, node, at);
      return;
    }
    // The fetches go between the step's comment and its code, once the code said what it reads.
    beginStep(staging);
    emit(node, ctx);
    state.body.splice(at, 0, ...endStep(staging, prefix, step, comment));
    hook(step, node, at);
  });
  const post = makeContext(prefix, g, plan, state, localNames, weightNames, g.nodes[0] ?? ({ name: "outputs", op: "output" } as Node), 0);
  for (const p of ports.outputs) {
    if (p.border) continue;
    state.body.push(comment(`model output ${p.index} "${p.name}": ${p.value.dtype}${fmtShape(p.value.shape)}`));
    plainPortCode(post, p, false);
  }

  const weightUses = [...state.weights.values()];
  const weights = emitWeights(prefix, weightUses, banner(`${prefix}: weights and other constants (flash).`, info));
  const lib = libraryFiles(state.nnFunctions, state.support);
  const realNnSources = realLibrarySources(state.nnFunctions);
  const cmsisNn = cmsisNnSnapshot();
  const plannedBytes = Math.max(16, plan.arenaBytes);
  const stageBytes = staging ? Math.max(16, staging.stageBytes) : 0;
  const blob = staging ? weightsBlob(staging) : null;
  // Caller-arena mode: [planned buffers | staging buffer | scratch of the temporaries], each 16-aligned.
  const stageOffset = alignUp(plannedBytes, ARENA_ALIGN);
  const scratchOffset = alignUp(stageOffset + (callerArena ? stageBytes : 0), ARENA_ALIGN);
  const arenaBytes = callerArena ? Math.max(plannedBytes, alignUp(scratchOffset + state.staticBytes, ARENA_ALIGN)) : plannedBytes;
  const staticBytes = callerArena ? 0 : state.staticBytes;
  const macs = countMacs(g);
  const api: ApiInfo = {
    prefix, target, source, callerArena, arenaBytes, weightsBytes: weights.bytes, externalWeightsBytes: blob?.length ?? 0,
    staticBytes, macs, numSteps: plan.order.length, ports, carry: carryPairs(ports, opts.state ?? stages.model?.builtin?.stream?.state ?? []),
  };

  // ---- <name>.h
  const h: string[] = [
    banner(`${prefix}: int8 inference API.`, info),
    `#ifndef ${P}_H`,
    `#define ${P}_H`,
    "",
    "#include <stddef.h>",
    "#include <stdint.h>",
    "",
    "#ifdef __cplusplus",
    'extern "C" {',
    "#endif",
    "",
    `#define ${P}_TARGET ${cString(target)}`,
    `/* The CMSIS-NN snapshot the code was generated for (its kernels' arithmetic and scratch sizes). */`,
    `#define ${P}_CMSIS_NN_VERSION ${cString(cmsisNn.version)}`,
    `#define ${P}_CMSIS_NN_COMMIT ${cString(cmsisNn.commit)}`,
    `/* Step indices passed to ${P}_STEP_BEGIN / ${P}_STEP_END are below this. */`,
    `#define ${P}_NUM_STEPS ${plan.order.length + 1}`,
    callerArena
      ? `/* The caller's arena holds every activation, scratch and temporary buffer (planned offsets). */`
      : `/* One static arena holds every activation and scratch buffer (planned offsets). */`,
    `#define ${P}_ARENA_BYTES ${arenaBytes}`,
    `#define ${P}_NUM_INPUTS ${ports.inputs.length}`,
    `#define ${P}_NUM_OUTPUTS ${ports.outputs.length}`,
    "",
  ];
  if (staging) {
    h.push(
      "/*",
      ` * External weights: the large constants are not in the image but in ${prefix}_weights.bin`,
      ` * (${blob!.length} bytes; offsets are multiples of 16). Before each step the code copies the`,
      ` * ones the step reads into a ${callerArena ? "staging buffer in the arena" : "static staging buffer"} of ${P}_STAGE_BYTES bytes by calling`,
      ` * ${prefix}_read_weights, which the application supplies (external flash, SD card, file).`,
      " */",
      `#define ${P}_EXTERNAL_WEIGHTS 1`,
      `#define ${P}_WEIGHTS_FILE ${cString(`${prefix}_weights.bin`)}`,
      `#define ${P}_WEIGHTS_FILE_BYTES ${blob!.length}u`,
      `#define ${P}_STAGE_BYTES ${stageBytes}`,
      "",
      `/* Copy \`size\` bytes from byte \`offset\` of ${prefix}_weights.bin to \`dst\`; return 0 on success. */`,
      `int ${prefix}_read_weights(uint32_t offset, void *dst, uint32_t size);`,
      "",
    );
  }
  const intName = (p: Port): string => (p.arenaValue.dtype === "i16" ? "int16" : "int8");
  const portMacros = (kind: "INPUT" | "OUTPUT", p: Port): void => {
    const v = p.value;
    const m = `${P}_${kind}_${p.index}`;
    // The same facts keyed by the parameter's name: <P>_IN_<PARAM>_SIZE, <P>_OUT_<PARAM>_SCALE ...
    const named = `${P}_${kind === "INPUT" ? "IN" : "OUT"}_${p.param.toUpperCase()}`;
    h.push(`/* ${kind.toLowerCase()} ${p.index} "${commentSafe(p.name)}" (parameter ${p.param}): ${v.dtype}${fmtShape(v.shape)}, row-major; ${p.border ? `${intName(p)} in ${prefix}_run (real = scale * (q - zero_point)), float in ${prefix}_run_float` : `${v.dtype} in both functions`} */`);
    h.push(`#define ${m}_NAME ${cString(p.name)}`);
    h.push(`#define ${m}_RANK ${v.rank}`);
    h.push(`#define ${m}_SHAPE {${v.shape.join(", ") || "1"}}`);
    v.shape.forEach((d, i) => h.push(`#define ${m}_DIM${i} ${d}`));
    h.push(`#define ${m}_SIZE ${v.numel}`);
    h.push(`#define ${m}_IS_INT8 ${p.border && p.arenaValue.dtype === "i8" ? 1 : 0}`);
    if (p.border && p.arenaValue.dtype === "i16") h.push(`#define ${m}_IS_INT16 1`);
    if (p.border) {
      h.push(`#define ${m}_SCALE ${hexFloat(p.scale!)} /* ${p.scale} */`);
      h.push(`#define ${m}_ZERO_POINT ${p.zeroPoint}`);
    }
    h.push(`#define ${named}_INDEX ${p.index}`, `#define ${named}_SIZE ${m}_SIZE`, `#define ${named}_SHAPE ${m}_SHAPE`);
    if (p.border) h.push(`#define ${named}_SCALE ${m}_SCALE`, `#define ${named}_ZERO_POINT ${m}_ZERO_POINT`);
    h.push("");
  };
  ports.inputs.forEach((p) => portMacros("INPUT", p));
  ports.outputs.forEach((p) => portMacros("OUTPUT", p));
  h.push(...apiHeader(api));
  h.push(
    "/*",
    ` * Runs one inference${callerArena ? " in ctx's arena" : ""}. Buffers are row-major in the shapes above; int8 ports take the`,
    ` * quantized bytes. Returns ${P}_OK, or -k when step k of ${prefix}.c reported a kernel error (${P}_KERNEL_ERROR)${staging ? "," : "."}`,
    ...(staging ? [` * or ${P}_WEIGHTS_READ_FAILED with the step when ${prefix}_read_weights failed for it.`] : []),
    ...(callerArena ? [` * ${P}_NULL_ARGUMENT: ctx was not accepted by ${prefix}_init.`] : [" * Not reentrant: the arena is static."]),
    " */",
    `${sig(true)};`,
    "",
    "/* The same, with float buffers for the int8 ports (quantized / dequantized as in the simulator). */",
    `${sig(false)};`,
    "",
    "#ifdef __cplusplus",
    "}",
    "#endif",
    "",
    `#endif /* ${P}_H */`,
    "",
  );

  // ---- <name>.c
  const c: string[] = [
    banner(`${prefix}: the kernel calls in schedule order over one static arena.`, info),
    `#include "${prefix}.h"`,
    `#include "${prefix}_weights.h"`,
    "",
    "#include <stddef.h>",
    "#include <string.h>",
    "",
    '#include "arm_nnfunctions.h"',
    ...(state.support.has("support") ? ['#include "clg_support.h"'] : []),
    ...(state.support.has("float") ? ['#include "clg_float.h"'] : []),
    ...(state.support.has("float_ops") ? ['#include "clg_float_ops.h"'] : []),
    ...(state.support.has("wide") ? ['#include "clg_wide.h"'] : []),
    ...(state.support.has("int_ops") ? ['#include "clg_int_ops.h"'] : []),
    ...(state.support.has("stft") ? ['#include "clg_stft.h"'] : []),
    "",
    "/* Results are bit-exact with the simulator only with CMSIS-NN's default double rounding. */",
    "#if defined(CMSIS_NN_USE_SINGLE_ROUNDING)",
    "#error \"build without CMSIS_NN_USE_SINGLE_ROUNDING: the model was compiled for double rounding\"",
    "#endif",
    "",
    `/* Lowered for ${target} (CMSIS-NN ${tclass} build): scratch sizes${tclass === "mve" ? " and fully-connected kernel sums" : ""} assume that build of`,
    ` * the real CMSIS-NN. The portable library bundled here runs on any CPU. */`,
    `#if !defined(CMSIS_LOWER_PORTABLE_CMSIS_NN) && defined(__arm__) && !defined(${P}_ALLOW_ANY_CPU)`,
    `#if ${CLASS_CHECK[tclass] ?? "0"}`,
    `#error "this model was lowered for ${target}: compile CMSIS-NN and this file for that CPU (or define ${P}_ALLOW_ANY_CPU)"`,
    "#endif",
    "#endif",
    "",
    "/* Per-step hooks (e.g. a cycle counter read around each layer); empty unless defined, here or in",
    ` * the header named by ${P}_HOOKS_HEADER. index: the step number; name: a string literal. */`,
    `#if defined(${P}_HOOKS_HEADER)`,
    `#include ${P}_HOOKS_HEADER`,
    "#endif",
    `#ifndef ${P}_STEP_BEGIN`,
    `#define ${P}_STEP_BEGIN(index, name) ((void)0)`,
    "#endif",
    `#ifndef ${P}_STEP_END`,
    `#define ${P}_STEP_END(index, name) ((void)0)`,
    "#endif",
    "",
    ...(callerArena ? callerArenaDecls(prefix, stageOffset, scratchOffset, staging !== null) : staticArenaDecls(prefix, staging !== null)),
    ...state.decls,
    ...(state.decls.length ? [""] : []),
    "/* arena: the instance's arena; in / out: the caller's buffers in port order; float_io: int8 ports are float. */",
    "static int invoke(int8_t *arena, const void *const *in, void *const *out, int float_io)",
    "{",
    ...indentBody(state.body),
    "    (void)arena;",
    "    (void)in;",
    "    (void)out;",
    "    (void)float_io;",
    "    return 0;",
    "}",
    "",
    ...apiSource(api, `${P}_CMSIS_NN_VERSION`),
  ];
  // The definitions name the ports in_<i> / out_<i>: a model's name may be spelled like a macro of the library headers.
  for (const intApi of [true, false]) {
    const portType = (p: Port): string => cTypeOf(intApi && p.border ? p.arenaValue.dtype : p.value.dtype);
    const params = [
      ...(callerArena ? [`${prefix}_ctx *ctx`] : []),
      ...ports.inputs.map((p) => `const ${portType(p)} *in_${p.index}`),
      ...ports.outputs.map((p) => `${portType(p)} *out_${p.index}`),
    ];
    c.push(`int ${prefix}_${intApi ? "run" : "run_float"}(${params.join(", ") || "void"})`, "{");
    const ins = ports.inputs.map((p) => `(const void *)in_${p.index}`);
    const outs = ports.outputs.map((p) => `(void *)out_${p.index}`);
    c.push(`    const void *const in[${Math.max(1, ins.length)}] = {${ins.join(", ") || "NULL"}};`);
    c.push(`    void *const out[${Math.max(1, outs.length)}] = {${outs.join(", ") || "NULL"}};`);
    if (callerArena) {
      c.push("    if (ctx == NULL || ctx->arena == NULL)", `        return ${errorCode(prefix, "NULL_ARGUMENT", 0)};`);
      c.push(`    return invoke(ctx->arena, in, out, ${intApi ? 0 : 1});`, "}", "");
    } else {
      c.push(`    return invoke(${prefix}_arena.bytes, in, out, ${intApi ? 0 : 1});`, "}", "");
    }
  }

  const files = new Map<string, string>();
  files.set(`${prefix}.h`, h.join("\n"));
  files.set(`${prefix}.c`, c.join("\n"));
  files.set(`${prefix}_weights.h`, weights.header);
  files.set(`${prefix}_weights.c`, weights.source);
  for (const [k, v] of lib.files) files.set(k, v);
  const binaryFiles = new Map<string, Uint8Array>(blob ? [[`${prefix}_weights.bin`, blob]] : []);
  const modelSources = [`${prefix}.c`, `${prefix}_weights.c`];
  const includeDirs = [".", nnIncludeDir(), ...(lib.supportSources.length ? ["support"] : [])];
  for (const [k, v] of buildFiles({
    prefix, target, source, arenaBytes, callerArena, weightsBytes: weights.bytes, staticBytes,
    externalWeightsBytes: blob?.length ?? 0, stageBytes,
    modelSources, nnSources: lib.nnSources, realNnSources, cmsisNn, supportSources: lib.supportSources, includeDirs,
    nnFunctions: [...state.nnFunctions].sort(), ports, runSignature: sig(true), floatSignature: sig(false), carry: api.carry,
  })) files.set(k, v);
  return {
    files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    binaryFiles,
    prefix,
    arenaBytes,
    callerArena,
    macs,
    weightsBytes: weights.bytes,
    externalWeightsBytes: blob?.length ?? 0,
    stageBytes,
    staticBytes,
    nnFunctions: [...state.nnFunctions].sort(),
    realNnSources,
    steps,
    sources: [...modelSources, ...lib.supportSources, ...lib.nnSources],
    includeDirs,
    ports,
  };
}

/** Every file of a project, text and binary, for writeProject. */
export function projectFiles(p: EmittedProject): Map<string, string | Uint8Array> {
  return new Map<string, string | Uint8Array>([...p.files, ...p.binaryFiles]);
}

/** Marks an output directory as ours, so a later compile may replace it. */
export const PROJECT_MARKER = ".cmsis-lower";

// An existing output directory is replaced only if an earlier compile wrote it.
const projectWrite: DirWrite = {
  mode: "replace",
  mayReplace(target, dir) {
    if (readdirSync(target).length > 0 && !existsSync(join(target, PROJECT_MARKER))) {
      throw new UserError(`${dir}: the directory exists and was not written by cmsis-lower compile; refusing to replace it`);
    }
  },
};

const withMarker = (files: ReadonlyMap<string, string | Uint8Array>): Map<string, string | Uint8Array> =>
  new Map([...files, [PROJECT_MARKER, "generated by cmsis-lower compile; this directory is replaced on the next compile\n"]]);

/** Before compiling: fail at once on an -o that writeProject would refuse (see checkOutputDir). */
export function checkProjectDir(dir: string): void {
  const target = checkOutputDir(dir);
  if (existsSync(target)) projectWrite.mayReplace!(target, dir);
}

/**
 * Write the files under `dir` atomically: everything goes to a sibling temp
 * directory first, which then replaces `dir` (an existing `dir` is moved
 * aside and removed only after the rename succeeded).
 */
export function writeProject(dir: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  writeDir(dir, withMarker(files), projectWrite);
}

/** writeProject for the CLI: SIGINT/SIGTERM during the write remove the temp directory (see writeDirInterruptibly). */
export function writeProjectInterruptibly(dir: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  return writeDirInterruptibly(dir, withMarker(files), projectWrite);
}

