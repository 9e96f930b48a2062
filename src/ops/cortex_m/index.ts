import "./ops.js";
export * from "./shapes.js";
export * from "./minmax.js";
