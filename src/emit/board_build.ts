// Builds a generated project + harness for an emulated board. Like
// src/targets/build.ts, with one difference: the weights go to their own
// section placed in the board's big RAM (a linker script derived from the
// board's, with one output section added), since models outgrow the code
// memory of the M55 board (512 KB ITCM). The run is src/targets/run.ts's.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { boardInfo, type BoardName } from "../targets/boards.js";
import { BuildError, exec, parseSizeA, warningFlags, type BuildResult } from "../targets/build.js";
import { csrcDir, detectToolchain } from "../targets/toolchain.js";

export const WEIGHTS_SECTION = ".clg_weights";

/** The board's linker script with an output section for the weights in BIG (before .big). */
export function weightsLinkerScript(board: BoardName): string | null {
  const text = readFileSync(boardInfo(board).linkerScript, "utf8");
  const at = text.search(/^\s*\.big\s*\(NOLOAD\)/m);
  if (at < 0) return null;
  const section = `  /* cmsis-lower: model weights (loaded by QEMU into big RAM) */\n  ${WEIGHTS_SECTION} : ALIGN(16)\n  {\n    KEEP(*(${WEIGHTS_SECTION}*))\n  } > BIG\n\n`;
  return text.slice(0, at) + section + text.slice(at);
}

async function compileAll(cc: string, flags: string[], sources: string[], objDir: string): Promise<string[]> {
  mkdirSync(objDir, { recursive: true });
  const objects = sources.map((s, i) => join(objDir, `${i}_${basename(s).replace(/\.c$/, "")}.o`));
  const errors: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      const r = await exec(cc, [...flags, "-c", sources[i]!, "-o", objects[i]!]);
      if (r.code !== 0) errors.push(r.stdout + r.stderr);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), sources.length)) }, worker));
  if (errors.length) throw new BuildError(`compilation failed:\n${errors.join("\n")}`, errors.join("\n"));
  return objects;
}

export interface BoardBuildOptions {
  sources: string[];
  includeDirs: string[];
  defines: Record<string, string>;
  outDir: string;
  board: BoardName;
  /** Put the weights (compiled with <PREFIX>_WEIGHTS_ATTR) into big RAM. */
  weightsInBigRam: boolean;
  extraCFlags?: string[];
}

export interface BoardBuildResult extends BuildResult {
  /** Bytes of the weights section when placed in big RAM (else the weights are in .rodata). */
  weightsSectionBytes: number;
}

export async function buildForBoard(o: BoardBuildOptions): Promise<BoardBuildResult> {
  const tc = detectToolchain();
  if (!tc.armCc) throw new BuildError("arm-none-eabi-gcc not found", "");
  const board = boardInfo(o.board);
  mkdirSync(o.outDir, { recursive: true });
  const boardsDir = join(csrcDir(), "boards");
  let script = board.linkerScript;
  if (o.weightsInBigRam) {
    const derived = weightsLinkerScript(o.board);
    if (!derived) throw new BuildError(`${board.linkerScript} has no .big section to place the weights before`, "");
    script = join(o.outDir, `${o.board}-weights.ld`);
    writeFileSync(script, derived);
  }
  const cflags = [
    ...board.cpuFlags, ...warningFlags(true, "c99"), "-O2", "-ffunction-sections", "-fdata-sections", "-ffp-contract=off",
    `-D${board.boardDefine}`, `-I${boardsDir}`, ...o.includeDirs.map((d) => `-I${d}`),
    ...Object.entries(o.defines).map(([k, v]) => `-D${k}=${v}`), ...(o.extraCFlags ?? []),
  ];
  const objects = await compileAll(tc.armCc.path, cflags, [join(boardsDir, "startup_cortexm.c"), ...o.sources], join(o.outDir, "obj"));
  const exe = join(o.outDir, "app.elf");
  const r = await exec(tc.armCc.path, [
    ...board.cpuFlags, "--specs=nano.specs", "--specs=rdimon.specs", "-nostartfiles", "-T", script, "-Wl,--gc-sections",
    ...objects, "-o", exe, "-lm",
  ]);
  if (r.code !== 0) throw new BuildError(`${o.board} link failed:\n${r.stdout}${r.stderr}`, r.stdout + r.stderr);
  const result: BoardBuildResult = { exe, target: o.board, board, compileLog: r.stdout + r.stderr, weightsSectionBytes: 0 };
  if (tc.armSize) {
    const s = await exec(tc.armSize.path, ["-A", exe]);
    if (s.code === 0) {
      const sec = parseSizeA(s.stdout);
      result.textBytes = sec[".text"] ?? 0;
      result.rodataBytes = sec[".rodata"] ?? 0;
      result.dataBytes = sec[".data"] ?? 0;
      result.bssBytes = sec[".bss"] ?? 0;
      result.weightsSectionBytes = sec[WEIGHTS_SECTION] ?? 0;
    }
  }
  return result;
}
