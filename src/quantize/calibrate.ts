// Calibration: feed representative inputs through the float graph and let one
// observer per quantization group watch its values. Sources are generators of
// feed sets; each receives the previous run's outputs so stateful audio
// models (Silero VAD) can be fed consecutive frames with their state carried.
import fs from "node:fs";
import nodePath from "node:path";
import { UserError } from "../ir/errors.js";
import { fileError } from "../ir/user_files.js";
import type { Graph, Value } from "../ir/graph.js";
import type { QParams } from "../ir/quant.js";
import { allocArray } from "../ir/dtype.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import { loadFeed, randomFeeds } from "../io/feeds.js";
import { mulberry32 } from "../ir/prng.js";
import { readNpy } from "../io/npy.js";
import { readWav } from "../io/wav.js";
import { terminalProgress } from "../io/progress.js";
import { SILENT_PROGRESS, type Progress } from "../ir/progress.js";
import type { BuiltinModel } from "../models/types.js";
import type { Annotation, QGroup } from "./annotate.js";
import { createObserver, MinMaxObserver, PowerOfTwoGridObserver, type Observer, type ObserverOptions } from "./observers.js";
import { activationQParams, fixedQParams } from "./scheme.js";

export type Feeds = Record<string, Tensor>;
export type StreamSpec = NonNullable<BuiltinModel["stream"]>;

/** A calibration (or evaluation) data set: feed sets produced one run at a time. */
export interface FeedSource {
  /** For messages and reports, e.g. "3 files" or "8 random samples". */
  description: string;
  /** Number of graph runs it will produce (progress bar total). */
  runs: number;
  /** A fresh generator; `next(outputs)` passes the outputs of the run just made. */
  feeds(g: Graph): Generator<Feeds, void, Feeds | undefined>;
}

function zeros(g: Graph, except: Set<string>): Feeds {
  const f: Feeds = {};
  for (const v of g.inputs) if (!except.has(v.name)) f[v.name] = { dtype: v.dtype, shape: [...v.shape], data: allocArray(v.dtype, v.numel) };
  return f;
}

/** Fixed feed sets, run in order. */
export function feedSetsSource(sets: Feeds[], description = `${sets.length} feed sets`): FeedSource {
  return {
    description,
    runs: sets.length,
    *feeds() {
      for (const s of sets) yield s;
    },
  };
}

/** Audio clips streamed frame by frame: `context` samples of the previous frame, then `frame` new ones; state fed back. */
export function streamSource(clips: Float32Array[], stream: StreamSpec, description = `${clips.length} clips`): FeedSource {
  const framesOf = (n: number): number => Math.floor(n / stream.frame);
  return {
    description,
    runs: clips.reduce((s, c) => s + framesOf(c.length), 0),
    *feeds(g) {
      const audio = g.inputs.find((v) => v.name === stream.audioInput);
      if (!audio) throw new UserError(`stream model: no audio input ${stream.audioInput}`);
      if (audio.numel !== stream.context + stream.frame) {
        throw new UserError(`stream model: input ${audio.name} holds ${audio.numel} samples, expected ${stream.context}+${stream.frame}`);
      }
      const stateIn = new Set(stream.state.map((s) => s.input));
      for (const clip of clips) {
        const base = zeros(g, new Set([audio.name]));
        let state: Feeds = {};
        for (const s of stream.state) state[s.input] = base[s.input]!;
        const ctx = new Float32Array(stream.context);
        for (let f = 0; f < framesOf(clip.length); f++) {
          const x = new Float32Array(stream.context + stream.frame);
          x.set(ctx, 0);
          x.set(clip.subarray(f * stream.frame, (f + 1) * stream.frame), stream.context);
          ctx.set(x.subarray(x.length - stream.context));
          const feeds: Feeds = { ...base, ...state, [audio.name]: { dtype: "f32", shape: [...audio.shape], data: x } };
          for (const k of Object.keys(base)) if (stateIn.has(k) && !state[k]) feeds[k] = base[k]!;
          const outs = yield feeds;
          if (!outs) throw new Error("streamSource: the caller must pass each run's outputs to next()");
          state = {};
          for (const s of stream.state) {
            const o = outs[s.output];
            if (!o) throw new UserError(`stream model: output ${s.output} (state) not produced`);
            state[s.input] = o;
          }
        }
      }
    },
  };
}

/** Seeded random inputs: randomFeeds per sample; for stream models, N frames of seeded noise with state carried. */
export function randomSource(n: number, opts: { seed?: number; stream?: StreamSpec } = {}): FeedSource {
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--calib-random: expected a positive integer, got ${n}`);
  const seed = opts.seed ?? 1;
  if (opts.stream) {
    // Noise at a speech-like level; consecutive frames exercise the carried state.
    const rnd = mulberry32(seed);
    const clip = new Float32Array(n * opts.stream.frame);
    for (let i = 0; i < clip.length; i++) clip[i] = (rnd() * 2 - 1) * 0.3;
    return streamSource([clip], opts.stream, `${n} random frames (seed ${seed})`);
  }
  return {
    description: `${n} random samples (seed ${seed})`,
    runs: n,
    *feeds(g) {
      for (let i = 0; i < n; i++) yield randomFeeds(g, seed + i);
    },
  };
}

/** Expand directories (sorted, one level) into their .wav/.npy files. */
export function expandCalibPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    let entries: string[] = [];
    try {
      st = fs.statSync(p);
      if (st.isDirectory()) entries = fs.readdirSync(p);
    } catch (e) {
      throw fileError(`--calib ${p}`, e);
    }
    if (st.isDirectory()) {
      const files = entries.filter((f) => /\.(wav|npy)$/i.test(f)).sort();
      if (files.length === 0) throw new UserError(`--calib ${p}: directory holds no .wav or .npy files`);
      out.push(...files.map((f) => nodePath.join(p, f)));
    } else {
      if (!/\.(wav|npy)$/i.test(p)) throw new UserError(`--calib ${p}: expected a .wav or .npy file or a directory`);
      out.push(p);
    }
  }
  return out;
}

/**
 * Largest magnitude accepted in calibration data. Inputs of the float networks
 * this compiles are audio (±1, or ±32768 as raw PCM), images (0–255) or
 * normalised features; 1e30 is a broken file, and would drive the float
 * reference to Inf and every scale after it to nonsense.
 */
export const MAX_CALIB_MAGNITUDE = 1e6;

/** Refuse calibration data that is not finite or absurdly large, naming the file. */
export function checkCalibData(path: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (!Number.isFinite(x)) throw new UserError(`--calib ${path}: element ${i} is ${x}; calibration data must be finite`);
    if (Math.abs(x) > MAX_CALIB_MAGNITUDE) {
      throw new UserError(`--calib ${path}: element ${i} is ${x}, beyond ±${MAX_CALIB_MAGNITUDE} (normalise the data the way the model expects)`);
    }
  }
}

function audioOf(path: string, rate?: number): Float32Array {
  if (/\.wav$/i.test(path)) return readWav(path, rate !== undefined ? { expectRate: rate } : {}).samples;
  const t = readNpy(path);
  if (t.shape.filter((d) => d !== 1).length > 1) throw new UserError(`--calib ${path}: expected 1-D audio, got shape [${t.shape}]`);
  checkCalibData(path, t.data);
  return Float32Array.from(t.data as ArrayLike<number>);
}

/**
 * Files as calibration data for `g`. Stream models: each file is a clip
 * streamed in frames. Otherwise each file feeds the first float input (a WAV
 * longer than the input is cut into consecutive windows, the last one
 * zero-padded); other inputs get zeros.
 */
export function fileSource(g: Graph, paths: string[], opts: { stream?: StreamSpec } = {}): FeedSource {
  const files = expandCalibPaths(paths);
  const description = `${files.length} file${files.length === 1 ? "" : "s"}`;
  if (opts.stream) return streamSource(files.map((f) => audioOf(f, opts.stream!.sampleRate)), opts.stream, description);
  const input = g.inputs.find((v) => v.dtype === "f32");
  if (!input) throw new UserError("--calib: the model has no float input");
  const samples: Tensor[] = [];
  for (const f of files) {
    const wav = /\.wav$/i.test(f) ? readWav(f).samples : null;
    if (!wav || wav.length === input.numel) {
      const t = loadFeed(f, input.type, { inputName: input.name });
      checkCalibData(f, t.data);
      samples.push(t);
      continue;
    }
    for (let w = 0; w * input.numel < wav.length; w++) {
      const x = new Float32Array(input.numel);
      x.set(wav.subarray(w * input.numel, Math.min(wav.length, (w + 1) * input.numel)));
      samples.push({ dtype: "f32", shape: [...input.shape], data: x });
    }
  }
  return {
    description,
    runs: samples.length,
    *feeds(graph) {
      const base = zeros(graph, new Set([input.name]));
      for (const t of samples) yield { ...base, [input.name]: t };
    },
  };
}

/** The float values of one calibration run kept for a later pass over the same data (see `keep`). */
export interface KeptRun {
  values: Map<Value, Tensor>;
  outputs: Feeds;
}

export interface CalibrateOptions {
  observer?: ObserverOptions;
  /**
   * Keep these values (and the graph outputs) of the first `runs` runs while they fit in `bytes`,
   * so a following pass over the same data (the SQNR report) need not run the float graph again.
   */
  keep?: { values: ReadonlySet<Value>; runs: number; bytes: number };
  /**
   * Record these values in up to `runs` runs spread evenly over the source (not its first runs: a VAD
   * clip starts silent): the first for every value, more while they fit in `bytes` (the inputs of the conv / linear
   * layers, for measuring their weight quantization: weight_choice.ts).
   */
  sample?: { values: ReadonlySet<Value>; runs: number; bytes: number };
  /** Progress bar on stderr: shown only on a TTY and only once calibration has run for a second. Default true. */
  progress?: boolean;
  /** Where progress goes (the CLI's reporter); overrides `progress`. */
  reporter?: Progress;
}

export interface CalibrationResult {
  /** Parameters of every int8 group (fixed, or from its observer). */
  qparams: Map<QGroup, QParams>;
  /** Observed real range per group (null for fixed groups). */
  ranges: Map<QGroup, [number, number] | null>;
  /**
   * Full min/max per group (null for fixed groups). An int16 group takes this one, not the
   * observer's: with 65536 levels clipping outliers buys nothing and costs the loud frames.
   */
  fullRanges: Map<QGroup, [number, number] | null>;
  /**
   * Groups holding a graph input whose every calibration value lies on a power-of-two grid (16-bit
   * PCM audio: 2^-15), with that grid; an int16 group takes it as its scale when the range fits.
   */
  grids: Map<QGroup, number>;
  runs: number;
  /** The runs kept for `opts.keep`: a prefix of the runs, empty when even the first did not fit (quantizeGraph empties it after use). */
  kept: KeptRun[];  /** The tensors recorded for `opts.sample`, per value in run order (quantizeGraph empties it after use). */
  samples: Map<Value, Tensor[]>;
}

/** Drive `source` through `g`, calling `onRun` after every run (with its number and outputs). */
export function runSource(g: Graph, source: FeedSource, onValue?: (v: Value, t: Tensor) => void, onRun?: (i: number, outputs: Feeds) => void): number {
  const it = source.feeds(g);
  let r = it.next();
  let i = 0;
  const folded = new Map<Value, Tensor>();
  while (!r.done) {
    const outs = runFloat(g, r.value, onValue ? { onValue, folded } : { folded });
    onRun?.(++i, outs);
    r = it.next(outs);
  }
  return i;
}

/** Observe every non-fixed group of `ann` over `source` and choose its parameters. */
export function calibrate(g: Graph, ann: Annotation, source: FeedSource, opts: CalibrateOptions = {}): CalibrationResult {
  const observers = new Map<QGroup, Observer>();
  const extremes = new Map<QGroup, MinMaxObserver>();
  for (const grp of ann.groups) {
    if (grp.fixed) continue;
    observers.set(grp, createObserver(opts.observer));
    extremes.set(grp, new MinMaxObserver());
  }
  // Only graph inputs are watched for a grid: they come from files (PCM audio); computed values never lie on one.
  const gridObs = new Map<QGroup, PowerOfTwoGridObserver>();
  for (const v of g.inputs) {
    const grp = ann.groupOf.get(v);
    if (grp && !grp.fixed && !gridObs.has(grp)) gridObs.set(grp, new PowerOfTwoGridObserver());
  }
  // Constants are observed once, up front (the interpreter reports them on every run).
  for (const grp of ann.groups) {
    const obs = observers.get(grp);
    const ext = extremes.get(grp);
    if (obs) for (const v of grp.members) if (v.data) obs.observe(v.data);
    if (ext) for (const v of grp.members) if (v.data) ext.observe(v.data);
  }
  const progress = opts.reporter ?? (opts.progress !== false && process.stderr.isTTY === true ? terminalProgress() : SILENT_PROGRESS);
  progress.begin("calibrating", source.runs, "runs");
  let runs = 0;
  const kept: KeptRun[] = [];
  const keep = opts.keep;
  let keptBytes = 0;
  let current: Map<Value, Tensor> | null = keep && keep.runs > 0 ? new Map() : null;
  const sample = opts.sample;
  const samples = new Map<Value, Tensor[]>();
  const sampledRuns = new Set<number>();
  if (sample) for (let k = 0; k < Math.min(sample.runs, source.runs); k++) sampledRuns.add(Math.floor(((k + 0.5) * source.runs) / Math.min(sample.runs, source.runs)));
  let sampleBytes = 0;
  let run = 0;
  try {
    runs = runSource(
      g,
      source,
      (v, t) => {
        progress.beat();
        if (current && keep!.values.has(v)) {
          current.set(v, t);
          keptBytes += t.data.byteLength;
        }
        if (sample && sampledRuns.has(run) && sample.values.has(v)) {
          // Every value gets its first sample whatever its size (one run of YOLO11n's conv inputs is 89 MB);
          // later ones while the budget lasts.
          const had = samples.get(v);
          if (!had) samples.set(v, [t]);
          else if (sampleBytes + t.data.byteLength <= sample.bytes) {
            sampleBytes += t.data.byteLength;
            had.push(t);
          }
        }
        if (v.data) return;
        const grp = ann.groupOf.get(v);
        if (grp) {
          observers.get(grp)?.observe(t.data);
          extremes.get(grp)?.observe(t.data);
          gridObs.get(grp)?.observe(t.data);
        }
      },
      (i, outputs) => {
        run = i;
        if (current) {
          for (const o of Object.values(outputs)) keptBytes += o.data.byteLength;
          if (keptBytes <= keep!.bytes) kept.push({ values: current, outputs });
          current = keptBytes <= keep!.bytes && kept.length < keep!.runs ? new Map() : null;
        }
        progress.update(i);
      },
    );
  } finally {
    progress.end();
  }
  if (runs === 0) throw new UserError(`calibration: ${source.description} produced no runs (files shorter than one frame?)`);
  const qparams = new Map<QGroup, QParams>();
  const ranges = new Map<QGroup, [number, number] | null>();
  const fullRanges = new Map<QGroup, [number, number] | null>();
  for (const grp of ann.groups) {
    if (grp.fixed) {
      qparams.set(grp, fixedQParams(grp.fixed));
      ranges.set(grp, null);
      fullRanges.set(grp, null);
      continue;
    }
    fullRanges.set(grp, extremes.get(grp)!.range() ?? [0, 0]);
    const r = observers.get(grp)!.range() ?? [0, 0];
    // Finite inputs can still overflow in the float reference (exp, deep products): no scale fits that.
    if (!Number.isFinite(r[0]) || !Number.isFinite(r[1])) {
      throw new UserError(`calibration: ${source.description} drive ${grp.members[0]!.name} to non-finite values (range [${r[0]}, ${r[1]}])`);
    }
    ranges.set(grp, r);
    qparams.set(grp, activationQParams(r[0], r[1]));
  }
  const grids = new Map<QGroup, number>();
  for (const [grp, o] of gridObs) {
    const grid = o.grid();
    if (grid !== null) grids.set(grp, grid);
  }
  return { qparams, ranges, fullRanges, grids, runs, kept, samples };
}
