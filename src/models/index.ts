// The built-in model registry and the one entry point the CLI uses to get a
// graph: a built-in name, or a path to an .onnx file.
import { existsSync } from "node:fs";
import { UserError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { checkGraphMemory } from "../ir/limits.js";
import { importOnnx } from "../import/onnx/index.js";
import { sileroVad, sileroVadLegacy } from "./silero.js";
import { sileroVad16k } from "./silero_vad_16k.js";
import type { LoadOptions } from "./shapes.js";
import type { BuiltinModel } from "./types.js";
import { wav2letter } from "./wav2letter.js";
import { yolo11n } from "./yolo11n.js";

export type { BuiltinModel } from "./types.js";
export type { LoadOptions } from "./shapes.js";

export const builtinModels: Record<string, BuiltinModel> = {
  wav2letter,
  "silero-vad": sileroVad,
  "silero-vad-legacy": sileroVadLegacy,
  "silero-vad-16k": sileroVad16k,
  yolo11n,
};

export interface LoadedModel {
  graph: Graph;
  builtin?: BuiltinModel;
}

/** Input-shape overrides must name real inputs of the loaded graph. */
function checkShapeNames(source: string, g: Graph, opts: LoadOptions): void {
  const names = g.inputs.map((v) => v.name);
  for (const k of Object.keys(opts.inputShapes ?? {})) {
    if (!names.includes(k)) throw new UserError(`--input-shape: ${source} has no input "${k}" (inputs: ${names.join(", ") || "none"})`);
  }
}

export function loadModel(nameOrPath: string, opts: LoadOptions = {}): LoadedModel {
  const builtin = Object.hasOwn(builtinModels, nameOrPath) ? builtinModels[nameOrPath] : undefined;
  if (builtin) {
    for (const k of Object.keys(opts.inputShapes ?? {})) {
      if (!(k in builtin.defaultInputShapes)) {
        throw new UserError(`--input-shape: model ${builtin.name} has no input "${k}" (inputs: ${Object.keys(builtin.defaultInputShapes).join(", ")})`);
      }
    }
    const graph = builtin.load(opts);
    checkShapeNames(builtin.name, graph, opts);
    checkGraphMemory(graph, builtin.name);
    return { graph, builtin };
  }
  // Anything that exists, or is written as a path, is read as a file, so that
  // its error (a directory, EACCES, ENOTDIR…) is the file system's own.
  if (existsSync(nameOrPath) || /[\\/]/.test(nameOrPath)) {
    const graph = importOnnx(nameOrPath, opts);
    checkShapeNames(nameOrPath, graph, opts);
    return { graph };
  }
  const hint = nameOrPath.endsWith(".onnx") ? `file ${nameOrPath} not found` : `"${nameOrPath}" is neither a built-in model nor a file`;
  throw new UserError(`${hint}; built-in models: ${Object.keys(builtinModels).join(", ")}`);
}
