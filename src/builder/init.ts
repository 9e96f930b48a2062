// Weight initialisers with PyTorch's conventions, driven by the seeded Rng.
import type { Rng } from "../ir/prng.js";

/**
 * Kaiming-uniform bound: gain * sqrt(3 / fan_in).
 * PyTorch's default layer init (kaiming_uniform with a = √5) has gain √(1/3), i.e. bound 1/√fan_in;
 * gain √2 (He init for ReLU) keeps activation scale roughly constant through deep ReLU/SiLU stacks.
 */
export function kaimingBound(fanIn: number, gain: number): number {
  return gain * Math.sqrt(3 / fanIn);
}

export const GAIN_TORCH_DEFAULT = Math.sqrt(1 / 3);
export const GAIN_RELU = Math.SQRT2;

export function kaimingUniform(rng: Rng, n: number, fanIn: number, gain: number): Float32Array {
  const b = kaimingBound(fanIn, gain);
  return rng.uniformArray(n, -b, b);
}

/** PyTorch's default bias init: uniform(±1/√fan_in), optionally scaled down. */
export function biasUniform(rng: Rng, n: number, fanIn: number, scale = 1): Float32Array {
  const b = scale / Math.sqrt(fanIn);
  return rng.uniformArray(n, -b, b);
}

/** BatchNorm parameters and running statistics, seeded away from identity so folding is exercised. */
export interface BatchNormParams {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  eps: number;
}

export function randomBatchNorm(rng: Rng, c: number, eps: number): BatchNormParams {
  return {
    gamma: rng.uniformArray(c, 0.6, 1.4),
    beta: rng.uniformArray(c, -0.2, 0.2),
    mean: rng.uniformArray(c, -0.2, 0.2),
    variance: rng.uniformArray(c, 0.5, 1.5),
    eps,
  };
}

/**
 * Fold y = γ·(conv(x) + b − mean)/√(var + eps) + β into the conv:
 * W' = W·s and b' = (b − mean)·s + β per output channel, with s = γ/√(var + eps).
 * `weight` is laid out output-channel-major (OIK / OIHW), `outChannels` rows.
 */
export function foldBatchNorm(weight: Float32Array, bias: Float32Array | null, outChannels: number, bn: BatchNormParams): { weight: Float32Array; bias: Float32Array } {
  const per = weight.length / outChannels;
  const w = new Float32Array(weight.length);
  const b = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const s = bn.gamma[o]! / Math.sqrt(bn.variance[o]! + bn.eps);
    for (let i = 0; i < per; i++) w[o * per + i] = weight[o * per + i]! * s;
    b[o] = ((bias ? bias[o]! : 0) - bn.mean[o]!) * s + bn.beta[o]!;
  }
  return { weight: w, bias: b };
}
