// Post-training int8 quantization of a float graph: annotate patterns,
// calibrate, and write the explicit Q/DQ graph (PT2E style), plus a per-layer
// report (qparams and SQNR of the fake-quant output against float).
import type { Graph, Node, Value } from "../ir/graph.js";
import type { QParams } from "../ir/quant.js";
import { verifyGraph } from "../ir/verify.js";
import { annotate, patternOutput, type Annotation, type AnnotateOptions } from "./annotate.js";
import { calibrate, type CalibrateOptions, type CalibrationResult, type FeedSource } from "./calibrate.js";
import { cloneGraph } from "./clone.js";
import { insertQDQ, type InsertOptions } from "./insert_qdq.js";
import { adoptQuantized, isPreQuantized } from "./imported.js";
import { compareGraphs, sqnrDb } from "./sqnr.js";
import type { WeightChoice } from "./weight_choice.js";
import { applyPrecisions, borderParams, explicitPlan, groupPrecisions, type PrecisionOptions } from "./precision.js";
import type { QGroup } from "./annotate.js";
import { autoPrecision, type AutoReport } from "./auto_precision.js";

export interface QuantizeOptions extends CalibrateOptions, InsertOptions, AnnotateOptions, PrecisionOptions {
  /** Measure per-layer SQNR (default true). */
  sqnr?: boolean;
  /** Data for the SQNR report (default: the calibration source). */
  evalSource?: FeedSource;
  /**
   * Cap on evaluation runs (default: every run of the source). A prefix is not a sample: the first
   * frames of a VAD clip are digital silence, and 16 of them reported 3 dB for a 24–27 dB layer.
   */
  evalRuns?: number;
}

export interface LayerReport {
  /** Node name in the float graph (the anchor for a pattern). */
  name: string;
  /** Pattern name (conv1d, add, softmax...) or the float op. */
  op: string;
  tail: string | null;
  quantized: boolean;
  /** Output activation parameters (null for float layers). */
  output: { scale: number; zeroPoint: number } | null;
  /** Weight scheme for conv/linear patterns. */
  weight: "per_channel" | "per_tensor" | null;
  /** SQNR (dB) of the fake-quant output against float; Infinity when identical, null when not measured. */
  sqnrDb: number | null;
  /** How the weight scales were chosen (conv / linear under the default "measured" rule), else null. */
  weightRange: WeightChoice | null;
  /** Precision of the layer's output (float for float layers). */
  precision: "int8" | "int16" | "float";
  /** Why: the option or the auto measurement that chose it, or "default". */
  reason: string;
}

export interface QuantizeResult {
  graph: Graph;
  layers: LayerReport[];
  /** SQNR (dB) of each graph output against float (empty when not measured). */
  outputs: Array<{ name: string; sqnrDb: number }>;
  annotation: Annotation;
  calibration: CalibrationResult;
  /** Float runs of the SQNR pass taken from calibration instead of being run again. */
  reusedFloatRuns: number;
  /** What --precision auto measured and chose (absent for the other precisions). */
  auto?: AutoReport;
}

/** Nodes reported as layers: pattern anchors and float compute ops (data movement and tails are folded in). */
function isLayer(ann: Annotation, n: Node): boolean {
  const k = ann.roles.get(n)?.kind;
  return k === "pattern" || (k === "float" && n.outputs.length > 0 && n.output.dtype === "f32");
}

/** Most bytes of float values kept from calibration for the SQNR pass (beyond it, runs are repeated). */
const KEEP_BYTES = 256 * 2 ** 20;
/** Calibration runs (spread over the source) whose conv / linear inputs measure the weight scale choice. */
const WEIGHT_SAMPLE_RUNS = 8;
/**
 * The same with error-feedback rounding (--precision auto): the rounding fits the weights to the inputs' H = Σ x·xᵀ,
 * which a few runs leave short of rank (Silero's STFT: 4 patches of 256 samples per run) and fit too closely
 * (held within WEIGHT_SAMPLE_BYTES: Silero's 13 s clip, 416 runs, keeps every one).
 */
const ROUNDING_SAMPLE_RUNS = 1024;
/** Most bytes of those inputs kept beyond the first per layer. */
const WEIGHT_SAMPLE_BYTES = 32 * 2 ** 20;

/** The activation inputs of conv / linear patterns (clone values), whose calibration values choose each layer's weight scales. */
function weightedLayerInputs(g: Graph, ann: Annotation): Set<Value> {
  const out = new Set<Value>();
  for (const n of g.nodes) {
    const r = ann.roles.get(n);
    if (r?.kind !== "pattern" || !r.pattern.inputs.some((x) => x === "weight_per_channel" || x === "weight_linear")) continue;
    const x = n.inputs[r.pattern.inputs.indexOf("act")];
    if (x) out.add(x);
  }
  return out;
}

/** The value a layer row reports for clone node `cn` (the pattern's output), or null when `cn` is no layer. */
function layerOutput(ann: Annotation, cn: Node): Value | null {
  if (!isLayer(ann, cn)) return null;
  const role = ann.roles.get(cn)!;
  return role.kind === "pattern" ? patternOutput(cn, role) : cn.output;
}

/** The clone values whose float runs the SQNR pass probes: each layer's output and the graph outputs. */
function probedFloatValues(clone: ReturnType<typeof cloneGraph>, ann: Annotation): Set<Value> {
  const values = new Set<Value>();
  for (const cn of clone.nodes.values()) {
    const v = layerOutput(ann, cn);
    if (v) values.add(v);
  }
  for (const o of clone.graph.outputs) values.add(o);
  return values;
}

/**
 * Quantize `g` (not modified) with data from `calibration`. The result is a
 * new graph in which every int8 edge is quantize_per_tensor → dequantize_per_tensor.
 * A pre-quantized graph (imported QDQ model) is adopted with its own parameters instead (imported.ts).
 */
export function quantizeGraph(g: Graph, calibration: FeedSource, opts: QuantizeOptions = {}): QuantizeResult {
  // A QDQ model carries its author's parameters: adopted as they are, nothing is calibrated.
  if (isPreQuantized(g)) return adoptQuantized(g);
  let plan = explicitPlan(g, opts);
  let auto: AutoReport | undefined;
  if (opts.precision === "auto") ({ plan, report: auto } = autoPrecision(g, calibration, opts, plan));
  const clone = cloneGraph(g);
  const qg = clone.graph;
  const ann = annotate(qg, { keepFloat: (n) => opts.keepFloat?.(n) === true || plan.keepFloat.has(n.name), ...(opts.integerOnly ? { integerOnly: true } : {}), ...(opts.integerPatterns ? { integerPatterns: opts.integerPatterns } : {}) });
  const evalRuns = opts.evalRuns ?? Infinity;
  // The SQNR pass replays the calibration data through the float graph: keep the values it probes
  // from the calibration runs instead of running the float graph a second time.
  const replay = opts.sqnr !== false && opts.evalSource === undefined;
  const keep = replay ? { values: probedFloatValues(clone, ann), runs: evalRuns, bytes: KEEP_BYTES } : undefined;
  const measured = (opts.weightRange ?? "measured") === "measured";
  const weightRounding = opts.weightRounding ?? opts.precision === "auto";
  const sampleRuns = weightRounding ? ROUNDING_SAMPLE_RUNS : WEIGHT_SAMPLE_RUNS;
  const sample = measured ? { values: weightedLayerInputs(qg, ann), runs: sampleRuns, bytes: WEIGHT_SAMPLE_BYTES } : undefined;
  const cal = calibrate(qg, ann, calibration, { ...opts, ...(keep ? { keep } : {}), ...(sample ? { sample } : {}) });
  const precisions = groupPrecisions(qg, ann, plan, opts.precision === "auto" ? [] : opts.int16Nodes);
  const qparams = applyPrecisions(cal, precisions);
  const dtypeOf = (grp: QGroup): "i8" | "i16" => precisions.get(grp)?.dtype ?? "i8";
  const borders = borderParams(ann, dtypeOf, (grp) => ({ range: cal.ranges.get(grp) ?? [0, 0], full: cal.fullRanges.get(grp) ?? [0, 0] }));
  const dqOf = insertQDQ(qg, ann, qparams, { ...opts, layerInputs: cal.samples, weightRounding }, borders);
  cal.samples.clear();
  verifyGraph(qg, "quantize");

  // Layer rows, keyed on the original graph's nodes.
  const rows: Array<{ row: LayerReport; floatV: Value; quantV: Value }> = [];
  const original = new Map<Value, Value>([...clone.values].map(([f, c]) => [c, f]));
  for (const n of g.nodes) {
    const cn = clone.nodes.get(n)!;
    const outC = layerOutput(ann, cn);
    if (!outC) continue;
    const role = ann.roles.get(cn)!;
    const outF = original.get(outC)!;
    const grp = ann.groupOf.get(outC);
    const q: QParams | undefined = grp ? qparams.get(grp) : undefined;
    const prec = grp ? precisions.get(grp) : undefined;
    const weighted = role.kind === "pattern" && ["weight_per_channel", "weight_linear"].includes(role.pattern.inputs[1] ?? "");
    const w = weighted ? cn.inputs[1]?.producer?.op : undefined;
    rows.push({
      row: {
        name: n.name,
        op: role.kind === "pattern" ? role.pattern.name : n.op,
        tail: role.kind === "pattern" ? role.tailName : null,
        quantized: role.kind === "pattern",
        output: q ? { scale: q.scale[0]!, zeroPoint: q.zeroPoint[0]! } : null,
        weight: role.kind !== "pattern" || !w ? null : w.endsWith("per_channel") ? "per_channel" : w.endsWith("per_tensor") ? "per_tensor" : null,
        sqnrDb: null,
        weightRange: (cn.meta["qweightRange"] as WeightChoice | undefined) ?? null,
        // The precision of the layer's output tensor: a float layer's output may still be quantized for its readers.
        precision: !prec ? "float" : prec.dtype === "i16" ? "int16" : "int8",
        reason: role.kind === "pattern" ? prec?.reason ?? "default"
          : `computed in float (${plan.keepFloat.get(n.name) ?? "no int8 pattern"})${prec ? `, output quantized: ${prec.reason}` : ""}`,
      },
      floatV: outF,
      quantV: dqOf.get(outC) ?? outC,
    });
  }
  const outputs: QuantizeResult["outputs"] = [];
  let reusedFloatRuns = 0;
  if (opts.sqnr !== false) {
    const probes: Array<readonly [Value, Value]> = rows.map((r) => [r.floatV, r.quantV] as const);
    g.outputs.forEach((o, i) => probes.push([o, qg.outputs[i]!] as const));
    const floatRuns = cal.kept.map((k) => ({ values: new Map([...k.values].map(([c, t]) => [original.get(c)!, t])), outputs: k.outputs }));
    const sums = compareGraphs(g, qg, opts.evalSource ?? calibration, probes, { maxRuns: evalRuns, floatRuns, ...(opts.reporter ? { progress: opts.reporter } : {}) });
    reusedFloatRuns = floatRuns.length;
    rows.forEach((r, i) => (r.row.sqnrDb = sqnrDb(sums[i]!)));
    g.outputs.forEach((o, i) => outputs.push({ name: o.name, sqnrDb: sqnrDb(sums[rows.length + i]!) }));
  }
  // The kept float values (up to KEEP_BYTES) are not needed past the SQNR pass: release them.
  cal.kept.length = 0;
  return { graph: qg, layers: rows.map((r) => r.row), outputs, annotation: ann, calibration: cal, reusedFloatRuns, ...(auto ? { auto } : {}) };
}
