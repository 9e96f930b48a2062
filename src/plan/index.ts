// Static memory planning and memory-traffic accounting of a lowered graph.
export { planGraph, planSummary, type MemoryPlan, type PlanOptions } from "./graph_plan.js";
export { trafficOf, layoutNodesBetweenConvs, isLayoutOp, type OpTraffic, type Traffic } from "./traffic.js";
export { graphBuffers, valueBytes, viewKeepsBytes, inPlaceRule, type GraphBuffers, type ValueBuffer } from "./lifetimes.js";
export { chooseSchedule, scheduleProblem, schedulePeak, type ScheduleChoice } from "./schedule.js";
export { liveBytesPerStep, lowerBound } from "./lower_bound.js";
export {
  bestFit, exactSearch, greedyBySize, planOffsets, placeInOrder, validatePlan,
  DEFAULT_ALIGN, alignUp, footprint, type Buffer, type OffsetPlan, type AlgorithmResult,
} from "./offsets.js";
