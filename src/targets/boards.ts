// Emulated Cortex-M boards (QEMU 7.2) and the compiler flags for each.
import { join } from 'node:path';
import { csrcDir } from './toolchain.js';

export type BoardName = 'mps3-an547' | 'mps2-an386' | 'mps2-an385';

/** CMSIS-NN code path the real library would select for these flags. */
export type TargetClass = 'scalar' | 'dsp' | 'mve';

export interface BoardInfo {
  name: BoardName;
  qemuMachine: string;
  cpu: string;
  cpuFlags: string[];
  targetClass: TargetClass;
  /** Linker script path (absolute). */
  linkerScript: string;
  /** Preprocessor define selecting the board in csrc/boards/cl_bench.h. */
  boardDefine: string;
  /** Instructions per tick of the counter read by cl_bench.h (with -icount shift=0). */
  instructionsPerTick: number;
  ramBytes: number;
  codeBytes: number;
}

export const BOARD_NAMES: readonly BoardName[] = ['mps3-an547', 'mps2-an386', 'mps2-an385'];

export function boardInfo(name: BoardName): BoardInfo {
  const ld = (f: string) => join(csrcDir(), 'boards', f);
  switch (name) {
    case 'mps3-an547':
      return {
        name,
        qemuMachine: 'mps3-an547',
        cpu: 'cortex-m55',
        cpuFlags: ['-mthumb', '-mcpu=cortex-m55', '-mfloat-abi=hard'],
        targetClass: 'mve',
        linkerScript: ld('mps3-an547.ld'),
        boardDefine: 'CL_BOARD_AN547',
        instructionsPerTick: 50,
        ramBytes: 512 * 1024,
        codeBytes: 512 * 1024,
      };
    case 'mps2-an386':
      return {
        name,
        qemuMachine: 'mps2-an386',
        cpu: 'cortex-m4',
        cpuFlags: ['-mthumb', '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'],
        targetClass: 'dsp',
        linkerScript: ld('mps2-an386.ld'),
        boardDefine: 'CL_BOARD_MPS2',
        instructionsPerTick: 40,
        ramBytes: 4 * 1024 * 1024,
        codeBytes: 4 * 1024 * 1024,
      };
    case 'mps2-an385':
      return {
        name,
        qemuMachine: 'mps2-an385',
        cpu: 'cortex-m3',
        cpuFlags: ['-mthumb', '-mcpu=cortex-m3', '-mfloat-abi=soft'],
        targetClass: 'scalar',
        linkerScript: ld('mps2-an385.ld'),
        boardDefine: 'CL_BOARD_MPS2',
        instructionsPerTick: 40,
        ramBytes: 4 * 1024 * 1024,
        codeBytes: 4 * 1024 * 1024,
      };
  }
}

export function isBoardName(s: string): s is BoardName {
  return (BOARD_NAMES as readonly string[]).includes(s);
}

/** Compile-only CPU flag sets (library warning checks); not all have an emulated board. */
export const COMPILE_CPU_FLAGS: Record<string, string[]> = {
  'cortex-m0plus': ['-mthumb', '-mcpu=cortex-m0plus', '-mfloat-abi=soft'],
  'cortex-m3': ['-mthumb', '-mcpu=cortex-m3', '-mfloat-abi=soft'],
  'cortex-m4': ['-mthumb', '-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'],
  'cortex-m7': ['-mthumb', '-mcpu=cortex-m7', '-mfpu=fpv5-d16', '-mfloat-abi=hard'],
  'cortex-m33': ['-mthumb', '-mcpu=cortex-m33', '-mfpu=fpv5-sp-d16', '-mfloat-abi=hard'],
  'cortex-m55': ['-mthumb', '-mcpu=cortex-m55', '-mfloat-abi=hard'],
};
