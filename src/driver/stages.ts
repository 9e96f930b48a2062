import "../ops/index.js";
import "../ops/cortex_m/index.js";
import type { Graph, Node } from "../ir/graph.js";
import { dialectOf, LOWERED_DIALECT, traitsOf } from "../ir/registry.js";
import { VIEW_COPY } from "../ops/shape/reshape.js";
import { lowerOptions, type LowerOptions } from "../lower/options.js";
import { lowerGraph } from "../lower/pipeline.js";
import { firstFloatNode } from "../lower/integer_only.js";
import { UserError } from "../ir/errors.js";
import { loadModel, type LoadedModel, type ModelSource } from "../models/index.js";
import { planGraph, type MemoryPlan } from "../plan/graph_plan.js";
import { trafficOf } from "../plan/traffic.js";
import { findPattern } from "../quantize/patterns.js";
import { quantizeGraph, type QuantizeResult } from "../quantize/quantize.js";
import { IMPORTED_QPARAMS, isPreQuantized } from "../quantize/imported.js";
import { weightChoiceText } from "../quantize/weight_choice.js";
import { calibrationKind, calibrationSource, defaultCalibrationNote, type CalibOptions, type CalibrationKind } from "./calibration.js";
import type { PrecisionOptions } from "../quantize/precision.js";
import { SILENT_PROGRESS, stage, type Progress } from "../ir/progress.js";

export const STAGES = ["import", "quantized", "lowered", "final"] as const;
export type Stage = (typeof STAGES)[number];

export interface BuildOptions extends CalibOptions, PrecisionOptions {
  stage: Stage;
  inputShapes?: Record<string, number[]>;
  /** Shapes of the input data files ("" = the first input): fill an ONNX model's dynamic dims (see InputOptions). */
  dataShapes?: Record<string, number[]>;
  bind?: Record<string, number | number[]>;
  target?: string;
  ioLayout?: "nchw" | "nhwc";
  observer?: "histogram" | "minmax";
  /** Where the long stages report progress (default: nowhere). */
  progress?: Progress;
  /**
   * Every op must lower to an integer kernel (cores without an FPU): integer-only quant patterns apply,
   * and a node that would stay float fails the build with one line naming it and why.
   */
  integerOnly?: boolean;
  /** The LSTM runs CMSIS-NN's integer kernel (arm_lstm_unidirectional_s8 / _s16) also without integerOnly. */
  integerLstm?: boolean;
  /** Where one-line notices go (the CLI: stderr), e.g. which default calibration a model file got. */
  notice?: (line: string) => void;
}

export interface ConvReport {
  name: string; op: string; layout: string; kernel: string; scratchBytes: number; reason: string;
}

export interface StageReport {
  ops: Record<string, number>;
  nodes: number;
  /** `weights`: how a conv / linear layer's weight scales were chosen (weightChoiceText), else null. */
  layers?: { name: string; op: string; qparams: string; sqnrDb: number | null; weights: string | null; precision: string; reason: string }[];
  convs?: ConvReport[];
  float?: { name: string; op: string; reason: string }[];
  memory?: { arenaBytes: number; lowerBoundBytes: number; weightsBytes: number; scratchBytes: number; algorithms: { name: string; arenaBytes: number }[] };
  traffic?: { totalBytes: number; layoutBytes: number; layoutBytesBetweenConvs: number };
  /** --precision auto: what it measured (output error in dB, higher is better) and the costs it weighed. */
  auto?: AutoSummary;
}

type Cost = { ramBytes: number; instructions: number; weightBytes: number };

export interface AutoSummary {
  /** The class of core whose measured costs the estimates use (src/quantize/precision_cost.ts). */
  costTarget: string;
  int8ErrorDb: number;
  floorErrorDb: number;
  chosenErrorDb: number;
  int8: Cost;
  chosen: Cost;
  budget: Cost;
  steps: { group: string; mode: string; taken: boolean; damageDb: number; errorDb: number | null; floatErrorDb: number | null }[];
}

/** An output error (noise / signal energy) as dB of signal over noise. */
const errorDb = (e: number): number => Number((10 * Math.log10(1 / Math.max(e, 1e-30))).toFixed(2));
const roundCost = (c: Cost): Cost => ({ ramBytes: c.ramBytes, instructions: Math.round(c.instructions), weightBytes: c.weightBytes });

export interface Stages {
  model: LoadedModel;
  float: Graph;
  quantized?: QuantizeResult;
  lowered?: Graph;
  final?: Graph;
  plan?: MemoryPlan;
  options?: LowerOptions;
  json: Partial<Record<Stage, StageReport>>;
  last: Graph;
  /** Where the calibration data came from (the FeedSource's description), from the quantized stage on. */
  calibration?: string;
  /** Which kind of data that was (files, built-in synthesized audio, random data). */
  calibrationKind?: CalibrationKind;
  /** Set when a model file fell back to default calibration data (see defaultCalibrationNote). */
  calibrationNote?: string;
}

/** A lowered convolution (conv trait, cortex_m dialect): the ops that carry kernel and layout choices. */
const isLoweredConv = (op: string): boolean => traitsOf(op).conv === true && dialectOf(op) === LOWERED_DIALECT;

function convReports(g: Graph): ConvReport[] {
  return g.nodes.filter((n) => isLoweredConv(n.op)).map((n) => {
    const x = n.input(0).shape;
    const layout = (n.attrs.layout as string | undefined) ?? `${x[2]}x${x[3]} (2-D)`;
    const scratch = n.inputs[n.inputs.length - 1]?.producer?.attrs.bytes as number | undefined;
    return {
      name: n.name, op: n.op, layout, kernel: String(n.attrs.kernel), scratchBytes: scratch ?? 0,
      reason: (n.attrs.layout_reason as string | undefined) ?? `dispatch of ${n.attrs.target_class} wrapper`,
    };
  });
}

function floatReports(g: Graph): { name: string; op: string; reason: string }[] {
  return g.nodes
    .filter((n: Node) => dialectOf(n.op) !== LOWERED_DIALECT && n.outputs.some((o) => o.dtype === "f32") && n.op !== VIEW_COPY.name)
    .map((n) => ({ name: n.name, op: n.op, reason: floatReason(n) }));
}

/** Why a node runs in float: its substitution's answer, else the reason its quant pattern records, else no int8 kernel. */
function floatReason(n: Node): string {
  return (n.meta.notLowered as string | undefined) ?? findPattern(n)?.notLowered ?? "no int8 kernel for this op (runs in float)";
}

function memoryReport(g: Graph): { plan: MemoryPlan; memory: StageReport["memory"]; traffic: StageReport["traffic"] } {
  const plan = planGraph(g);
  const t = trafficOf(g, plan);
  return {
    plan,
    memory: {
      arenaBytes: plan.arenaBytes, lowerBoundBytes: plan.lowerBoundBytes, weightsBytes: plan.weightsBytes,
      scratchBytes: plan.largestScratchBytes, algorithms: plan.algorithms.map((a) => ({ name: a.name, arenaBytes: a.arenaBytes })),
    },
    traffic: { totalBytes: t.totalBytes, layoutBytes: t.layoutBytes, layoutBytesBetweenConvs: t.layoutBytesBetweenConvs },
  };
}

/**
 * Import → quantize → lower → clean up → plan, as far as `opts.stage`, with a report per stage.
 * The model is a built-in name or .onnx path (the CLI), ONNX bytes or a builder graph (the library).
 */
export async function buildStages(modelRef: ModelSource, opts: BuildOptions): Promise<Stages> {
  const model = stage(opts.progress ?? SILENT_PROGRESS, "importing", () => loadModel(modelRef, { inputShapes: opts.inputShapes ?? {}, bind: opts.bind ?? {}, ...(opts.dataShapes ? { dataShapes: opts.dataShapes } : {}) }));
  return stagesOf(model, opts);
}

/**
 * The stages after import, for a model already loaded (the fuzzer imports from
 * bytes in memory and must take exactly the path `compile` takes from there).
 */
export function stagesOf(model: LoadedModel, opts: BuildOptions): Stages {
  const s = stagesUpTo(model, opts);
  // Told once the compile has succeeded: a failing one prints its one error line and nothing else.
  if (s.calibrationNote) opts.notice?.(s.calibrationNote);
  return s;
}

function stagesUpTo(model: LoadedModel, opts: BuildOptions): Stages {
  const upTo = STAGES.indexOf(opts.stage);
  const lowerOpts: LowerOptions = { ...lowerOptions(opts.target ?? "cortex-m55", opts.ioLayout ?? "nchw"), ...(opts.integerOnly ? { integerOnly: true } : {}) };
  const progress = opts.progress ?? SILENT_PROGRESS;
  const out: Stages = { model, float: model.graph, json: {}, last: model.graph };
  out.json.import = { ops: model.graph.opCounts(), nodes: model.graph.nodes.length };
  if (upTo < 1) return out;

  const calib = calibrationSource(model.graph, model.builtin, opts);
  // A pre-quantized (QDQ) model is not calibrated: no note about its calibration data.
  const own = isPreQuantized(model.graph);
  const note = own ? null : defaultCalibrationNote(model.builtin, opts, calib);
  if (note) out.calibrationNote = note;
  const precision: PrecisionOptions = {
    ...(opts.precision ? { precision: opts.precision } : {}),
    ...(opts.int16Nodes ? { int16Nodes: opts.int16Nodes } : {}),
    ...(opts.keepFloatNodes ? { keepFloatNodes: opts.keepFloatNodes } : {}),
    ...(opts.budgetRam !== undefined ? { budgetRam: opts.budgetRam } : {}),
    ...(opts.budgetInstructions !== undefined ? { budgetInstructions: opts.budgetInstructions } : {}),
    ...(opts.budgetWeights !== undefined ? { budgetWeights: opts.budgetWeights } : {}),
    costTarget: lowerOpts.targetClass,
  };
  const q = quantizeGraph(model.graph, calib, { observer: { kind: opts.observer ?? "histogram" }, ...precision, ...(opts.integerOnly ? { integerOnly: true } : {}), ...(opts.integerLstm ? { integerPatterns: ["lstm"] } : {}), ...(opts.progress ? { reporter: opts.progress } : {}) });
  out.quantized = q;
  out.calibration = own ? IMPORTED_QPARAMS : calib.description;
  if (!own) out.calibrationKind = calibrationKind(model.builtin, opts);
  out.last = q.graph;
  out.json.quantized = {
    ops: q.graph.opCounts(), nodes: q.graph.nodes.length,
    layers: q.layers.map((l) => ({
      name: l.name, op: l.tail ? `${l.op}+${l.tail}` : l.op,
      qparams: l.output ? `s=${l.output.scale.toPrecision(5)} zp=${l.output.zeroPoint}` : "float",
      sqnrDb: l.sqnrDb === null || !Number.isFinite(l.sqnrDb) ? null : l.sqnrDb,
      weights: l.weightRange ? weightChoiceText(l.weightRange) : null,
      precision: l.precision, reason: l.reason,
    })),
    ...(q.auto ? {
      auto: {
        costTarget: lowerOpts.targetClass,
        int8ErrorDb: errorDb(q.auto.int8Error), floorErrorDb: errorDb(q.auto.floorError), chosenErrorDb: errorDb(q.auto.chosenError),
        int8: roundCost(q.auto.int8Cost), chosen: roundCost(q.auto.chosenCost), budget: roundCost(q.auto.budget),
        steps: q.auto.steps.map((s) => ({
          group: s.group, mode: s.mode, taken: s.taken, damageDb: errorDb(s.damage),
          errorDb: s.error === null ? null : errorDb(s.error), floatErrorDb: s.floatError === null ? null : errorDb(s.floatError),
        })),
      },
    } : {}),
  };
  if (upTo < 2) return out;

  out.options = lowerOpts;
  const { lowered, final } = stage(progress, "lowering", () => lowerGraph(q.graph, lowerOpts));
  if (opts.integerOnly) {
    const n = firstFloatNode(lowered);
    if (n) throw new UserError(`--integer-only: node ${n.name} (${n.op}) would run in float: ${floatReason(n)}`);
  }
  const lm = stage(progress, "planning", () => memoryReport(lowered));
  out.lowered = lowered;
  out.json.lowered = { ops: lowered.opCounts(), nodes: lowered.nodes.length, convs: convReports(lowered), float: floatReports(lowered), memory: lm.memory, traffic: lm.traffic };
  out.last = lowered;
  if (upTo < 3) return out;

  const fm = stage(progress, "planning", () => memoryReport(final));
  out.final = final;
  out.plan = fm.plan;
  out.json.final = { ops: final.opCounts(), nodes: final.nodes.length, convs: convReports(final), float: floatReports(final), memory: fm.memory, traffic: fm.traffic };
  out.last = final;
  return out;
}

