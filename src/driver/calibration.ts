import type { Graph } from "../ir/graph.js";
import type { BuiltinModel } from "../models/types.js";
import { fileSource, randomSource, type FeedSource } from "../quantize/calibrate.js";

export interface CalibOptions {
  calib?: string[];
  calibRandom?: number;
  seed?: number;
}

/** Default number of random calibration samples when the user gives no data. */
export const DEFAULT_CALIB_RANDOM = 8;

/** Where calibration data comes from: files/directories, else N seeded random samples. */
export function calibrationSource(g: Graph, builtin: BuiltinModel | undefined, o: CalibOptions): FeedSource {
  const stream = builtin?.stream;
  if (o.calib && o.calib.length > 0) return fileSource(g, o.calib, stream ? { stream } : {});
  return randomSource(o.calibRandom ?? DEFAULT_CALIB_RANDOM, { seed: o.seed ?? 1, ...(stream ? { stream } : {}) });
}
