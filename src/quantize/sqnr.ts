// Signal-to-quantization-noise ratio of the fake-quant graph against the float
// graph: run both on the same inputs (each stateful graph carries its own
// state) and accumulate Σx² and Σ(x − x̂)² per probed value pair.
import type { Graph, Value } from "../ir/graph.js";
import type { Tensor } from "../ir/tensor.js";
import { runFloat } from "../interp/float.js";
import type { Feeds, FeedSource, KeptRun } from "./calibrate.js";

export interface SqnrSums {
  signal: number;
  noise: number;
}

/** 10·log10(signal/noise) in dB; Infinity when the two agree exactly. */
export function sqnrDb(s: SqnrSums): number {
  if (s.noise === 0) return Infinity;
  if (s.signal === 0) return -Infinity;
  return 10 * Math.log10(s.signal / s.noise);
}

export function addSqnr(acc: SqnrSums, ref: ArrayLike<number>, test: ArrayLike<number>): void {
  let s = 0;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = r - test[i]!;
    s += r * r;
    n += d * d;
  }
  acc.signal += s;
  acc.noise += n;
}

export interface PairedRun {
  index: number;
  floatOutputs: Feeds;
  quantOutputs: Feeds;
}

/**
 * Run `floatG` and `quantG` side by side on `source` (at most `maxRuns` runs); `floatRuns[i]`, when
 * given, holds run i of `floatG` (every probed float value and the outputs) and replaces it.
 * `probes` pairs a float-graph value with its fake-quant counterpart; returns
 * the SQNR sums per probe, and calls `onRun` with both graphs' outputs.
 */
export function compareGraphs(
  floatG: Graph,
  quantG: Graph,
  source: FeedSource,
  probes: ReadonlyArray<readonly [Value, Value]>,
  opts: { maxRuns?: number; onRun?: (r: PairedRun) => void; floatRuns?: readonly KeptRun[] } = {},
): SqnrSums[] {
  const sums = probes.map(() => ({ signal: 0, noise: 0 }));
  const fIndex = new Map<Value, number[]>();
  const qIndex = new Map<Value, number[]>();
  probes.forEach(([f, q], i) => {
    fIndex.set(f, [...(fIndex.get(f) ?? []), i]);
    qIndex.set(q, [...(qIndex.get(q) ?? []), i]);
  });
  const itF = source.feeds(floatG);
  const itQ = source.feeds(quantG);
  let rf = itF.next();
  let rq = itQ.next();
  const max = opts.maxRuns ?? Infinity;
  // Dequantized weights and other constant-only nodes are evaluated once for all runs.
  const foldedF = new Map<Value, Tensor>(), foldedQ = new Map<Value, Tensor>();
  for (let run = 0; !rf.done && !rq.done && run < max; run++) {
    const ref: Tensor[] = new Array<Tensor>(probes.length);
    // A run the caller already made on the same feeds (calibration) is reused, not repeated.
    const kept = opts.floatRuns?.[run];
    if (kept) probes.forEach(([f], i) => (ref[i] = kept.values.get(f)!));
    const fo = kept ? kept.outputs : runFloat(floatG, rf.value, {
      folded: foldedF,
      onValue: (v, t) => {
        for (const i of fIndex.get(v) ?? []) ref[i] = t;
      },
    });
    const qo = runFloat(quantG, rq.value, {
      folded: foldedQ,
      onValue: (v, t) => {
        for (const i of qIndex.get(v) ?? []) if (ref[i]) addSqnr(sums[i]!, ref[i]!.data, t.data);
      },
    });
    opts.onRun?.({ index: run, floatOutputs: fo, quantOutputs: qo });
    rf = itF.next(fo);
    rq = itQ.next(qo);
  }
  return sums;
}
