export { runFloat, evalNode, checkFeed, type RunFloatOptions } from "./float.js";
