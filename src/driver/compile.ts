// The compile flow the CLI's `compile` and the library's compile() share:
// model → final stage → C project files in memory, and the report both print.
import { UserError } from "../ir/errors.js";
import { emitProject, projectFiles, type EmittedProject } from "../emit/project.js";
import type { ModelSource } from "../models/index.js";
import { buildStages, type BuildOptions, type ConvReport, type Stages } from "./stages.js";

// C99 guarantees 63 significant initial characters of an internal identifier;
// the name also begins every generated file name, which must stay short.
export const MAX_NAME = 63;

/** The C prefix must be an identifier; the message names the CLI flag, which the library mirrors. */
export function checkName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`--name: '${name}' is not a C identifier (letters, digits, _)`);
  if (name.length > MAX_NAME) throw new UserError(`--name: '${name.slice(0, 20)}…' has ${name.length} characters; at most ${MAX_NAME}`);
}

export interface CompileReport {
  /** The model as given: built-in name, path, or the graph's name for bytes and builder graphs. */
  model: string;
  name: string;
  target: string;
  /** Integer precision of the lowered program; `floatOps` lists what stays float. */
  precision: "int8";
  calibration: string;
  arenaBytes: number;
  /** The arena is supplied by the caller (`arena: "caller"`) instead of being static in <name>.c. */
  callerArena: boolean;
  lowerBoundBytes: number;
  /** Constants compiled into the image. */
  weightsBytes: number;
  /** External-weights mode: bytes of <name>_weights.bin (0 otherwise). */
  externalWeightsBytes: number;
  staticBytes: number;
  kernels: string[];
  /** One row per quantized layer: fake-quant SQNR vs float and output qparams. */
  layers: { name: string; op: string; qparams: string; sqnrDb: number | null }[];
  convs: ConvReport[];
  floatOps: { name: string; op: string; reason: string }[];
  ops: Record<string, number>;
}

export interface CompiledModel {
  stages: Stages;
  project: EmittedProject;
  files: Map<string, string | Uint8Array>;
  report: CompileReport;
}

export interface CompileFlowOptions extends Omit<BuildOptions, "stage"> {
  name?: string;
  externalWeights?: boolean;
  /** Where the arena lives: "static" in <name>.c (default) or "caller" (supplied through <name>_init). */
  arena?: "static" | "caller";
}

export async function compileModel(source: ModelSource, label: string, o: CompileFlowOptions): Promise<CompiledModel> {
  const name = o.name ?? "model";
  checkName(name);
  const stages = await buildStages(source, { ...o, stage: "final" });
  const target = stages.options?.target ?? o.target ?? "cortex-m55";
  const project = emitProject(stages, { name, target, source: label, externalWeights: o.externalWeights === true, ...(o.arena ? { arena: o.arena } : {}) });
  const fin = stages.json.final!;
  const report: CompileReport = {
    model: label, name: project.prefix, target, precision: "int8", calibration: stages.calibration ?? "",
    arenaBytes: project.arenaBytes, callerArena: project.callerArena, lowerBoundBytes: fin.memory?.lowerBoundBytes ?? 0, weightsBytes: project.weightsBytes,
    externalWeightsBytes: project.externalWeightsBytes, staticBytes: project.staticBytes, kernels: project.nnFunctions,
    layers: stages.json.quantized?.layers ?? [], convs: fin.convs ?? [], floatOps: fin.float ?? [], ops: fin.ops,
  };
  return { stages, project, files: projectFiles(project), report };
}
