// Every lowering substitution registers itself here (one file per op family),
// keyed by the op specs, which must all be registered first.
import "../../ops/index.js";
import "./conv.js";
import "./linear.js";
import "./batch_matmul.js";
import "./binary.js";
import "./scalar_lut.js";
import "./lut.js";
import "./softmax.js";
import "./log_softmax.js";
import "./lstm.js";
import "./pool.js";
import "./data_movement.js";
import "./clamp.js";
import "./hypot.js";
import "./square.js";
import "./requantize.js";
export { substitutionFor } from "./registry.js";
