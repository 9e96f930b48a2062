/** Shared CMSIS-NN-shaped types for the bit-exact TypeScript kernels. */

/** arm_cmsis_nn_status */
export const Status = {
  SUCCESS: 0,
  ARG_ERROR: -1,
  NO_IMPL: -2,
  FAILURE: -3,
} as const;

export const STATUS_NAMES: Record<number, string> = {
  0: 'ARM_CMSIS_NN_SUCCESS',
  [-1]: 'ARM_CMSIS_NN_ARG_ERROR',
  [-2]: 'ARM_CMSIS_NN_NO_IMPL_ERROR',
  [-3]: 'ARM_CMSIS_NN_FAILURE',
};

/** cmsis_nn_dims */
export interface Dims { n: number; h: number; w: number; c: number }
/** cmsis_nn_tile (h/w only are used) */
export interface Tile { h: number; w: number }
/** cmsis_nn_activation */
export interface Activation { min: number; max: number }
/** cmsis_nn_context: caller scratch. `size` in bytes; kernels never check it. */
export interface Ctx { buf: Int8Array | null; size: number }

/** cmsis_nn_conv_params */
export interface ConvParams {
  inputOffset: number;
  outputOffset: number;
  stride: Tile;
  padding: Tile;
  dilation: Tile;
  activation: Activation;
}
/** cmsis_nn_dw_conv_params */
export interface DwConvParams extends ConvParams { chMult: number }
/** cmsis_nn_transpose_conv_params (paddingOffsets unused by s8) */
export interface TransposeConvParams extends ConvParams { paddingOffsets?: Tile }
/** cmsis_nn_fc_params */
export interface FcParams { inputOffset: number; filterOffset: number; outputOffset: number; activation: Activation }
/** cmsis_nn_pool_params */
export interface PoolParams { stride: Tile; padding: Tile; activation: Activation }

/** cmsis_nn_per_channel_quant_params */
export interface PerChannelQuant { multiplier: Int32Array; shift: Int32Array }
/** cmsis_nn_per_tensor_quant_params */
export interface PerTensorQuant { multiplier: number; shift: number }

/** Target class = how CMSIS-NN is compiled (pure C / ARM_MATH_DSP / ARM_MATH_MVEI). */
export type TargetClass = 'scalar' | 'dsp' | 'mve';
/** Compiler used to build CMSIS-NN (changes a few compile-time branches). Default 'gcc'. */
export type Compiler = 'gcc' | 'armclang';

export function dimsCount(d: Dims): number { return d.n * d.h * d.w * d.c; }
