// The cortex_m dialect (src/lower/CORTEX_M.md is the contract): one file per
// op family, each holding shape rule, traits, the typed prepared-parameter
// record and its decode(node), which the simulator and the C generator share.
export * from "./data_movement.js";
export * from "./shapes.js";
export * from "./conv.js";
export * from "./elementwise.js";
export * from "./linear.js";
export * from "./pool.js";
export * from "./quant.js";
export * from "./scratch.js";
export * from "./softmax.js";
export * from "./log_softmax.js";
export * from "./s16.js";
export * from "./hypot.js";
export * from "./requantize.js";
export * from "./batch_matmul.js";
export * from "./lstm.js";
export * from "./transpose_conv.js";
export * from "./stft.js";
export * from "./conv_f32.js";
