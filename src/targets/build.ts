// Build C programs for the host (gcc) or an emulated Cortex-M board (arm-none-eabi-gcc).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { boardInfo, isBoardName, type BoardName, type BoardInfo } from './boards.js';
import { csrcDir, detectToolchain } from './toolchain.js';

export type BuildTarget = 'host' | BoardName;

export interface BuildOptions {
  sources: string[];
  includeDirs: string[];
  defines?: Record<string, string | number | boolean>;
  outDir: string;
  target: BuildTarget;
  /** Host only: -fsanitize=address,undefined (and -O1 unless optLevel is given). */
  sanitize?: boolean;
  /** Default: 'O1' with sanitize, else 'O2'. */
  optLevel?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  /** -Werror (default true). Warnings flags are always -Wall -Wextra. */
  warningsAsErrors?: boolean;
  /** C standard (default c99). */
  std?: string;
  /** Executable base name (default 'app'). */
  name?: string;
  extraCFlags?: string[];
  extraLdFlags?: string[];
}

export interface BuildResult {
  exe: string;
  target: BuildTarget;
  board?: BoardInfo;
  /** Sizes of the .text / .rodata output sections (Arm targets, from arm-none-eabi-size -A). */
  textBytes?: number;
  rodataBytes?: number;
  dataBytes?: number;
  bssBytes?: number;
  compileLog: string;
}

export class BuildError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function exec(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs)
        : undefined;
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

/** Runs tasks with bounded concurrency. */
async function pool<T>(items: T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

/** Compiles each source to an object in objDir (in parallel), returns object paths. */
async function compileObjects(cc: string, cflags: string[], sources: string[], objDir: string): Promise<{ objects: string[]; log: string }> {
  mkdirSync(objDir, { recursive: true });
  const objects = sources.map((s, i) => join(objDir, `${i}_${basename(s).replace(/\.[^.]+$/, '')}.o`));
  let log = '';
  const errors: string[] = [];
  await pool(sources, Math.max(1, availableParallelism()), async (src, i) => {
    const r = await exec(cc, [...cflags, '-c', src, '-o', objects[i]]);
    log += r.stdout + r.stderr;
    if (r.code !== 0) errors.push(r.stdout + r.stderr);
  });
  if (errors.length > 0) throw new BuildError(`compilation failed:\n${errors.join('\n')}`, log);
  return { objects, log };
}

function defineFlags(defines: BuildOptions['defines']): string[] {
  const flags: string[] = [];
  for (const [k, v] of Object.entries(defines ?? {})) {
    if (v === true) flags.push(`-D${k}`);
    else if (v === false) continue;
    else flags.push(`-D${k}=${v}`);
  }
  return flags;
}

/** Common warning/standard flags used for every build. */
export function warningFlags(werror = true, std = 'c99'): string[] {
  return [`-std=${std}`, '-Wall', '-Wextra', ...(werror ? ['-Werror'] : [])];
}

/** Parses `arm-none-eabi-size -A` output into section sizes. */
export function parseSizeA(text: string): Record<string, number> {
  const sections: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line.trim());
    if (m) sections[m[1]] = Number(m[2]);
  }
  return sections;
}

export async function buildProgram(opts: BuildOptions): Promise<BuildResult> {
  mkdirSync(opts.outDir, { recursive: true });
  const name = opts.name ?? 'app';
  const werror = opts.warningsAsErrors ?? true;
  const std = opts.std ?? 'c99';
  const includes = opts.includeDirs.map((d) => `-I${d}`);
  const defines = defineFlags(opts.defines);
  const tc = detectToolchain();
  if (opts.target === 'host') {
    if (!tc.hostCc) throw new BuildError('host C compiler (gcc) not found', '');
    const exe = join(opts.outDir, name);
    const opt = opts.optLevel ?? (opts.sanitize ? 'O1' : 'O2');
    const san = opts.sanitize ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer', '-g'] : [];
    const cflags = [
      ...warningFlags(werror, std),
      `-${opt}`,
      ...san,
      `-I${join(csrcDir(), 'boards')}`,
      ...includes,
      ...defines,
      ...(opts.extraCFlags ?? []),
    ];
    const { objects, log: clog } = await compileObjects(tc.hostCc.path, cflags, opts.sources, join(opts.outDir, `${name}.obj`));
    const r = await exec(tc.hostCc.path, [...objects, '-o', exe, ...san.filter((f) => f.startsWith('-fsanitize')), ...(opts.extraLdFlags ?? []), '-lm']);
    const log = clog + r.stdout + r.stderr;
    if (r.code !== 0) throw new BuildError(`host link failed:\n${log}`, log);
    return { exe, target: 'host', compileLog: log };
  }
  if (!isBoardName(opts.target)) throw new BuildError(`unknown target ${String(opts.target)}`, '');
  if (!tc.armCc) throw new BuildError('arm-none-eabi-gcc not found', '');
  const board = boardInfo(opts.target);
  const exe = join(opts.outDir, `${name}.elf`);
  const opt = opts.optLevel ?? 'O2';
  const boardsDir = join(csrcDir(), 'boards');
  const cflags = [
    ...board.cpuFlags,
    ...warningFlags(werror, std),
    `-${opt}`,
    '-ffunction-sections',
    '-fdata-sections',
    `-D${board.boardDefine}`,
    `-I${boardsDir}`,
    ...includes,
    ...defines,
    ...(opts.extraCFlags ?? []),
  ];
  const { objects, log: clog } = await compileObjects(
    tc.armCc.path,
    cflags,
    [join(boardsDir, 'startup_cortexm.c'), ...opts.sources],
    join(opts.outDir, `${name}.obj`),
  );
  const ldArgs = [
    ...board.cpuFlags,
    '--specs=nano.specs',
    '--specs=rdimon.specs',
    '-nostartfiles',
    '-T',
    board.linkerScript,
    '-Wl,--gc-sections',
    ...objects,
    '-o',
    exe,
    ...(opts.extraLdFlags ?? []),
    '-lm',
  ];
  const r = await exec(tc.armCc.path, ldArgs);
  const log = clog + r.stdout + r.stderr;
  if (r.code !== 0) throw new BuildError(`${opts.target} link failed:\n${log}`, log);
  const result: BuildResult = { exe, target: opts.target, board, compileLog: log };
  if (tc.armSize) {
    const s = await exec(tc.armSize.path, ['-A', exe]);
    if (s.code === 0) {
      const sec = parseSizeA(s.stdout);
      result.textBytes = sec['.text'] ?? 0;
      result.rodataBytes = sec['.rodata'] ?? 0;
      result.dataBytes = sec['.data'] ?? 0;
      result.bssBytes = sec['.bss'] ?? 0;
    }
  }
  return result;
}
