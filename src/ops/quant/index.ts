// Quantize/dequantize family; rounding.ts is the shared arithmetic.
import "./quant_ops.js";
export { roundHalfEven, quantizeValue, dequantizeValue } from "./rounding.js";
