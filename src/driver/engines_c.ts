// Generated C as engines: emit the project once, build it with a harness for
// the host (ASan + UBSan) or an emulated board, run it on the same feeds as
// the TypeScript int8 runtime and compare every output byte. Used by tests
// and by `verify --engine host-c,qemu`. A board whose memory cannot hold the
// weights gets the project in external-weights mode: the harness reads
// <name>_weights.bin through semihosting before each layer.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UserError } from "../ir/errors.js";
import type { Tensor } from "../ir/tensor.js";
import { allocArray } from "../ir/dtype.js";
import { decoderOf } from "../ir/bindings.js";
import { QUANTIZE_PER_TENSOR } from "../ops/cortex_m/quant.js";
import { dequantizeValue, quantizeValue } from "../ops/quant/rounding.js";
import { createProgram } from "../runtime/program.js";
import { BOARD_NAMES, boardInfo, isBoardName, type BoardName } from "../targets/boards.js";
import { runProgram } from "../targets/run.js";
import { buildForBoard, buildForHost, WEIGHTS_SECTION } from "../emit/board_build.js";
import { harnessMain, packInputs, unpackOutputs, type Feedback } from "../emit/harness.js";
import { cmsisNnSnapshot, nnIncludeDir, realIncludeDir } from "../emit/library.js";
import { emitProject, projectFiles, writeProject, type EmitInput, type EmittedProject } from "../emit/project.js";
import type { Port, Ports } from "../emit/ports.js";
import { bytesPerElement } from "../ir/dtype.js";
import { tableLines } from "../io/text_table.js";

export type CTarget = "host" | BoardName;
export type Feeds = Record<string, Tensor>;

export interface CRunOptions {
  /** C prefix of the generated project (default "model"). */
  name?: string;
  /** Graph inputs fed from the previous step's outputs (stateful models). */
  feedback?: readonly Feedback[];
  /** Keep the build directory (its path is returned). */
  keep?: boolean;
  timeoutMs?: number;
  /** An already emitted project (saves re-emitting per target). */
  project?: EmittedProject;
  /** Use the project in external-weights mode on every target (default: only where the weights do not fit). */
  externalWeights?: boolean;
  /** The project emitted in external-weights mode, when already at hand. */
  externalProject?: EmittedProject;
  /** Link a real CMSIS-NN checkout (only the sources the model needs) instead of the portable subset. */
  cmsisNn?: string;
  /** Contents of a header defining the <NAME>_STEP_BEGIN / _END hooks, included by the model's .c. */
  hooksHeader?: string;
  /** Extra C lines run after the measured inference of the harness (e.g. printing what the hooks recorded). */
  afterRun?: string[];
}

export interface CRun {
  target: CTarget;
  /** Outputs of <name>_run_float per step, by graph output name. */
  outputs: Feeds[];
  /** Outputs of one <name>_run (int8 API) on the first step's inputs: raw bytes by output name. */
  int8Outputs: Record<string, Uint8Array>;
  /** Instructions of that one <name>_run (boards only). */
  instructions?: number;
  textBytes?: number;
  /** .rodata plus the weights section when the weights were placed in big RAM. */
  rodataBytes?: number;
  /** External-weights mode: bytes of <name>_weights.bin (read at run time, not in the image). */
  weightsFileBytes?: number;
  arenaBytes: number;
  dir?: string;
  /** What the harness printed. */
  stdoutText: string;
}

/** QEMU's mps2 boards: 16 MB PSRAM (the linker scripts' BIG region); the an547's DDR is 2 GB. */
const MPS2_BIG_BYTES = 16 * 1024 * 1024;
const BIG_MARGIN = 256 * 1024;

/** Whether the image's weights go to big RAM: mps2 code memory is 4 MB; the an547's ITCM only 512 KB. */
function weightsInBig(board: BoardName, weightsBytes: number): boolean {
  if (board === "mps3-an547") return true;
  return weightsBytes > boardInfo(board).codeBytes - 512 * 1024;
}

/** The model's weights fit no memory of the board: only external-weights mode runs it. */
function needsExternal(target: CTarget, weightsBytes: number): boolean {
  return target !== "host" && target !== "mps3-an547" && weightsBytes > MPS2_BIG_BYTES - BIG_MARGIN;
}

/** Bytes of the harness's I/O buffers (in .big on the boards). */
function ioBytes(ports: Ports): number {
  let n = 0;
  for (const p of [...ports.inputs, ...ports.outputs]) n += p.value.numel * (bytesPerElement(p.value.dtype) + 1) + 32;
  return n;
}

/** Refuse (as a skipped row) what cannot fit the mps2 PSRAM: its big-RAM weights, staging buffer and I/O. */
function checkBigFits(board: BoardName, p: EmittedProject): void {
  if (board === "mps3-an547") return;
  const weights = weightsInBig(board, p.weightsBytes) ? p.weightsBytes : 0;
  const need = weights + p.stageBytes + ioBytes(p.ports);
  if (need <= MPS2_BIG_BYTES - BIG_MARGIN / 4) return;
  const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
  throw new UserError(p.stageBytes
    ? `${board}: even with external weights, one layer's constants (${mb(p.stageBytes)} staging buffer) do not fit QEMU's ${board} (16 MB PSRAM)`
    : `${board}: the model's ${mb(p.weightsBytes)} of weights do not fit QEMU's ${board} (4 MB code memory + 16 MB PSRAM)`);
}

function prefixOf(p: EmittedProject): string {
  return p.prefix.toUpperCase();
}

/** int8-API input bytes of the first step: border inputs quantized as the runtime does. */
function int8Inputs(ports: Port[], feeds: Feeds): Uint8Array[] {
  return ports.map((p) => {
    const t = feeds[p.value.name];
    if (!t) throw new UserError(`no feed for input ${p.value.name}`);
    if (!p.border) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const a = decoderOf(QUANTIZE_PER_TENSOR)(p.border);
    const q = a.dtype === "i16" ? new Int16Array(t.data.length) : new Int8Array(t.data.length);
    for (let i = 0; i < q.length; i++) q[i] = quantizeValue(t.data[i]!, a.scale, a.zeroPoint, a.qmin, a.qmax);
    return new Uint8Array(q.buffer);
  });
}

function toTensor(p: Port, bytes: Uint8Array): Tensor {
  const data = allocArray(p.value.dtype, p.value.numel);
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes);
  return { dtype: p.value.dtype, shape: [...p.value.shape], data };
}

/** A built harness of the generated C for one target: run it on feeds as often as needed. */
export interface CBuild {
  target: CTarget;
  project: EmittedProject;
  /** Run `steps` feeds records (exactly the step count the harness was built for). */
  run(steps: readonly Feeds[]): Promise<CRun>;
  /** Remove the build directory (unless `keep`). */
  dispose(): void;
}

/** Emit (unless given), write and build the project with a harness of `stepCount` steps for `target`. */
export async function buildC(stages: EmitInput, target: CTarget, stepCount: number, opts: CRunOptions = {}): Promise<CBuild> {
  if (stepCount < 1) throw new Error("buildC: no steps");
  const project = projectFor(stages, target, opts);
  const external = project.stageBytes > 0;
  const feedback = opts.feedback ?? [];
  const dir = mkdtempSync(join(tmpdir(), `cmsis-lower-${target}-`));
  const dispose = (): void => {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const src = join(dir, "project");
    const files = projectFiles(project);
    if (opts.hooksHeader !== undefined) {
      // Through a define in the model's .c, not a compiler flag: the library objects stay cached.
      const hooks = `${project.prefix}_hooks.h`;
      files.set(hooks, opts.hooksHeader);
      files.set(`${project.prefix}.c`, `#define ${prefixOf(project)}_HOOKS_HEADER "${hooks}"\n${files.get(`${project.prefix}.c`) as string}`);
    }
    writeProject(src, files);
    const weightsFile = external ? `project/${project.prefix}_weights.bin` : null;
    writeFileSync(join(dir, "main.c"), harnessMain(project.prefix, project.ports, stepCount, feedback, weightsFile, opts.afterRun, project.callerArena));
    const lib = librarySources(project, src, opts.cmsisNn);
    const sources = [...lib.sources, join(dir, "main.c")];
    const includeDirs = lib.includeDirs;
    let build;
    let weightsSection = 0;
    if (target === "host") {
      // The real arm_elementwise_add_s8 left-shifts negative values (defined on every Arm compiler).
      const extraCFlags = opts.cmsisNn ? ["-fno-sanitize=shift-base"] : [];
      build = await buildForHost({ sources, includeDirs, outDir: join(dir, "build"), extraCFlags });
    } else {
      checkBigFits(target, project);
      const big = weightsInBig(target, project.weightsBytes);
      const defines: Record<string, string> = {};
      if (big) defines[`${prefixOf(project)}_WEIGHTS_ATTR`] = `__attribute__((aligned(16),section("${WEIGHTS_SECTION}")))`;
      // The staging buffer is uninitialised: the NOLOAD big-RAM section (PSRAM / DDR).
      if (external) defines[`${prefixOf(project)}_STAGE_ATTR`] = `__attribute__((aligned(16),section(".big")))`;
      const b = await buildForBoard({ sources, includeDirs, outDir: join(dir, "build"), board: target, weightsInBigRam: big, defines });
      weightsSection = b.weightsSectionBytes;
      build = b;
    }
    const built = build;
    const run = async (steps: readonly Feeds[]): Promise<CRun> => {
      if (steps.length !== stepCount) throw new Error(`the harness was built for ${stepCount} steps, got ${steps.length}`);
      writeFileSync(join(dir, "in.bin"), packInputs(project.ports, steps, feedback, int8Inputs(project.ports.inputs, steps[0]!)));
      const r = await runProgram(built, { cwd: dir, timeoutMs: opts.timeoutMs ?? 600_000 });
      if (r.timedOut) throw new Error(`${target}: the harness timed out`);
      if (r.exitCode !== 0) throw new Error(`${target}: the harness exited with ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
      const out = unpackOutputs(project.ports, steps.length, readFileSync(join(dir, "out.bin")));
      const outputs = out.floatSteps.map((vals) => Object.fromEntries(project.ports.outputs.map((p, i) => [p.value.name, toTensor(p, vals[i]!)])));
      const int8Outputs = Object.fromEntries(project.ports.outputs.map((p, i) => [p.value.name, out.int8[i]!]));
      const res: CRun = { target, outputs, int8Outputs, arenaBytes: project.arenaBytes, stdoutText: r.stdout };
      if (r.instructions !== undefined) res.instructions = r.instructions;
      if (built.textBytes !== undefined) res.textBytes = built.textBytes;
      if (built.rodataBytes !== undefined) res.rodataBytes = built.rodataBytes + weightsSection;
      if (external) res.weightsFileBytes = project.externalWeightsBytes;
      if (opts.keep) res.dir = dir;
      return res;
    };
    return { target, project, run, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** The absolute path of a CMSIS-NN checkout given by the user (--cmsis-nn), or a UserError naming it. */
export function checkCmsisNn(dir: string): string {
  const root = resolve(dir);
  if (!existsSync(join(root, realIncludeDir(), "arm_nnfunctions.h"))) {
    throw new UserError(`--cmsis-nn ${dir}: not a CMSIS-NN checkout (no ${realIncludeDir()}/arm_nnfunctions.h)`);
  }
  return root;
}

/** The checkout's root when it has every source the project's kernels need, else a UserError naming the first missing. */
function checkRealSources(project: EmittedProject, cmsisNn: string): string {
  const root = checkCmsisNn(cmsisNn);
  const missing = project.realNnSources.find((s) => !existsSync(join(root, s)));
  if (missing) throw new UserError(`--cmsis-nn ${cmsisNn}: ${missing} is missing (the code was generated for CMSIS-NN ${cmsisNnSnapshot().version}, commit ${cmsisNnSnapshot().commit})`);
  return root;
}

/**
 * The C sources and include dirs of a written project: as emitted (the portable
 * CMSIS-NN subset), or with a real CMSIS-NN checkout's sources for the model's
 * kernels in place of the subset.
 */
function librarySources(project: EmittedProject, src: string, cmsisNn: string | undefined): { sources: string[]; includeDirs: string[] } {
  if (!cmsisNn) return { sources: project.sources.map((s) => join(src, s)), includeDirs: project.includeDirs.map((d) => join(src, d)) };
  const root = checkRealSources(project, cmsisNn);
  const portable = nnIncludeDir().split("/")[0] + "/";
  return {
    sources: [...project.sources.filter((s) => !s.startsWith(portable)).map((s) => join(src, s)), ...project.realNnSources.map((s) => join(root, s))],
    includeDirs: [...project.includeDirs.filter((d) => d !== nnIncludeDir()).map((d) => join(src, d)), join(root, realIncludeDir())],
  };
}

/**
 * The project for a target: the given (or default) one, or the external-weights
 * one when asked for or when the weights fit no memory of the board.
 */
function projectFor(stages: EmitInput, target: CTarget, opts: CRunOptions): EmittedProject {
  const name = opts.name ?? "model";
  if (opts.externalWeights) return opts.externalProject ?? (opts.project?.stageBytes ? opts.project : emitProject(stages, { name, externalWeights: true }));
  if (opts.project && (opts.project.stageBytes > 0 || !needsExternal(target, opts.project.weightsBytes))) return opts.project;
  if (opts.externalProject) return opts.externalProject;
  const p = opts.project ?? emitProject(stages, { name });
  return needsExternal(target, p.weightsBytes) ? emitProject(stages, { name, externalWeights: true }) : p;
}

/** Build and run the generated C of `stages` on `target` over `steps` (one feeds record per step). */
export async function runC(stages: EmitInput, target: CTarget, steps: readonly Feeds[], opts: CRunOptions = {}): Promise<CRun> {
  const b = await buildC(stages, target, steps.length, opts);
  try {
    return await b.run(steps);
  } finally {
    b.dispose();
  }
}

// ---- comparison with the TypeScript int8 runtime

/** The simulator's outputs over the steps, with the same feedback. */
export function referenceRuns(stages: EmitInput, steps: readonly Feeds[], feedback: readonly Feedback[] = []): Feeds[] {
  if (!stages.final || !stages.plan) throw new Error("reference: needs the final stage and its plan");
  const prog = createProgram(stages.final, stages.plan);
  const outs: Feeds[] = [];
  let prev: Feeds | null = null;
  for (const feeds of steps) {
    const f: Feeds = { ...feeds };
    if (prev) for (const fb of feedback) f[fb.input] = prev[fb.output]!;
    const o = prog.run(f);
    outs.push(o);
    prev = o;
  }
  return outs;
}

function bytesOf(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The int8 bytes the int8 API must give for a border output, from the simulator's float output. */
function expectedInt8(p: Port, t: Tensor): Uint8Array | null {
  if (!p.border) return bytesOf(t);
  const scale = p.border.attrs.scale as number;
  const zp = p.border.attrs.zero_point as number;
  const byBits = new Map<number, number>();
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const wide = p.arenaValue.dtype === "i16";
  const [lo, hi] = wide ? [-32768, 32767] : [-128, 127];
  for (let q = lo; q <= hi; q++) {
    f[0] = dequantizeValue(q, scale, zp);
    if (!byBits.has(u[0]!)) byBits.set(u[0]!, q);
  }
  const out = wide ? new Int16Array(t.data.length) : new Int8Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    f[0] = t.data[i]!;
    const q = byBits.get(u[0]!);
    if (q === undefined) return null;
    out[i] = q;
  }
  return new Uint8Array(out.buffer);
}

export interface Comparison {
  identical: boolean;
  /** First differences, for the report. */
  mismatches: string[];
}

/** Compare a C run with the simulator's runs on the same steps. */
export function compareWithReference(project: EmittedProject, run: CRun, ref: readonly Feeds[]): Comparison {
  const mismatches: string[] = [];
  ref.forEach((want, s) => {
    for (const p of project.ports.outputs) {
      const a = bytesOf(want[p.value.name]!);
      const b = bytesOf(run.outputs[s]![p.value.name]!);
      if (!bytesEqual(a, b)) {
        const i = a.findIndex((x, k) => x !== b[k]);
        mismatches.push(`step ${s} output ${p.value.name}: bytes differ from byte ${i}`);
      }
    }
  });
  for (const p of project.ports.outputs) {
    const want = expectedInt8(p, ref[0]![p.value.name]!);
    const got = run.int8Outputs[p.value.name]!;
    if (!want || !bytesEqual(want, got)) mismatches.push(`int8 API output ${p.value.name}: bytes differ`);
  }
  return { identical: mismatches.length === 0, mismatches };
}

export interface VerifyRow {
  model: string;
  target: CTarget;
  identical: boolean | null;
  mismatches: string[];
  instructions?: number;
  textBytes?: number;
  rodataBytes?: number;
  /** External-weights mode: bytes of <name>_weights.bin, read at run time (not in .text / .rodata). */
  weightsFileBytes?: number;
  arenaBytes: number;
  /** Set when the target could not run the model (e.g. it does not fit). */
  skipped?: string;
}

export interface VerifyCOptions extends CRunOptions {
  model?: string;
  targets: readonly CTarget[];
  steps: readonly Feeds[];
}

/** Run the generated C on every target and compare with the simulator: one row per target. */
export async function verifyC(stages: EmitInput, o: VerifyCOptions): Promise<VerifyRow[]> {
  const name = o.name ?? "model";
  // Emitted once each (lazily): the default project, the external-weights one.
  const project = o.project ?? (o.externalWeights ? undefined : emitProject(stages, { name }));
  let externalProject = o.externalProject;
  const ref = referenceRuns(stages, o.steps, o.feedback ?? []);
  // A checkout that lacks a source is the user's error, not a target that cannot run the model.
  if (o.cmsisNn) for (const p of [project, externalProject]) if (p) checkRealSources(p, o.cmsisNn);
  const rows: VerifyRow[] = [];
  for (const target of o.targets) {
    const ext = o.externalWeights === true || (project !== undefined && project.stageBytes === 0 && needsExternal(target, project.weightsBytes));
    if (ext) externalProject ??= project?.stageBytes ? project : emitProject(stages, { name, externalWeights: true });
    const used = ext ? externalProject! : project!;
    const base = { model: o.model ?? used.prefix, target, arenaBytes: used.arenaBytes };
    try {
      const run = await runC(stages, target, o.steps, { ...o, project: used, externalProject });
      const cmp = compareWithReference(used, run, ref);
      const row: VerifyRow = { ...base, identical: cmp.identical, mismatches: cmp.mismatches };
      if (run.instructions !== undefined) row.instructions = run.instructions;
      if (run.textBytes !== undefined) row.textBytes = run.textBytes;
      if (run.rodataBytes !== undefined) row.rodataBytes = run.rodataBytes;
      if (run.weightsFileBytes !== undefined) row.weightsFileBytes = run.weightsFileBytes;
      rows.push(row);
    } catch (e) {
      if (e instanceof UserError) rows.push({ ...base, identical: null, mismatches: [], skipped: e.message });
      else throw e;
    }
  }
  return rows;
}

/** `--engine host-c,qemu` → build targets (qemu = the three emulated boards). */
export function cTargetsOf(engines: readonly string[]): CTarget[] {
  const out: CTarget[] = [];
  for (const e of engines) {
    if (e === "host-c") out.push("host");
    else if (e === "qemu") out.push(...BOARD_NAMES);
    else if (e.startsWith("qemu-") && isBoardName(e.slice(5))) out.push(e.slice(5) as BoardName);
  }
  return [...new Set(out)];
}

const TARGET_LABEL = (t: CTarget): string => (t === "host" ? "host (gcc, ASan+UBSan)" : `${t} (${boardInfo(t).cpu})`);

/**
 * The verify table: model × target → identical, instructions per inference, .text,
 * .rodata (with big-RAM weights), the external weights file (read at run time), arena.
 */
export function formatVerifyTable(rows: readonly VerifyRow[]): string {
  const head = ["model", "target", "identical", "instructions", ".text B", ".rodata B", "weights file B", "arena B"];
  const body = rows.map((r) => [
    r.model, TARGET_LABEL(r.target),
    r.skipped ? "skipped" : r.identical ? "yes" : "NO",
    r.instructions?.toString() ?? "-", r.textBytes?.toString() ?? "-", r.rodataBytes?.toString() ?? "-",
    r.weightsFileBytes?.toString() ?? "-", String(r.arenaBytes),
  ]);
  const lines = tableLines([head, ...body], { rule: true });
  for (const r of rows) {
    if (r.skipped) lines.push(`  ${r.model} on ${r.target}: ${r.skipped}`);
    for (const m of r.mismatches.slice(0, 5)) lines.push(`  ${r.model} on ${r.target}: ${m}`);
  }
  return lines.join("\n") + "\n";
}
