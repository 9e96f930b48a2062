import type { Graph } from "../ir/graph.js";
import { synthesizeAudio } from "../io/synth_audio.js";
import type { BuiltinModel } from "../models/types.js";
import { fileSource, randomSource, streamSource, type FeedSource } from "../quantize/calibrate.js";

export interface CalibOptions {
  calib?: string[];
  calibRandom?: number;
  seed?: number;
}

/** Default number of random calibration samples when the user gives no data. */
export const DEFAULT_CALIB_RANDOM = 8;
/** Seconds of synthesized voice-like audio that calibrate a streaming audio model by default. */
export const DEFAULT_CALIB_SECONDS = 8;

export type CalibrationKind = "files" | "synthesized audio" | "random data";

/** Which of the three sources below calibrates (the compile summary names it). */
export function calibrationKind(builtin: BuiltinModel | undefined, o: CalibOptions): CalibrationKind {
  if (o.calib && o.calib.length > 0) return "files";
  if (builtin?.stream && o.calibRandom === undefined) return "synthesized audio";
  return "random data";
}

/**
 * The one line a compile of a model FILE without --calib / --calib-random
 * prints (stderr) naming the calibration it fell back to, so nobody ships a
 * model calibrated on noise by accident; null when the user chose the data
 * (either flag) or the model is a built-in (whose default is chosen for it and
 * named in the compile summary).
 */
export function defaultCalibrationNote(builtin: BuiltinModel | undefined, o: CalibOptions, source: FeedSource): string | null {
  if (builtin || (o.calib && o.calib.length > 0) || o.calibRandom !== undefined) return null;
  return (
    `calibration: no --calib given, so this model is calibrated on ${calibrationKind(builtin, o)} (${source.description}); ` +
    `its int8 scales fit that, not your inputs: pass --calib <files|dir> with representative data (or --calib-random N to choose random data)`
  );
}

/**
 * Where calibration data comes from: files/directories; else N seeded random
 * samples when asked (`--calib-random N`); else, for streaming audio models,
 * synthesized voice-like audio (white noise would calibrate a VAD to noise),
 * and random samples for everything else.
 */
export function calibrationSource(g: Graph, builtin: BuiltinModel | undefined, o: CalibOptions): FeedSource {
  const stream = builtin?.stream;
  const kind = calibrationKind(builtin, o);
  if (kind === "files") return fileSource(g, o.calib!, stream ? { stream } : {});
  if (kind === "synthesized audio" && stream) {
    // A different seed from `verify`'s evaluation audio, so calibration does not see it.
    const clip = synthesizeAudio(DEFAULT_CALIB_SECONDS, stream.sampleRate, (o.seed ?? 1) + 100);
    return streamSource([clip], stream, `${DEFAULT_CALIB_SECONDS} s of synthesized voice-like audio`);
  }
  return randomSource(o.calibRandom ?? DEFAULT_CALIB_RANDOM, { seed: o.seed ?? 1, ...(stream ? { stream } : {}) });
}
