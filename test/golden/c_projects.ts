// The generated C projects whose file hashes are pinned in c_hashes.json:
// every built-in model and the 8 conv1d op cases, each for three cores, made
// by the public in-memory compile() with default calibration. Shared by the
// test (c_hashes.test.ts) and `npm run golden:update` so both hash the same set.
import { createHash } from "node:crypto";
import { builtinModels, compile, ModelBuilder, type Target, type CompileOptions, type Model } from "../../src/index.js";
import { CONV1D_CASES } from "../../src/models/conv1d_cases.js";

export const GOLDEN_TARGETS: Target[] = ["cortex-m55", "cortex-m4", "cortex-m3"];

interface Project {
  model: () => Model;
  options: CompileOptions;
}

/** "name=1x1x700,state=2x1x128": the input sizes hashed, written into the key. */
function shapeLabel(shapes: Record<string, number[]>): string {
  return Object.entries(shapes).map(([n, d]) => `${n}=${d.join("x")}`).join(",");
}

// Small inputs keep the test fast (wav2letter 1x1x700, yolo11n 96x96); the Silero
// models keep their default sizes, which are small already.
const BUILTIN_INPUTS: Record<string, Record<string, number[]>> = {
  wav2letter: { input: [1, 1, 700] },
  "silero-vad": {},
  "silero-vad-legacy": {},
  "silero-vad-16k": {},
  yolo11n: { images: [1, 3, 96, 96] },
};

function projects(): Map<string, Project> {
  const all = new Map<string, Project>();
  for (const [name, inputShape] of Object.entries(BUILTIN_INPUTS)) {
    const shapes = { ...builtinModels[name]!.defaultInputShapes, ...inputShape };
    all.set(`${name}[${shapeLabel(shapes)}]`, { model: () => name, options: { inputShape } });
  }
  for (const c of CONV1D_CASES) {
    const model = (): Model => {
      const b = new ModelBuilder(c.name, 7);
      b.output(c.build(b, b.input("x", c.input)));
      return b.build();
    };
    all.set(`conv1d/${c.name}[${shapeLabel({ x: c.input })}]`, { model, options: {} });
  }
  return all;
}

export type Hashes = Record<string, Record<string, string>>;

function sha256(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** key "<model>[<input>]@<target>" → { project-relative file → sha256 }, keys and files sorted. */
export async function goldenHashes(onKey?: (key: string) => void): Promise<Hashes> {
  const out: Hashes = {};
  for (const [name, p] of projects()) {
    for (const target of GOLDEN_TARGETS) {
      const key = `${name}@${target}`;
      const { files } = await compile(p.model(), { ...p.options, target });
      const row: Record<string, string> = {};
      for (const f of [...files.keys()].sort()) row[f] = sha256(files.get(f)!);
      out[key] = row;
      onKey?.(key);
    }
  }
  return out;
}

/** One line per difference: "<key>: <file> changed|added|removed", or a whole key added/removed. */
export function diffHashes(golden: Hashes, now: Hashes): string[] {
  const lines: string[] = [];
  const keys = [...new Set([...Object.keys(golden), ...Object.keys(now)])].sort();
  for (const key of keys) {
    const g = golden[key];
    const n = now[key];
    if (!g) { lines.push(`${key}: new project, not in the golden list`); continue; }
    if (!n) { lines.push(`${key}: in the golden list, no longer generated`); continue; }
    for (const f of [...new Set([...Object.keys(g), ...Object.keys(n)])].sort()) {
      if (g[f] === n[f]) continue;
      lines.push(`${key}: ${f} ${!g[f] ? "added" : !n[f] ? "removed" : "changed"}`);
    }
  }
  return lines;
}
