export { ModelBuilder, type Operand, type ConvOptions, type LinearOptions, type LstmCellOptions, type PoolOptions, type BuilderOptions } from "./builder.js";
export { GAIN_RELU } from "./init.js";
