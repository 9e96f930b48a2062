export { importOnnx, type ImportOptions } from "./import.js";
export { supportedOnnxOps } from "./converters/table.js";
export { MIN_OPSET, MAX_OPSET } from "./load.js";
