// Silero VAD (v5 and legacy) from the ONNX files shipped in the
// @ricky0123/vad-web dependency (ISC). The files are resolved at load time and
// never copied into this repository. Both models switch on the sample rate with
// `If` nodes, so `sr` is bound to a constant and the 16 kHz branch is inlined.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { UserError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { importOnnx } from "../import/onnx/index.js";
import type { BuiltinModel } from "./types.js";

const SAMPLE_RATE = 16000;

/** Absolute path of one of vad-web's ONNX files. */
export function sileroModelPath(file: "silero_vad_v5.onnx" | "silero_vad_legacy.onnx"): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve("@ricky0123/vad-web/package.json");
  } catch {
    throw new UserError("the Silero VAD models come from the @ricky0123/vad-web package, which is not installed (run npm install)");
  }
  const path = join(dirname(pkg), "dist", file);
  if (!existsSync(path)) throw new UserError(`${path} is missing from the installed @ricky0123/vad-web package`);
  return path;
}

type LoadOpts = Parameters<BuiltinModel["load"]>[0];

function load(file: "silero_vad_v5.onnx" | "silero_vad_legacy.onnx", name: string, defaults: Record<string, number[]>, opts: LoadOpts): Graph {
  const bind = { sr: SAMPLE_RATE, ...(opts?.bind ?? {}) };
  const inputShapes = { ...defaults, ...(opts?.inputShapes ?? {}) };
  for (const k of Object.keys(bind)) delete inputShapes[k];
  return importOnnx(sileroModelPath(file), { bind, inputShapes, name });
}

const V5_SHAPES = { input: [1, 576], state: [2, 1, 128] };
const LEGACY_SHAPES = { input: [1, 512], h: [2, 1, 64], c: [2, 1, 64] };

export const sileroVad: BuiltinModel = {
  name: "silero-vad",
  description: "Silero VAD v5 (ONNX from @ricky0123/vad-web): STFT conv, 4 conv encoder, LSTM(128); 64 context + 512 new samples at 16 kHz",
  defaultInputShapes: V5_SHAPES,
  load: (opts) => load("silero_vad_v5.onnx", "silero-vad", V5_SHAPES, opts),
  stream: { sampleRate: SAMPLE_RATE, audioInput: "input", frame: 512, context: 64, state: [{ input: "state", output: "stateN" }], probOutput: "output" },
};

export const sileroVadLegacy: BuiltinModel = {
  name: "silero-vad-legacy",
  description: "Silero VAD legacy (v3/v4 ONNX from @ricky0123/vad-web): STFT conv, depthwise-separable encoder, 2-layer LSTM(64); 512 samples at 16 kHz",
  defaultInputShapes: LEGACY_SHAPES,
  load: (opts) => load("silero_vad_legacy.onnx", "silero-vad-legacy", LEGACY_SHAPES, opts),
  stream: {
    sampleRate: SAMPLE_RATE, audioInput: "input", frame: 512, context: 0,
    state: [{ input: "h", output: "hn" }, { input: "c", output: "cn" }], probOutput: "output",
  },
};
