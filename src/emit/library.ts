// The kernel library sources a generated project needs — only those: the
// CMSIS-NN functions it calls, resolved to portable sources through the
// library's manifest, and the support files of the ops it uses.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csrcDir } from "../targets/toolchain.js";
import type { SupportLib } from "./context.js";

interface Manifest {
  includeDir: string;
  headers: string[];
  functions: Record<string, string[]>;
}

let manifestCache: Manifest | null = null;

function nnManifest(): Manifest {
  if (!manifestCache) {
    manifestCache = JSON.parse(readFileSync(join(csrcDir(), "cmsis_nn_portable", "manifest.json"), "utf8")) as Manifest;
  }
  return manifestCache;
}

export const SUPPORT_FILES: Record<SupportLib, string[]> = {
  support: ["clg_support.h", "clg_support.c"],
  float: ["clg_fmath.h", "clg_fmath.c", "clg_float.h", "clg_float.c"],
  // used with "float" (its math functions): GELU, the window ops, the typed elementwise ops
  float_ops: ["clg_float_ops.h", "clg_float_ops.c"],
  // the float<->int16 borders of 16x8 groups (only projects with int16 activations)
  wide: ["clg_wide.h", "clg_wide.c"],
  // integer kernels CMSIS-NN lacks (integer-only builds: the STFT magnitude)
  int_ops: ["clg_int_ops.h", "clg_int_ops.c"],
  // a float conv whose weights are a windowed DFT basis, as real FFTs (cortex_m.stft_f32)
  stft: ["clg_stft.h", "clg_stft.c"],
};

export interface LibraryFiles {
  /** Output-relative path → contents. */
  files: Map<string, string>;
  /** Output-relative C sources of the portable CMSIS-NN subset. */
  nnSources: string[];
  supportSources: string[];
}

/** Portable CMSIS-NN sources for `functions` plus the support files, under cmsis_nn/ and support/. */
export function libraryFiles(functions: Iterable<string>, support: Iterable<SupportLib>): LibraryFiles {
  const m = nnManifest();
  const files = new Map<string, string>();
  const nnDir = join(csrcDir(), "cmsis_nn_portable");
  const sources = new Set<string>();
  const fns = [...functions].sort();
  for (const fn of fns) {
    const srcs = m.functions[fn];
    if (!srcs) throw new Error(`portable CMSIS-NN has no ${fn} (csrc/cmsis_nn_portable/manifest.json)`);
    for (const s of srcs) sources.add(s);
  }
  const nnSources: string[] = [];
  // The headers always: the generated .c includes them for the CMSIS-NN types.
  for (const h of m.headers) files.set(`cmsis_nn/${h}`, readFileSync(join(nnDir, h), "utf8"));
  for (const s of [...sources].sort()) {
    files.set(`cmsis_nn/${s}`, readFileSync(join(nnDir, s), "utf8"));
    nnSources.push(`cmsis_nn/${s}`);
  }
  const supportSources: string[] = [];
  for (const lib of [...new Set(support)].sort()) {
    for (const f of SUPPORT_FILES[lib]) {
      files.set(`support/${f}`, readFileSync(join(csrcDir(), "codegen_support", f), "utf8"));
      if (f.endsWith(".c")) supportSources.push(`support/${f}`);
    }
  }
  return { files, nnSources, supportSources };
}

export function nnIncludeDir(): string {
  return `cmsis_nn/${nnManifest().includeDir}`;
}

/** The real CMSIS-NN: function → its sources in a checkout (csrc/cmsis_nn_real.json). */
interface RealTable {
  version: string;
  commit: string;
  includeDir: string;
  functions: Record<string, string[]>;
}

let realCache: RealTable | null = null;

function realTable(): RealTable {
  realCache ??= JSON.parse(readFileSync(join(csrcDir(), "cmsis_nn_real.json"), "utf8")) as RealTable;
  return realCache;
}

/** The CMSIS-NN snapshot whose arithmetic, dispatch and buffer sizes the generated code assumes. */
export function cmsisNnSnapshot(): { version: string; commit: string } {
  const t = realTable();
  return { version: t.version, commit: t.commit };
}

/** Sources (relative to a CMSIS-NN checkout) that link `functions`, sorted, each once. */
export function realLibrarySources(functions: Iterable<string>): string[] {
  const t = realTable();
  const out = new Set<string>();
  for (const fn of functions) {
    const srcs = t.functions[fn];
    if (!srcs) throw new Error(`the real CMSIS-NN has no ${fn} (csrc/cmsis_nn_real.json)`);
    for (const s of srcs) out.add(s);
  }
  return [...out].sort();
}

/** Every function the real-library table lists (for its test). */
export function realLibraryFunctions(): string[] {
  return Object.keys(realTable().functions).sort();
}

export function realIncludeDir(): string {
  return realTable().includeDir;
}
