// Detection of the host and Arm toolchains used to build and run generated C.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ToolInfo {
  path: string;
  version: string;
}

export interface Toolchain {
  hostCc?: ToolInfo;
  armCc?: ToolInfo;
  armSize?: ToolInfo;
  qemuArm?: ToolInfo;
}

function probe(cmd: string, args: string[] = ['--version']): ToolInfo | undefined {
  try {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
    if (r.error || r.status !== 0) return undefined;
    const first = (r.stdout || r.stderr || '').split('\n').find((l) => l.trim().length > 0) ?? '';
    return { path: cmd, version: first.trim() };
  } catch {
    return undefined;
  }
}

let cached: Toolchain | undefined;

/** Detects gcc, arm-none-eabi-gcc, arm-none-eabi-size and qemu-system-arm on PATH (env overrides: CC, ARM_CC, QEMU_ARM). */
export function detectToolchain(refresh = false): Toolchain {
  if (cached && !refresh) return cached;
  const tc: Toolchain = {};
  tc.hostCc = probe(process.env.CC ?? 'gcc');
  tc.armCc = probe(process.env.ARM_CC ?? 'arm-none-eabi-gcc');
  tc.armSize = probe(process.env.ARM_SIZE ?? 'arm-none-eabi-size');
  tc.qemuArm = probe(process.env.QEMU_ARM ?? 'qemu-system-arm');
  cached = tc;
  return tc;
}

export function hasHostCompiler(): boolean {
  return detectToolchain().hostCc !== undefined;
}

/** True when arm-none-eabi-gcc and qemu-system-arm are both usable. */
export function hasArmToolchain(): boolean {
  const tc = detectToolchain();
  return tc.armCc !== undefined && tc.qemuArm !== undefined;
}

/** Repository root (the directory holding csrc/ and package.json), found from this module's location. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'csrc')) && existsSync(join(dir, 'package.json'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error('cmsis-lower: cannot locate repository root (csrc/)');
}

export function csrcDir(): string {
  return join(repoRoot(), 'csrc');
}
