// Quantize/dequantize family; rounding.ts is the shared arithmetic.
import "./quant_ops.js";
