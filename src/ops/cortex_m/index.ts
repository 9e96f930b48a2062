import "./ops.js";
import "./data_movement.js";
export * from "./shapes.js";
