// The built-in model registry and the one entry point the CLI and the library
// use to get a graph: a built-in name, a path to an .onnx file, ONNX bytes, or
// a graph made with the builder.
import { existsSync } from "node:fs";
import { UserError } from "../ir/errors.js";
import { Graph } from "../ir/graph.js";
import { checkGraphMemory } from "../ir/limits.js";
import { verifyGraph } from "../ir/verify.js";
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
    if (k !== "" && !names.includes(k)) throw new UserError(`--input-shape: ${source} has no input "${k}" (inputs: ${names.join(", ") || "none"})`);
  }
}

/** A bare `--input-shape` (key "") is the built-in's first input's; its data shapes are not used (its inputs are static). */
function bareShapeToFirstInput(builtin: BuiltinModel, opts: LoadOptions): LoadOptions {
  const { dataShapes: _unused, ...rest } = opts;
  const shapes = { ...(opts.inputShapes ?? {}) };
  if (!("" in shapes)) return rest;
  const first = Object.keys(builtin.defaultInputShapes)[0]!;
  if (first in shapes) throw new UserError(`--input-shape: model ${builtin.name}: the first input "${first}" is given twice (bare and by name)`);
  shapes[first] = shapes[""]!;
  delete shapes[""];
  return { ...rest, inputShapes: shapes };
}

/** What a model can be given as: a built-in name or .onnx path, the bytes of an ONNX file, or a builder graph. */
export type ModelSource = string | Uint8Array | Graph;

export function loadModel(source: ModelSource, opts: LoadOptions = {}): LoadedModel {
  if (source instanceof Uint8Array) {
    const graph = importOnnx(source, opts);
    checkShapeNames(graph.name, graph, opts);
    return { graph };
  }
  if (source instanceof Graph) return { graph: givenGraph(source, opts) };
  return loadNamed(source, opts);
}

/** A builder graph is used as built: its shapes are fixed, so overrides and binds are refused rather than ignored. */
function givenGraph(g: Graph, opts: LoadOptions): Graph {
  if (Object.keys(opts.inputShapes ?? {}).length || Object.keys(opts.bind ?? {}).length) {
    throw new UserError(`model ${g.name}: inputShapes/bind apply to ONNX files and built-in models; build the graph with the shapes you want`);
  }
  if (g.outputs.length === 0) throw new UserError(`model ${g.name} has no outputs`);
  verifyGraph(g, `model ${g.name}`);
  checkGraphMemory(g, `model ${g.name}`);
  return g;
}

function loadNamed(nameOrPath: string, opts: LoadOptions): LoadedModel {
  const builtin = Object.hasOwn(builtinModels, nameOrPath) ? builtinModels[nameOrPath] : undefined;
  if (builtin) {
    opts = bareShapeToFirstInput(builtin, opts);
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
