export { importOnnx, type ImportOptions } from "./import.js";
export { supportedOnnxOps } from "./converters/table.js";
