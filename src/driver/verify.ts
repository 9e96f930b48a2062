// `verify`: how far the int8 program is from the float model and from the
// fake-quant (Q/DQ) reference, on the same feeds. Every engine in ENGINES
// produces outputs for the same feeds (keyed by the float model's output
// names), so more engines (host C, QEMU) plug into the same figures.
import type { Graph, Value } from "../ir/graph.js";
import { UserError } from "../ir/errors.js";
import type { Tensor } from "../ir/tensor.js";
import { compareLayers, type LayerFigure } from "./layers.js";
import { runFloat } from "../interp/float.js";
import { loadFeedsPartial, randomFeeds, type InputSpec } from "../io/feeds.js";
import { synthesizeAudio } from "../io/synth_audio.js";
export { synthesizeAudio };
import { readWav } from "../io/wav.js";
import type { BuiltinModel } from "../models/types.js";
import { probsOf, streamFrames } from "./stream.js";
import { createProgram } from "../runtime/program.js";
import type { BuildOptions, Stages } from "./stages.js";
import { tableLines } from "../io/text_table.js";

export type Feeds = Record<string, Tensor>;

/** Something that runs the compiled model: feeds by input name → outputs by float output name. */
export interface Engine {
  name: string;
  run(feeds: Feeds): Feeds | Promise<Feeds>;
}

export type EngineFactory = (stages: Stages) => Engine | Promise<Engine>;

/** Outputs of `g` renamed to the float model's output names (outputs correspond by position). */
export function renameOutputs(g: Graph, float: Graph, outs: Feeds): Feeds {
  const r: Feeds = {};
  g.outputs.forEach((v, i) => {
    const t = outs[v.name];
    if (t) r[float.outputs[i]?.name ?? v.name] = t;
  });
  return r;
}

function runtimeEngine(name: string, reference: boolean): EngineFactory {
  return (stages) => {
    if (!stages.final || !stages.plan) throw new Error("the int8 engine needs the final stage and its memory plan");
    const p = createProgram(stages.final, stages.plan, { reference });
    return { name, run: (feeds) => renameOutputs(stages.final!, stages.float, p.run(feeds)) };
  };
}

/** Engines by name. `int8` is the TS runtime with the optimized kernels, `int8-ref` with the reference twins. */
export const ENGINES = new Map<string, EngineFactory>([
  ["int8", runtimeEngine("int8", false)],
  ["int8-ref", runtimeEngine("int8-ref", true)],
]);

export interface OutputFigures {
  name: string;
  shape: number[];
  /** Quantization step used for the step counts (the output's, or the nearest dequantize's upstream). */
  scale: number | null;
  /** Engine vs float model. */
  sqnrDb: number;
  maxAbsErr: number;
  /** Engine vs fake-quant reference: largest |difference| in real units and in steps of `scale`. */
  maxAbsVsFakeQuant: number;
  maxStepsVsFakeQuant: number | null;
}

export interface StreamFigures {
  source: string;
  frames: number;
  /** Largest per-frame |p_float − p_engine|. */
  maxAbsDp: number;
  /** Fraction of frames where (p > 0.5) agrees. */
  agreement: number;
  speechFramesFloat: number;
  speechFramesEngine: number;
  /** Largest per-frame |p_fakequant − p_engine| (the engine's own error, quantization aside). */
  maxAbsDpVsFakeQuant: number;
}

export interface EngineFigures {
  engine: string;
  outputs: OutputFigures[];
  stream?: StreamFigures;
}

export interface VerifyReport {
  model: string;
  target: string;
  feeds: string;
  engines: EngineFigures[];
  /** Per-layer comparison with the fake-quant graph (when asked for). */
  layers?: LayerFigure[];
}

export interface VerifyOptions extends Omit<BuildOptions, "stage"> {
  /** Graph inputs from files (name=file); the rest get seeded random data. */
  inputs?: InputSpec[];
  seed?: number;
  /** Audio for stream models (a 16-bit PCM WAV); synthesized when absent. */
  wav?: string;
  /** Engines to compare (default ["int8"]). */
  engines?: string[];
  /** Seconds of synthesized audio for stream models without a WAV (default 6). */
  synthSeconds?: number;
  /** Also compare every int8 tensor with its fake-quant counterpart (free-running and teacher-forced). */
  layers?: boolean;
}

/** The scale of `v`'s int8 source: its own parameters, or the nearest dequantize upstream through float ops. */
export function stepScale(v: Value): number | null {
  const seen = new Set<Value>();
  const queue: Value[] = [v];
  while (queue.length > 0) {
    const x = queue.shift()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (x.type.qparams?.scheme === "per_tensor") return x.type.qparams.scale[0]!;
    const p = x.producer;
    if (!p) continue;
    if (p.op === "cortex_m.dequantize_per_tensor") return p.attrs.scale as number;
    for (const i of p.inputs) if (i && !i.isConst()) queue.push(i);
  }
  return null;
}

export function compareOutputs(name: string, scale: number | null, float: Tensor, fq: Tensor, got: Tensor): OutputFigures {
  let signal = 0;
  let noise = 0;
  let maxErr = 0;
  let maxFq = 0;
  for (let i = 0; i < got.data.length; i++) {
    const g = got.data[i]!;
    const f = float.data[i]!;
    signal += f * f;
    noise += (f - g) * (f - g);
    maxErr = Math.max(maxErr, Math.abs(f - g));
    maxFq = Math.max(maxFq, Math.abs(fq.data[i]! - g));
  }
  const sqnrDb = noise === 0 ? Infinity : signal === 0 ? -Infinity : 10 * Math.log10(signal / noise);
  return {
    name, shape: [...got.shape], scale, sqnrDb, maxAbsErr: maxErr, maxAbsVsFakeQuant: maxFq,
    maxStepsVsFakeQuant: scale ? maxFq / scale : null,
  };
}

/** Probability track of a stream model over `clip`, state carried between frames. */
async function streamProbs(g: Graph, stream: NonNullable<BuiltinModel["stream"]>, clip: Float32Array, run: (f: Feeds) => Feeds | Promise<Feeds>): Promise<number[]> {
  return probsOf(stream, await streamFrames(g, stream, clip, run));
}

function streamFigures(source: string, ref: number[], fq: number[], got: number[]): StreamFigures {
  let maxD = 0;
  let agree = 0;
  ref.forEach((p, i) => {
    maxD = Math.max(maxD, Math.abs(p - got[i]!));
    if (p > 0.5 === got[i]! > 0.5) agree++;
  });
  return {
    source, frames: ref.length, maxAbsDp: maxD, agreement: ref.length ? agree / ref.length : 1,
    speechFramesFloat: ref.filter((p) => p > 0.5).length, speechFramesEngine: got.filter((p) => p > 0.5).length,
    maxAbsDpVsFakeQuant: fq.reduce((m, p, i) => Math.max(m, Math.abs(p - got[i]!)), 0),
  };
}

export async function verifyStages(model: string, stages: Stages, opts: VerifyOptions, names: string[]): Promise<VerifyReport> {
  const float = stages.float;
  const quantized = stages.quantized!.graph;
  const stream = stages.model.builtin?.stream;
  const fromFiles = opts.inputs?.length
    ? loadFeedsPartial(float, opts.inputs, stream ? { expectRate: stream.sampleRate } : {})
    : {};
  const feeds = { ...randomFeeds(float, opts.seed ?? 0), ...fromFiles };
  const feedDesc = opts.inputs?.length ? `${opts.inputs.map((s) => s.path).join(", ")} (+ seeded random for the rest)` : `seeded random inputs (seed ${opts.seed ?? 0})`;
  const refFloat = runFloat(float, feeds);
  const refFq = renameOutputs(quantized, float, runFloat(quantized, feeds));
  const scales = new Map(float.outputs.map((v, i) => [v.name, stepScale(stages.final!.outputs[i]!)]));

  let clip: Float32Array | null = null;
  let clipSource = "";
  let floatProbs: number[] = [];
  let fqProbs: number[] = [];
  if (stream) {
    if (opts.wav) {
      clip = readWav(opts.wav, { expectRate: stream.sampleRate }).samples;
      clipSource = opts.wav;
      // With no frame there is no decision to compare, and "100% agreement" would be a lie.
      if (clip.length < stream.frame) {
        throw new UserError(`${opts.wav}: ${clip.length} samples, fewer than one frame of ${stream.frame} samples at ${stream.sampleRate} Hz; nothing to verify`);
      }
    } else {
      const secs = opts.synthSeconds ?? 6;
      clip = synthesizeAudio(secs, stream.sampleRate);
      clipSource = `${secs} s of synthesized voice-like audio`;
    }
    // One frame per run: nodes reading only constants (the fake-quant graph's dequantized weights) are evaluated once.
    const foldedF = new Map<Value, Tensor>(), foldedQ = new Map<Value, Tensor>();
    floatProbs = await streamProbs(float, stream, clip, (f) => runFloat(float, f, { folded: foldedF }));
    fqProbs = await streamProbs(float, stream, clip, (f) => renameOutputs(quantized, float, runFloat(quantized, f, { folded: foldedQ })));
  }

  const engines: EngineFigures[] = [];
  for (const name of names) {
    const engine = await ENGINES.get(name)!(stages);
    const got = await engine.run(feeds);
    const outputs = float.outputs.map((v) => {
      const t = got[v.name];
      if (!t) throw new Error(`engine ${name} did not produce output ${v.name}`);
      return compareOutputs(v.name, scales.get(v.name) ?? null, refFloat[v.name]!, refFq[v.name]!, t);
    });
    const fig: EngineFigures = { engine: name, outputs };
    if (stream && clip) {
      const probs = await streamProbs(float, stream, clip, (f) => engine.run(f));
      fig.stream = streamFigures(clipSource, floatProbs, fqProbs, probs);
    }
    engines.push(fig);
  }
  const report: VerifyReport = { model, target: opts.target ?? "cortex-m55", feeds: feedDesc, engines };
  if (opts.layers) report.layers = compareLayers(stages.final!, quantized, feeds);
  return report;
}

/** Feeds from files for the inputs named; the others are left to the caller. */

function fmtNum(x: number, digits = 4): string {
  if (x === Infinity) return "inf";
  if (x === 0) return "0";
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(digits) : x.toExponential(2);
}

/** The report as text: one table per engine, then the stream figures. */
export function formatVerify(r: VerifyReport): string {
  const lines = [`verify ${r.model} (target ${r.target}); feeds: ${r.feeds}`];
  for (const e of r.engines) {
    lines.push("", `engine ${e.engine}:`);
    const rows = [["output", "shape", "SQNR dB vs float", "max |err| vs float", "max |Δ| vs fake-quant", "steps", "step (scale)"]];
    for (const o of e.outputs) {
      rows.push([
        o.name, `[${o.shape.join(",")}]`, o.sqnrDb === Infinity ? "inf" : o.sqnrDb.toFixed(2), fmtNum(o.maxAbsErr),
        fmtNum(o.maxAbsVsFakeQuant), o.maxStepsVsFakeQuant === null ? "-" : o.maxStepsVsFakeQuant.toFixed(2), o.scale === null ? "-" : fmtNum(o.scale),
      ]);
    }
    lines.push(...tableLines(rows, { indent: "  " }));
    if (e.stream) {
      const s = e.stream;
      lines.push(
        `  stream (${s.source}): ${s.frames} frames, max |Δp| ${fmtNum(s.maxAbsDp)}, decision agreement (p > 0.5) ${(100 * s.agreement).toFixed(1)}%, ` +
          `speech frames float ${s.speechFramesFloat} / ${e.engine} ${s.speechFramesEngine}; max |Δp| vs fake-quant ${fmtNum(s.maxAbsDpVsFakeQuant)}`,
      );
    }
  }
  if (r.layers) lines.push("", ...formatLayers(r.layers));
  return lines.join("\n") + "\n";
}

/** One row per int8 op: steps from the fake-quant graph, free-running and teacher-forced (elements that differ in brackets). */
function formatLayers(layers: LayerFigure[]): string[] {
  const rows = [["op", "fake-quant tensor", "elements", "free-running", "teacher-forced"]];
  for (const l of layers) {
    rows.push([l.op.replace("cortex_m.", ""), l.name, String(l.numel), `${l.free.max} (${l.free.count})`, `${l.local.max} (${l.local.count})`]);
  }
  const worst = Math.max(0, ...layers.map((l) => l.local.max));
  return [
    `per layer, int8 runtime vs fake-quant in steps (max (elements differing)); teacher-forced max ${worst} step${worst === 1 ? "" : "s"} over ${layers.length} int8 ops:`,
    ...tableLines(rows, { indent: "  " }),
  ];
}
