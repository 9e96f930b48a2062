// The seed corpus of the fuzzer: small real models as ONNX bytes. Built-ins are
// exported at small input sizes (a mutated case must run in milliseconds, not
// seconds), plus the 8 conv1d cases and the real Silero ONNX files, whose If
// subgraphs and opset exercise importer paths the exporter never writes.
// Wav2Letter is left out: its 34 MB of weights do not shrink with the input.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ModelBuilder } from "../builder/index.js";
import { exportOnnx } from "../export/onnx.js";
import { CONV1D_CASES } from "../models/conv1d_cases.js";
import { builtinModels } from "../models/index.js";

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
}

/** Built-ins and the input shapes they are exported at. */
const BUILTIN_SEEDS: [string, Record<string, number[]>][] = [
  ["silero-vad", {}],
  ["silero-vad-legacy", {}],
  ["silero-vad-16k", {}],
  ["yolo11n", { images: [1, 3, 32, 32] }],
];

/** The real Silero files shipped by @ricky0123/vad-web (a dependency). */
const VAD_WEB_FILES = ["silero_vad_v5.onnx", "silero_vad_legacy.onnx"];

function vadWebDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@ricky0123/vad-web/package.json")), "dist");
}

export function buildSeeds(): FuzzSeed[] {
  const seeds: FuzzSeed[] = [];
  for (const c of CONV1D_CASES) {
    const b = new ModelBuilder(c.name, 5);
    b.output(c.build(b, b.input("x", c.input)));
    seeds.push({ name: c.name, bytes: exportOnnx(b.build()) });
  }
  for (const [name, inputShapes] of BUILTIN_SEEDS) {
    seeds.push({ name, bytes: exportOnnx(builtinModels[name]!.load({ inputShapes })) });
  }
  for (const f of VAD_WEB_FILES) seeds.push({ name: f.replace(/\.onnx$/, ""), bytes: readFileSync(join(vadWebDir(), f)) });
  return seeds;
}
