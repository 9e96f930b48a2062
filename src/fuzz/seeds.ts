// The seed corpus of the fuzzer: small real models as ONNX bytes. Built-ins are
// exported at small input sizes (a mutated case must run in milliseconds, not
// seconds), plus the 8 conv1d cases and the real Silero ONNX files, whose If
// subgraphs and opset exercise importer paths the exporter never writes (their
// free input shapes are fixed and `sr` made a constant, as the built-in does,
// so that cases get past import). Wav2Letter is left out: its 34 MB of weights
// do not shrink with the input.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ModelBuilder } from "../builder/index.js";
import { exportOnnx } from "../export/onnx.js";
import { onnx, tensor } from "../export/proto.js";
import { CONV1D_CASES } from "../models/conv1d_cases.js";
import { builtinModels } from "../models/index.js";

export interface FuzzSeed {
  name: string;
  bytes: Uint8Array;
  /** How often a case starts from this seed, relative to the others. */
  weight: number;
}

/**
 * Built-ins, the input shapes they are exported at and their weight. YOLO11n
 * (2.6 M weights whatever the input size) takes seconds per case, so it is
 * drawn rarely; it is still the seed with Split→Concat, attention and SiLU.
 */
const BUILTIN_SEEDS: [string, Record<string, number[]>, number][] = [
  ["silero-vad", {}, 1],
  ["silero-vad-legacy", {}, 1],
  ["silero-vad-16k", {}, 1],
  ["yolo11n", { images: [1, 3, 32, 32] }, 0.2],
];

/** The real Silero files shipped by @ricky0123/vad-web (a dependency), with the shapes the built-ins use. */
const VAD_WEB_FILES: [string, Record<string, number[]>][] = [
  ["silero_vad_v5.onnx", { input: [1, 576], state: [2, 1, 128] }],
  ["silero_vad_legacy.onnx", { input: [1, 512], h: [2, 1, 64], c: [2, 1, 64] }],
];
const SAMPLE_RATE = 16000;

/** Fix the free input dims and turn the `sr` input into a constant initializer. */
function pinInputs(bytes: Uint8Array, shapes: Record<string, number[]>): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph!;
  g.input = (g.input ?? []).filter((v) => v.name !== "sr");
  g.initializer = [...(g.initializer ?? []), tensor("sr", "i64", [], [SAMPLE_RATE])];
  for (const v of g.input) {
    const shape = shapes[v.name ?? ""];
    if (shape) v.type!.tensorType!.shape = { dim: shape.map((d) => ({ dimValue: d })) };
  }
  return onnx.ModelProto.encode(m).finish();
}

function vadWebDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@ricky0123/vad-web/package.json")), "dist");
}

export function buildSeeds(): FuzzSeed[] {
  const seeds: FuzzSeed[] = [];
  for (const c of CONV1D_CASES) {
    const b = new ModelBuilder(c.name, 5);
    b.output(c.build(b, b.input("x", c.input)));
    seeds.push({ name: c.name, bytes: exportOnnx(b.build()), weight: 0.5 });
  }
  for (const [name, inputShapes, weight] of BUILTIN_SEEDS) {
    seeds.push({ name, bytes: exportOnnx(builtinModels[name]!.load({ inputShapes })), weight });
  }
  for (const [f, shapes] of VAD_WEB_FILES) {
    seeds.push({ name: f.replace(/\.onnx$/, ""), bytes: pinInputs(readFileSync(join(vadWebDir(), f)), shapes), weight: 1 });
  }
  return seeds;
}
