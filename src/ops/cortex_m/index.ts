import "./ops.js";
export * from "./shapes.js";
