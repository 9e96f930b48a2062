export { ModelBuilder, type Operand, type ConvOptions, type LinearOptions, type LstmCellOptions, type PoolOptions, type BuilderOptions } from "./builder.js";
export { Rng, randn } from "./prng.js";
export { foldBatchNorm, randomBatchNorm, kaimingUniform, kaimingBound, biasUniform, GAIN_RELU, GAIN_TORCH_DEFAULT, type BatchNormParams } from "./init.js";
