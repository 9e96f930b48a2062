// Quantization works on a copy of the float graph (the IR's structural clone),
// so the graph it was given is never mutated; the maps relate layer reports
// back to the original nodes and values.
export { cloneGraphWithMaps as cloneGraph } from "../ir/clone.js";
