// Run a built program on the host or under QEMU (semihosting; deterministic -icount).
import { exec, type BuildResult } from './build.js';
import { detectToolchain } from './toolchain.js';

export interface RunOptions {
  /** Working directory; semihosting file I/O paths are relative to it. */
  cwd: string;
  /** Host: command-line arguments (QEMU builds receive argv = {"app"} only). */
  args?: string[];
  timeoutMs: number;
  /** QEMU: deterministic instruction clock (-icount shift=0,align=off,sleep=off); default true. */
  icount?: boolean;
  extraQemuArgs?: string[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  /** Sum of all `@instructions <label> <n>` lines printed by the program (Arm targets). */
  instructions?: number;
  /** Per-label instruction counts from `@instructions <label> <n>` lines. */
  instructionRegions?: Record<string, number>;
}

const INSTR_RE = /^@instructions\s+(\S+)\s+(\d+)\s*$/;

export function parseInstructionLines(stdout: string): Record<string, number> {
  const regions: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const m = INSTR_RE.exec(line.trim());
    if (m) regions[m[1]] = (regions[m[1]] ?? 0) + Number(m[2]);
  }
  return regions;
}

export function qemuArgs(build: BuildResult, icount = true): string[] {
  if (!build.board) throw new Error('qemuArgs: not a board build');
  return [
    '-M',
    build.board.qemuMachine,
    '-nographic',
    '-monitor',
    'none',
    '-serial',
    'null',
    '-semihosting-config',
    'enable=on,target=native',
    ...(icount ? ['-icount', 'shift=0,align=off,sleep=off'] : []),
    '-kernel',
    build.exe,
  ];
}

export async function runProgram(build: BuildResult, opts: RunOptions): Promise<RunResult> {
  let cmd: string;
  let args: string[];
  if (build.target === 'host') {
    cmd = build.exe;
    args = opts.args ?? [];
  } else {
    const tc = detectToolchain();
    if (!tc.qemuArm) throw new Error('qemu-system-arm not found');
    cmd = tc.qemuArm.path;
    args = [...qemuArgs(build, opts.icount ?? true), ...(opts.extraQemuArgs ?? [])];
  }
  const r = await exec(cmd, args, { cwd: opts.cwd, timeoutMs: opts.timeoutMs });
  // QEMU prints harmless UI-module notices on stderr; drop them.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => !/^qemu: module ui-ui-\S+ not found/.test(l))
    .join('\n');
  const result: RunResult = { stdout: r.stdout, stderr, exitCode: r.code, timedOut: r.timedOut };
  const regions = parseInstructionLines(r.stdout);
  if (Object.keys(regions).length > 0) {
    result.instructionRegions = regions;
    result.instructions = Object.values(regions).reduce((a, b) => a + b, 0);
  }
  return result;
}
