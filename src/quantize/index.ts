// Post-training int8 quantization (TFLite int8 spec, PT2E-style Q/DQ graph).
export { quantizeGraph, formatLayerTable, type QuantizeOptions, type QuantizeResult, type LayerReport } from "./quantize.js";
export {
  calibrate, feedSetsSource, streamSource, randomSource, fileSource, expandCalibPaths, runSource,
  type FeedSource, type Feeds, type StreamSpec, type CalibrateOptions, type CalibrationResult,
} from "./calibrate.js";
export { annotate, type Annotation, type AnnotateOptions, type NodeRole, type QGroup } from "./annotate.js";
export { allPatterns, findPattern, isSharedOp, type PatternDef, type TailName, type InputRole } from "./patterns.js";
export { MinMaxObserver, createObserver, type Observer, type ObserverOptions, type ObserverKind } from "./observers.js";
export { HistogramObserver, type HistogramOptions } from "./histogram.js";
export { activationQParams, quantizeWeightPerChannel, quantizeWeightPerTensor, quantizeBias, type WeightRange } from "./scheme.js";
export { insertQDQ, Q_OP, DQ_OP, DQC_OP } from "./insert_qdq.js";
export { cloneGraph } from "./clone.js";
export { compareGraphs, sqnrDb, addSqnr, type SqnrSums } from "./sqnr.js";
