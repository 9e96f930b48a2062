// The CLI's calibration arguments (--calib <path>... | --calib-random N) → a FeedSource.
import { UserError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import type { BuiltinModel } from "../models/types.js";
import { fileSource, randomSource, type FeedSource } from "./calibrate.js";

export interface CalibrationArgs {
  calib?: string[];
  calibRandom?: number;
  seed?: number;
}

/** One of --calib / --calib-random (default: 8 random samples). Stream models are fed frame by frame. */
export function calibrationSource(g: Graph, builtin: BuiltinModel | undefined, args: CalibrationArgs): FeedSource {
  const stream = builtin?.stream;
  const hasFiles = args.calib !== undefined && args.calib.length > 0;
  if (hasFiles && args.calibRandom !== undefined) throw new UserError("--calib and --calib-random are mutually exclusive");
  const seed = args.seed ?? 1;
  if (hasFiles) return fileSource(g, args.calib!, stream ? { stream } : {});
  return randomSource(args.calibRandom ?? 8, stream ? { seed, stream } : { seed });
}
