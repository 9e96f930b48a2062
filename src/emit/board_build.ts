// Builds a generated project + harness for an emulated board. Like
// src/targets/build.ts, with one difference: the weights go to their own
// section placed in the board's big RAM (a linker script derived from the
// board's, with one output section added), since models outgrow the code
// memory of the M55 board (512 KB ITCM). The run is src/targets/run.ts's.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
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

// Library sources are the same in every build of a test run: their objects are
// cached by (compiler, flags, source text, headers of the include dirs named).
const CACHE_DIR = join(tmpdir(), "cmsis-lower-objcache");

/** Hash of the library headers (arm_*.h, clg_*.h, cl_*.h) in the include dirs of `flags` and their Internal/. */
function headersHash(flags: string[]): string {
  const h = createHash("sha256");
  for (const f of flags) {
    if (!f.startsWith("-I")) continue;
    for (const dir of [f.slice(2), join(f.slice(2), "Internal")]) {
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        if (/^(arm_|clg_|cl_).*\.h$/.test(name)) h.update(name).update(readFileSync(join(dir, name)));
      }
    }
  }
  return h.digest("hex");
}

function cacheKey(cc: string, flags: string[], headers: string, source: string): string | null {
  // Only library sources (they include no generated header) are cached: the portable subset, the
  // support files, a real CMSIS-NN checkout's Source/<group>/ files, the boards' startup code.
  if (!/[\\/](cmsis_nn|support|Source[\\/]\w+Functions)[\\/]/.test(source) && !source.includes("startup_cortexm")) return null;
  return createHash("sha256").update(cc).update("\0").update(flags.filter((f) => !f.startsWith("-I")).join(" "))
    .update("\0").update(headers).update(readFileSync(source)).digest("hex");
}

/** Compile each source to an object in objDir (library objects from the cache); returns the object paths. */
export async function compileAll(cc: string, flags: string[], sources: string[], objDir: string): Promise<string[]> {
  mkdirSync(objDir, { recursive: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const objects = sources.map((s, i) => join(objDir, `${i}_${basename(s).replace(/\.c$/, "")}.o`));
  const errors: string[] = [];
  const headers = headersHash(flags);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const i = next++;
      const key = cacheKey(cc, flags, headers, sources[i]!);
      const cached = key ? join(CACHE_DIR, `${key}.o`) : null;
      if (cached && existsSync(cached)) {
        copyFileSync(cached, objects[i]!);
        continue;
      }
      const r = await exec(cc, [...flags, "-c", sources[i]!, "-o", objects[i]!]);
      if (r.code !== 0) errors.push(r.stdout + r.stderr);
      else if (cached) {
        const tmp = `${cached}.${process.pid}.tmp`;
        copyFileSync(objects[i]!, tmp);
        renameSync(tmp, cached);
      }
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

/** Host build with ASan + UBSan (as src/targets/build.ts's sanitize build), library objects cached. */
export async function buildForHost(o: { sources: string[]; includeDirs: string[]; outDir: string; defines?: Record<string, string>; extraCFlags?: string[] }): Promise<BuildResult> {
  const tc = detectToolchain();
  if (!tc.hostCc) throw new BuildError("host C compiler (gcc) not found", "");
  mkdirSync(o.outDir, { recursive: true });
  const san = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer", "-g"];
  const cflags = [
    ...warningFlags(true, "c99"), "-O1", ...san, "-ffp-contract=off", `-I${join(csrcDir(), "boards")}`,
    ...o.includeDirs.map((d) => `-I${d}`), ...Object.entries(o.defines ?? {}).map(([k, v]) => `-D${k}=${v}`),
    ...(o.extraCFlags ?? []),
  ];
  const objects = await compileAll(tc.hostCc.path, cflags, o.sources, join(o.outDir, "obj"));
  const exe = join(o.outDir, "app");
  const r = await exec(tc.hostCc.path, [...objects, "-o", exe, "-fsanitize=address,undefined", "-lm"]);
  if (r.code !== 0) throw new BuildError(`host link failed:\n${r.stdout}${r.stderr}`, r.stdout + r.stderr);
  return { exe, target: "host", compileLog: r.stdout + r.stderr };
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
